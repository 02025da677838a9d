import type { Metadata } from "next";
import { ApprovalFilters } from "@/components/approvals/approval-filters";
import { ApprovalQueue } from "@/components/approvals/approval-queue";
import { OwnSubmissions } from "@/components/approvals/own-submissions";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { approvalQueueQuery } from "@/lib/approvals/approval-schemas";
import { findApprovalQueue } from "@/lib/approvals/find-approval-queue";
import { findOwnSubmissions } from "@/lib/approvals/find-own-submissions";
import { requirePagePermission } from "@/lib/next/current-actor";
import { parseSearchParams, type RawSearchParams } from "@/lib/query/search-params";
import { findTeamChoices } from "@/lib/teams/find-teams";

export const metadata: Metadata = { title: "Approvals" };

const QUERY_KEYS = ["page", "pageSize", "sort", "teamId", "applicationId", "kind", "risk", "authorId", "q", "olderThanDays", "newerThanDays"] as const;

export default async function ApprovalsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  // The queue is the reviewers' (policies:review); everyone else follows their own changes on /approvals/mine.
  const actor = await requirePagePermission("policies:review");
  const { query, errors } = parseSearchParams(approvalQueueQuery, await searchParams, QUERY_KEYS);
  const [queue, teams, own] = await Promise.all([findApprovalQueue({ actor, query }), findTeamChoices({ actor }), findOwnSubmissions({ actor })]);
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Every submitted policy change across teams, with its risk flags and its difference from the version in force. Nobody approves their own change."
      />
      <ApprovalFilters query={query} invalid={errors} teams={teams} />
      <ApprovalQueue entries={queue.items} currentUserId={actor.user.id} />
      <Pagination
        page={queue.page}
        pageSize={queue.pageSize}
        total={queue.total}
        basePath="/approvals"
        label="Approval queue pages"
        params={{
          pageSize: query.pageSize === 20 ? undefined : query.pageSize,
          sort: query.sort === "oldest" ? undefined : query.sort,
          teamId: query.teamId,
          applicationId: query.applicationId,
          kind: query.kind,
          risk: query.risk,
          authorId: query.authorId,
          q: query.q,
          olderThanDays: query.olderThanDays,
          newerThanDays: query.newerThanDays,
        }}
      />
      <section className="panel" aria-labelledby="own-submissions-heading">
        <h2 id="own-submissions-heading">Your changes</h2>
        <OwnSubmissions rows={own} />
      </section>
    </>
  );
}
