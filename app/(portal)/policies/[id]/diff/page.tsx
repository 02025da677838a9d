import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { ChangeList, DiffPicker } from "@/components/policies/policy-diff-view";
import { ReviewDiff } from "@/components/policies/review-diff";
import { requirePagePermission } from "@/lib/next/current-actor";
import { orNotFound } from "@/lib/next/or-not-found";
import { diffPolicyVersions } from "@/lib/policies/diff-policy-versions";
import { getPolicy } from "@/lib/policies/get-policy";
import { getPolicyVersion } from "@/lib/policies/get-policy-version";
import { lineDiff } from "@/lib/policies/line-diff";
import { policyDetailSchema, policyDiffSchema } from "@/lib/policies/policy-schemas";
import { reviewCommentListSchema } from "@/lib/policies/review-comment-schemas";
import { findReviewComments } from "@/lib/policies/review-comments";
import type { RawSearchParams } from "@/lib/query/search-params";
import { toWire } from "@/lib/shared/to-wire";

export const metadata: Metadata = { title: "Compare policy versions" };

const versionId = z.uuid().optional().catch(undefined);

export default async function PolicyDiffPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePagePermission("policies:read");
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const search = await searchParams;
  const policy = toWire(policyDetailSchema, await orNotFound(getPolicy({ actor, id })));
  const latest = policy.versions[0];
  const to = policy.versions.find((v) => v.id === versionId.parse(search.to)) ?? latest;
  const from = policy.versions.find((v) => v.id === versionId.parse(search.from)) ?? policy.versions.find((v) => v.id === to?.parentId);
  const name = policy.kind === "baseline" ? `baseline ${policy.name}` : (policy.application?.slug ?? policy.name);

  const header = <PageHeader title={`Compare versions of ${name}`} back={{ href: `/policies/${policy.id}`, label: "Version history" }} />;
  if (!to || !from) {
    return (
      <>
        {header}
        <p className="panel">There is no earlier version to compare with yet.</p>
      </>
    );
  }
  const [diff, before, after, comments] = await Promise.all([
    diffPolicyVersions({ actor, policyId: id, toId: to.id, fromId: from.id }).then((d) => toWire(policyDiffSchema, d)),
    getPolicyVersion({ actor, policyId: id, versionId: from.id }),
    getPolicyVersion({ actor, policyId: id, versionId: to.id }),
    findReviewComments({ actor, policyId: id, versionId: to.id }).then((c) => toWire(reviewCommentListSchema, c).items),
  ]);
  // As the authors wrote them (their order, their comments), not re-sorted by the database.
  // Reviewers and the policy's editors comment (the server checks: policies:edit for this policy).
  const canComment = policy.abilities.edit || policy.abilities.review;
  const leftYaml = before.source;
  const rightYaml = after.source;
  const left = `Version ${from.number} (${from.state})`;
  const right = `Version ${to.number} (${to.state})`;

  return (
    <>
      {header}
      <section className="panel" aria-labelledby="pick-heading">
        <h2 id="pick-heading" className="visually-hidden">
          Versions to compare
        </h2>
        <DiffPicker policyId={policy.id} versions={policy.versions} from={from.id} to={to.id} />
      </section>
      <section className="panel" aria-labelledby="changes-heading">
        <h2 id="changes-heading">
          What changed from version {from.number} to version {to.number}
        </h2>
        <ChangeList diff={diff} />
      </section>
      <section className="panel" aria-labelledby="side-heading">
        <h2 id="side-heading">Side by side</h2>
        <p className="muted">
          Unchanged lines are folded around each change;{" "}
          {canComment ? "select a line number to comment on that line" : "comments are shown under the lines they are about"}.
        </p>
        <ReviewDiff
          rows={lineDiff(leftYaml, rightYaml)}
          left={left}
          right={right}
          policyId={policy.id}
          versionId={to.id}
          comments={comments}
          canComment={canComment}
        />
      </section>
    </>
  );
}
