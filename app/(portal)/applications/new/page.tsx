import type { Metadata } from "next";
import { CreateApplicationForm } from "@/components/applications/create-application-form";
import { PageHeader } from "@/components/page-header";
import { canForTeam } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";

export const metadata: Metadata = { title: "New application" };

export default async function NewApplicationPage() {
  const actor = await requirePagePermission("applications:create");
  // Only the teams this user may register applications for; the API checks again.
  const teams = new Map<string, string>();
  for (const m of actor.memberships) {
    if (canForTeam(actor, "applications:create", m.teamId)) teams.set(m.teamId, m.teamName);
  }
  return (
    <>
      <PageHeader
        title="New application"
        description="Register a web application so Rampart can put a microgateway in front of it."
        back={{ href: "/applications", label: "Applications" }}
      />
      <CreateApplicationForm teams={[...teams].map(([id, name]) => ({ id, name }))} />
    </>
  );
}
