import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ExposureBadge } from "@/components/applications/exposure-badge";
import { PageHeader } from "@/components/page-header";
import { StartDraftButton } from "@/components/policies/start-draft-button";
import { VersionHistory } from "@/components/policies/version-history";
import { requirePagePermission } from "@/lib/next/current-actor";
import { orNotFound } from "@/lib/next/or-not-found";
import { getPolicy } from "@/lib/policies/get-policy";
import { policyDetailSchema } from "@/lib/policies/policy-schemas";
import { toWire } from "@/lib/shared/to-wire";
import { PolicyDelivery } from "../_delivery/policy-delivery";

export const metadata: Metadata = { title: "Policy" };

export default async function PolicyPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("policies:read");
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const policy = toWire(policyDetailSchema, await orNotFound(getPolicy({ actor, id })));
  const title = policy.kind === "baseline" ? `Baseline: ${policy.name}` : `Policy of ${policy.application?.name ?? policy.name}`;

  return (
    <>
      <PageHeader
        title={title}
        description={
          policy.application ? (
            <>
              Fine-grained policy of <Link href={`/applications/${policy.application.id}`}>{policy.application.slug}</Link>{" "}
              <ExposureBadge exposure={policy.application.exposure} />
            </>
          ) : policy.environment ? (
            `Applies to every application in ${policy.environment}.`
          ) : (
            "Applies to every application, in every environment without a baseline of its own."
          )
        }
        back={{ href: "/policies", label: "Policies" }}
        actions={
          <>
            {policy.application ? (
              <Link href={`/policies/applications/${policy.application.id}`} className="button button-secondary">
                Effective policy
              </Link>
            ) : null}
            {policy.draft ? (
              <Link href={`/policies/${policy.id}/versions/${policy.draft.id}`} className="button">
                {policy.abilities.edit ? "Edit" : "View"} draft version {policy.draft.number}
              </Link>
            ) : policy.abilities.edit ? (
              <StartDraftButton policyId={policy.id} label="Start a new draft" />
            ) : null}
          </>
        }
      />
      <section className="panel" aria-labelledby="in-force-heading">
        <h2 id="in-force-heading">In force</h2>
        {policy.publishedVersion ? (
          <p>
            <Link href={`/policies/${policy.id}/versions/${policy.publishedVersion.id}`}>Version {policy.publishedVersion.number}</Link> is published
            {policy.kind === "baseline" ? " and enforced for every application." : " and enforced on top of the baseline."}
          </p>
        ) : (
          <p className="muted">Nothing is published yet{policy.kind === "application" ? ": the application is protected by the baseline alone." : "."}</p>
        )}
      </section>
      {policy.publishedVersion ? <PolicyDelivery actor={actor} application={policy.application} /> : null}
      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">Version history</h2>
        <VersionHistory policy={policy} />
      </section>
    </>
  );
}
