import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ApplicationDetail } from "@/components/applications/application-detail";
import { EffectiveArchitecturePanel } from "@/components/architecture/effective-architecture-panel";
import { ApplicationPolicyPanel } from "@/components/policies/application-policy-panel";
import { applicationSchema } from "@/lib/applications/application-schemas";
import { getApplication } from "@/lib/applications/get-application";
import { getEffectiveArchitectureForApplication } from "@/lib/architecture/get-effective-architecture";
import { canForTeam } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { orNotFound } from "@/lib/next/or-not-found";
import { findPolicies } from "@/lib/policies/find-policies";
import { policyPageSchema } from "@/lib/policies/policy-schemas";
import { createQueryClient } from "@/lib/query/create-query-client";
import { queryKeys } from "@/lib/query/query-keys";
import { toWire } from "@/lib/shared/to-wire";

export const metadata: Metadata = { title: "Application" };

export default async function ApplicationPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("applications:read");
  const { id } = await params;
  // Not a UUID: nothing can match, and the database must not be asked.
  if (!z.uuid().safeParse(id).success) notFound();
  // Scoped by team: another team's application is "not found", exactly like a missing one.
  const application = toWire(applicationSchema, await orNotFound(getApplication({ actor, id })));

  // The accepted architecture decision shapes how this application is protected.
  const architecture = canForTeam(actor, "architecture:read", application.teamId) ? await getEffectiveArchitectureForApplication({ application }) : null;

  // Its fine-grained policy (lib/policies), for whoever reads policies.
  const policy = canForTeam(actor, "policies:read", application.teamId)
    ? (toWire(policyPageSchema, await findPolicies({ actor, query: { page: 1, pageSize: 1, applicationId: id } })).items[0] ?? null)
    : undefined;

  const queryClient = createQueryClient();
  queryClient.setQueryData(queryKeys.applications.detail(id), application);

  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ApplicationDetail
        id={id}
        canUpdate={canForTeam(actor, "applications:update", application.teamId)}
        canArchive={canForTeam(actor, "applications:archive", application.teamId)}
      />
      {architecture ? (
        <EffectiveArchitecturePanel
          applicationId={application.id}
          effective={architecture}
          canPropose={canForTeam(actor, "architecture:propose", application.teamId)}
        />
      ) : null}
      {policy !== undefined ? (
        <ApplicationPolicyPanel application={application} policy={policy} canWrite={canForTeam(actor, "policies:edit", application.teamId)} />
      ) : null}
    </HydrationBoundary>
  );
}
