import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { CreateTeamForm } from "@/components/teams/create-team-form";
import { requirePagePermission } from "@/lib/next/current-actor";

export const metadata: Metadata = { title: "New team" };

export default async function NewTeamPage() {
  await requirePagePermission("teams:manage");
  return (
    <>
      <PageHeader title="New team" description="Create a team, then add its members." back={{ href: "/teams", label: "Teams" }} />
      <CreateTeamForm />
    </>
  );
}
