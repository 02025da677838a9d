import type { Metadata } from "next";
import { StatusPage } from "@/components/status-page";

export const metadata: Metadata = { title: "Not allowed" };

export default function Forbidden() {
  return (
    <StatusPage code="403" title="You don't have access to this page">
      <p>Your role does not include this part of Rampart. Nothing was changed.</p>
      <p>If you need access, ask an administrator to give you the right role in your team.</p>
    </StatusPage>
  );
}
