import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { PolicyEditor } from "@/components/policies/policy-editor";
import { PolicyStateBadge } from "@/components/policies/policy-state-badge";
import { VersionActions } from "@/components/policies/version-actions";
import { VersionDetails } from "@/components/policies/version-details";
import { YamlListing } from "@/components/policies/yaml-listing";
import { requirePagePermission } from "@/lib/next/current-actor";
import { orNotFound } from "@/lib/next/or-not-found";
import { getPolicy } from "@/lib/policies/get-policy";
import { getPolicyVersion } from "@/lib/policies/get-policy-version";
import { versionWriterIds } from "@/lib/policies/version-writers";
import { policyDetailSchema, policyVersionSchema } from "@/lib/policies/policy-schemas";
import { toWire } from "@/lib/shared/to-wire";
import { ReviewThreads } from "@/components/policies/review-diff";
import { reviewCommentListSchema } from "@/lib/policies/review-comment-schemas";
import { findReviewComments } from "@/lib/policies/review-comments";
import { findBaselineInForce } from "@/lib/policies/find-published-baselines";
import { PolicyDelivery } from "../../../_delivery/policy-delivery";
import { publishImpact } from "../../../_delivery/publish-impact";

export const metadata: Metadata = { title: "Policy version" };

export default async function PolicyVersionPage({ params }: { params: Promise<{ id: string; versionId: string }> }) {
  const actor = await requirePagePermission("policies:read");
  const { id, versionId } = await params;
  if (!z.uuid().safeParse(id).success || !z.uuid().safeParse(versionId).success) notFound();
  const [policy, version] = await Promise.all([
    orNotFound(getPolicy({ actor, id })).then((p) => toWire(policyDetailSchema, p)),
    orNotFound(getPolicyVersion({ actor, policyId: id, versionId })).then((v) => toWire(policyVersionSchema, v)),
  ]);
  const name = policy.kind === "baseline" ? `baseline ${policy.name}` : (policy.application?.slug ?? policy.name);
  const editing = version.state === "draft" && policy.abilities.edit;
  // Four eyes, said beside the button rather than after a refused click (the server decides all the same).
  const ownChange = versionWriterIds(version).includes(actor.user.id);
  const approveBlocked =
    version.state === "submitted" && policy.abilities.review && ownChange
      ? `Four eyes: this is your own change, so another security officer approves it.`
      : null;
  const impact = version.state === "approved" && policy.abilities.publish ? await publishImpact({ actor, policy, version }) : null;
  const comments = (await findReviewComments({ actor, policyId: policy.id, versionId: version.id })).items;
  const openComments = comments.filter((c) => c.collectedAt === null).length;

  return (
    <>
      <PageHeader
        title={
          <>
            Version {version.number} of {name} <PolicyStateBadge state={version.state} />
          </>
        }
        description={policy.publishedVersion?.id === version.id ? "This is the version in force." : undefined}
        back={{ href: `/policies/${policy.id}`, label: "Version history" }}
        actions={
          <>
            {version.parentId && !editing ? (
              <Link href={`/policies/${policy.id}/diff?from=${version.parentId}&to=${version.id}`} className="button button-secondary">
                Compare with version {version.parentNumber}
              </Link>
            ) : null}
            <a href={`/api/v1/policies/${policy.id}/versions/${version.id}/export`} className="button button-secondary" download>
              Download YAML
            </a>
          </>
        }
      />
      <section className="panel" aria-labelledby="version-details-heading">
        <h2 id="version-details-heading">About this version</h2>
        <VersionDetails version={version} />
      </section>
      <ReviewThreads
        policyId={policy.id}
        versionId={version.id}
        comments={toWire(reviewCommentListSchema, { items: comments }).items}
        canComment={policy.abilities.edit || policy.abilities.review}
      />
      {editing ? (
        <PolicyEditor policyId={policy.id} kind={policy.kind} version={version} exceptionDates={await exceptionDatesFor(policy.environment)} />
      ) : (
        <>
          <VersionActions
            policyId={policy.id}
            version={version}
            abilities={policy.abilities}
            approveBlocked={approveBlocked}
            publishImpact={impact}
            reviewComments={openComments}
          />
          {/* Published just now (the page refreshes after Publish): where it goes next. */}
          {policy.publishedVersion?.id === version.id ? <PolicyDelivery actor={actor} application={policy.application} /> : null}
          <section className="panel" aria-labelledby="document-heading">
            <h2 id="document-heading">Document</h2>
            {version.state === "draft" ? null : <p className="muted">This version is {version.state}; its content can no longer change.</p>}
            <YamlListing yaml={version.source} label={`Version ${version.number} in YAML`} />
          </section>
        </>
      )}
    </>
  );
}

/** The exception editor's date range: from today (UTC) to the longest lifetime the baseline in force allows. */
async function exceptionDatesFor(environment: string | null) {
  const baseline = await findBaselineInForce({ environment });
  return { today: new Date().toISOString().slice(0, 10), maxLifetimeDays: baseline?.document.exceptionPolicy.maxLifetimeDays ?? 180 };
}
