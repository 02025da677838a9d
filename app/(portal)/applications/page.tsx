import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { ApplicationFilters } from "@/components/applications/application-filters";
import { ApplicationsList } from "@/components/applications/applications-list";
import { PageHeader } from "@/components/page-header";
import { applicationPageSchema, listApplicationsQuery } from "@/lib/applications/application-schemas";
import { findApplications } from "@/lib/applications/find-applications";
import { can } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { createQueryClient } from "@/lib/query/create-query-client";
import { queryKeys } from "@/lib/query/query-keys";
import { parseSearchParams, type RawSearchParams } from "@/lib/query/search-params";
import { toWire } from "@/lib/shared/to-wire";
import { findTeamChoices } from "@/lib/teams/find-teams";

export const metadata: Metadata = { title: "Applications" };

const QUERY_KEYS = ["page", "pageSize", "q", "teamId", "exposure", "archived"] as const;

export default async function ApplicationsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePagePermission("applications:read");
  const { query, errors } = parseSearchParams(listApplicationsQuery, await searchParams, QUERY_KEYS);

  // Render on the server with the same query key the browser uses; the client picks the
  // data up from the HydrationBoundary instead of fetching it again.
  const queryClient = createQueryClient();
  const [teams] = await Promise.all([
    findTeamChoices({ actor }),
    queryClient.prefetchQuery({
      queryKey: queryKeys.applications.list(query),
      queryFn: async () => toWire(applicationPageSchema, await findApplications({ actor, query })),
    }),
  ]);
  const canCreate = can(actor, "applications:create");

  return (
    <>
      <PageHeader
        title="Applications"
        description="Web applications protected by Rampart, each behind its own microgateway."
        actions={
          canCreate ? (
            <Link href="/applications/new" className="button">
              New application
            </Link>
          ) : null
        }
      />
      <ApplicationFilters query={query} invalid={errors} teams={teams.map((t) => ({ id: t.id, name: t.name }))} />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <ApplicationsList query={query} canCreate={canCreate} />
      </HydrationBoundary>
    </>
  );
}
