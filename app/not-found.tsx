import type { Metadata } from "next";
import { StatusPage } from "@/components/status-page";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <StatusPage code="404" title="We couldn't find that page">
      <p>It may have been moved, archived, or it belongs to a team you are not part of.</p>
    </StatusPage>
  );
}
