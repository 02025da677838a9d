import type { Metadata } from "next";
import { OwnSubmissions } from "@/components/approvals/own-submissions";
import { PageHeader } from "@/components/page-header";
import { findOwnSubmissions } from "@/lib/approvals/find-own-submissions";
import { requireSignedIn } from "@/lib/next/current-actor";

export const metadata: Metadata = { title: "My changes" };

// Every signed-in user follows their own policy changes through review here; the query
// reads only the caller's versions, within the policies they may read.
export default async function MyChangesPage() {
  const actor = await requireSignedIn();
  const own = await findOwnSubmissions({ actor });
  return (
    <>
      <PageHeader
        title="My changes"
        description="Your policy changes and where each stands in review, with the reviewer's comment. Security officers decide them; you are notified of every decision."
      />
      <OwnSubmissions rows={own} />
    </>
  );
}
