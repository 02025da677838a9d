import "server-only";
import { skipTake } from "@/lib/shared/pagination";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { policyReadScope, policyRecordsOf, toPolicyView } from "./policy-records";
import type { ListPoliciesQuery } from "./policy-schemas";

/** Policies the actor may read: baselines first, then application policies by name. */
export async function findPolicies({ actor, query }: { actor: Actor; query: ListPoliciesQuery }) {
  const where: Prisma.PolicyWhereInput = {
    AND: [
      policyReadScope(actor),
      query.kind ? { kind: query.kind } : {},
      query.applicationId ? { applicationId: query.applicationId } : {},
      query.q
        ? {
            OR: [
              { name: { contains: query.q, mode: "insensitive" } },
              { application: { name: { contains: query.q, mode: "insensitive" } } },
              { application: { slug: { contains: query.q, mode: "insensitive" } } },
            ],
          }
        : {},
    ],
  };
  const [policies, total] = await Promise.all([
    db.policy.findMany({ where, orderBy: [{ kind: "asc" }, { scope: "asc" }, { id: "asc" }], ...skipTake(query.page, query.pageSize) }),
    db.policy.count({ where }),
  ]);
  const { records, drafts } = await policyRecordsOf(policies);
  return {
    items: records.map((policy) => toPolicyView(policy, drafts.get(policy.id) ?? null)),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
