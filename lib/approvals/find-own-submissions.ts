import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { policyReadScope } from "@/lib/policies/policy-records";

/**
 * The caller's own changes in and just out of review (submitted, decided, or sent back
 * with a comment), newest first: how a submitter follows a change through review.
 */
export async function findOwnSubmissions({ actor, take = 20 }: { actor: Actor; take?: number }) {
  const versions = await db.policyVersion.findMany({
    where: {
      AND: [
        { OR: [{ authorId: actor.user.id }, { submittedById: actor.user.id }] },
        { OR: [{ state: { in: ["submitted", "approved", "rejected", "published"] } }, { state: "draft", reviewNote: { not: null } }] },
        { policy: policyReadScope(actor) },
      ],
    },
    select: {
      id: true,
      number: true,
      state: true,
      submissionSummary: true,
      reviewNote: true,
      updatedAt: true,
      policy: { select: { id: true, name: true, kind: true } },
      reviewedBy: { select: { name: true } },
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take,
  });
  return versions.map((v) => ({ ...v, updatedAt: v.updatedAt.toISOString() }));
}
