import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { CreateUserForm } from "@/components/users/create-user-form";
import { requirePagePermission } from "@/lib/next/current-actor";
import { findTeamChoices } from "@/lib/teams/find-teams";

export const metadata: Metadata = { title: "New user" };

export default async function NewUserPage() {
  const actor = await requirePagePermission("users:manage");
  const teams = await findTeamChoices({ actor });
  return (
    <>
      <PageHeader title="New user" description="Create an account and, optionally, its first team role." back={{ href: "/users", label: "Users" }} />
      <CreateUserForm teams={teams.map((t) => ({ id: t.id, name: t.name }))} />
    </>
  );
}
