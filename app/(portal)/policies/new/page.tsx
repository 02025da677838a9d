import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { NewPolicyForm } from "@/components/policies/new-policy-form";
import { findApplications } from "@/lib/applications/find-applications";
import { canForTeam } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { grantOf } from "@/lib/auth/permissions";
import { canEditPolicy } from "@/lib/policies/can-edit-policy";
import { findPolicies } from "@/lib/policies/find-policies";
import type { RawSearchParams } from "@/lib/query/search-params";

export const metadata: Metadata = { title: "New policy" };

export default async function NewPolicyPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePagePermission("policies:edit");
  const { applicationId } = await searchParams;
  const [applications, policies] = await Promise.all([
    findApplications({ actor, query: { page: 1, pageSize: 100, archived: "false" } }),
    findPolicies({ actor, query: { page: 1, pageSize: 100, kind: "application" } }),
  ]);
  const covered = new Set(policies.items.map((p) => p.application?.id));
  // Offered: applications without a policy whose team the actor edits for; the API checks
  // the architecture decision again when the draft is created.
  const choices = applications.items
    .filter((a) => !covered.has(a.id) && canForTeam(actor, "policies:edit", a.teamId))
    .map((a) => ({ id: a.id, slug: a.slug, name: a.name }));
  const canCreateBaseline = grantOf(actor.grants, "policies:edit").org && canEditPolicy(actor, { kind: "baseline", application: null });
  return (
    <>
      <PageHeader title="New policy" back={{ href: "/policies", label: "Policies" }} />
      <NewPolicyForm
        canCreateBaseline={canCreateBaseline}
        applications={choices}
        preselected={typeof applicationId === "string" && choices.some((c) => c.id === applicationId) ? applicationId : undefined}
      />
    </>
  );
}
