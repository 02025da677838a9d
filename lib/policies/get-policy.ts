import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { policyAbilities } from "./policy-permissions";
import { getPolicyRecord, toPolicyView, toVersionSummary, versionSummarySelect } from "./policy-records";

/** One policy with its version history (newest first) and what the actor may do with it. */
export async function getPolicy({ actor, id }: { actor: Actor; id: string }) {
  const policy = await getPolicyRecord({ actor, id });
  const [versions, abilities] = await Promise.all([findVersionHistory(id), policyAbilities({ actor, policy })]);
  // A policy has at most one open draft, and it is in its history.
  const draft = versions.find((v) => v.state === "draft");
  return {
    ...toPolicyView(policy, draft ? { id: draft.id, number: draft.number, state: "draft" } : null),
    versions: versions.map(toVersionSummary),
    abilities,
  };
}

// versionSummarySelect's columns, without its relations (read here by id, below).
const RELATIONS = new Set(["author", "submittedBy", "reviewedBy", "publishedBy", "editors", "parent"]);
const scalars = Object.fromEntries(Object.entries(versionSummarySelect).filter(([key]) => !RELATIONS.has(key))) as {
  [K in Exclude<keyof typeof versionSummarySelect, "author" | "submittedBy" | "reviewedBy" | "publishedBy" | "editors" | "parent">]: true;
};
const userRef = versionSummarySelect.author.select;

/**
 * Every version of a policy as versionSummarySelect reads it, in three queries instead of
 * one per relation (Prisma reads each of the five user relations and the parent
 * separately): the versions with their people's ids, then the people at once; a parent
 * is nearly always a version of the same history.
 */
async function findVersionHistory(policyId: string) {
  const rows = await db.policyVersion.findMany({
    where: { policyId },
    select: {
      ...scalars,
      parentId: true,
      authorId: true,
      submittedById: true,
      reviewedById: true,
      publishedById: true,
      editors: { select: { userId: true }, orderBy: versionSummarySelect.editors.orderBy },
    },
    orderBy: { number: "desc" },
  });
  const userIds = new Set(rows.flatMap((r) => [r.authorId, r.submittedById, r.reviewedById, r.publishedById, ...r.editors.map((e) => e.userId)]));
  userIds.delete(null);
  const numbers = new Map(rows.map((r) => [r.id, r.number]));
  const otherParents = rows.flatMap((r) => (r.parentId && !numbers.has(r.parentId) ? [r.parentId] : []));
  const [users, parents] = await Promise.all([
    db.user.findMany({ where: { id: { in: [...userIds] as string[] } }, select: userRef }),
    otherParents.length > 0 ? db.policyVersion.findMany({ where: { id: { in: otherParents } }, select: { id: true, number: true } }) : [],
  ]);
  for (const p of parents) numbers.set(p.id, p.number);
  const byId = new Map(users.map((u) => [u.id, u]));
  const user = (id: string | null) => (id === null ? null : (byId.get(id) ?? null));
  return rows.map(({ authorId, submittedById, reviewedById, publishedById, editors: editorIds, ...row }) => ({
    ...row,
    parent: row.parentId === null ? null : { number: numbers.get(row.parentId)! },
    author: user(authorId)!,
    editors: editorIds.map((e) => ({ user: user(e.userId)! })),
    submittedBy: user(submittedById),
    reviewedBy: user(reviewedById),
    publishedBy: user(publishedById),
  }));
}
