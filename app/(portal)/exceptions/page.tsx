import type { Metadata } from "next";
import { ExceptionFilters } from "@/components/exceptions/exception-filters";
import { ExceptionTable } from "@/components/exceptions/exception-table";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { findApplications } from "@/lib/applications/find-applications";
import { exceptionPageSchema, listExceptionsQuery } from "@/lib/approvals/exception-schemas";
import { findExceptions } from "@/lib/approvals/find-exceptions";
import { requirePagePermission } from "@/lib/next/current-actor";
import { parseSearchParams, type RawSearchParams } from "@/lib/query/search-params";
import { toWire } from "@/lib/shared/to-wire";

export const metadata: Metadata = { title: "Exceptions" };

const QUERY_KEYS = ["page", "pageSize", "applicationId", "family", "ruleId", "expiringWithinDays", "status"] as const;

// The register of deny-rule exceptions in force (GET /api/v1/exceptions) as a page: what
// each lets through, why, until when, and the policy version that carries it.
export default async function ExceptionsPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePagePermission("policies:read");
  const { query, errors } = parseSearchParams(listExceptionsQuery, await searchParams, QUERY_KEYS);
  const [register, applications] = await Promise.all([
    findExceptions({ actor, query }).then((page) => toWire(exceptionPageSchema, page)),
    findApplications({ actor, query: { page: 1, pageSize: 100, archived: "false" } }),
  ]);
  return (
    <>
      <PageHeader
        title="Exceptions"
        description="Every deny-rule exception in force in a published application policy: what it lets through, why, who approved it and when it expires. Expired ones stay listed until a new version drops them; proxies already ignore them."
      />
      <ExceptionFilters query={query} invalid={errors} applications={applications.items.map((a) => ({ id: a.id, slug: a.slug, name: a.name }))} />
      <ExceptionTable entries={register.items} />
      <Pagination
        page={register.page}
        pageSize={register.pageSize}
        total={register.total}
        basePath="/exceptions"
        label="Exception pages"
        params={{
          pageSize: query.pageSize === 20 ? undefined : query.pageSize,
          applicationId: query.applicationId,
          family: query.family,
          ruleId: query.ruleId,
          expiringWithinDays: query.expiringWithinDays,
          status: query.status,
        }}
      />
    </>
  );
}
