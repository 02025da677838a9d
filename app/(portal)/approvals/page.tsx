import type { Metadata } from "next";
import { PlaceholderArea } from "@/components/placeholder-area";
import { requireSignedIn } from "@/lib/auth/current-actor";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  await requireSignedIn();
  return (
    <PlaceholderArea
      title="Approvals"
      summary="Review of policy changes before they reach a gateway."
      plans={[
        "Proposed policy changes waiting for a security officer's review.",
        "The difference each change makes to the compiled rules.",
        "Who approved or rejected what, and why.",
      ]}
    />
  );
}
