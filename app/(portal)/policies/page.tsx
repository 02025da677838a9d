import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { PolicyList } from "@/components/policies/policy-list";
import { can } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { findPolicies } from "@/lib/policies/find-policies";
import { listPoliciesQuery, policyPageSchema } from "@/lib/policies/policy-schemas";
import { parseSearchParams, type RawSearchParams } from "@/lib/query/search-params";
import { Pagination } from "@/components/pagination";
import { SearchForm } from "@/components/search-form";
import { toWire } from "@/lib/shared/to-wire";

export const metadata: Metadata = { title: "Policies" };

const searchQuery = listPoliciesQuery.pick({ q: true, page: true });

// Baselines are one per scope and environment, a handful: shown whole. Application policies
// are one per application, so hundreds in a large organisation: paged, as every other list is
// (rendering 100 rows was most of this page's time under load, issue 19).
const BASELINES_SHOWN = 100;
const APPLICATION_POLICIES_PER_PAGE = 25;

export default async function PoliciesPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePagePermission("policies:read");
  const { query } = parseSearchParams(searchQuery, await searchParams, ["q", "page"] as const);
  const q = query.q || undefined;
  const [baselines, applications] = await Promise.all([
    findPolicies({ actor, query: { page: 1, pageSize: BASELINES_SHOWN, kind: "baseline", q } }),
    findPolicies({ actor, query: { page: query.page, pageSize: APPLICATION_POLICIES_PER_PAGE, kind: "application", q } }),
  ]);
  const wire = (page: unknown) => toWire(policyPageSchema, page);
  return (
    <>
      <PageHeader
        title="Policies"
        description="The security team's baseline applies to every application; each application tightens it with its own fine-grained policy."
        actions={
          can(actor, "policies:edit") ? (
            <Link href="/policies/new" className="button">
              New policy
            </Link>
          ) : null
        }
      />
      <SearchForm action="/policies" label="Search policies" q={q} placeholder="Policy or application name" />
      <section className="panel" aria-labelledby="baselines-heading">
        <h2 id="baselines-heading">Baselines</h2>
        <PolicyList policies={wire(baselines).items} kind="baseline" caption="Baselines" />
      </section>
      <section className="panel" aria-labelledby="application-policies-heading">
        <h2 id="application-policies-heading">Application policies</h2>
        <PolicyList policies={wire(applications).items} kind="application" caption="Application policies" />
        {applications.total > APPLICATION_POLICIES_PER_PAGE || query.page > 1 ? (
          <Pagination
            page={query.page}
            pageSize={APPLICATION_POLICIES_PER_PAGE}
            total={applications.total}
            basePath="/policies"
            params={{ q }}
            label="Application policy pages"
          />
        ) : null}
      </section>
    </>
  );
}
