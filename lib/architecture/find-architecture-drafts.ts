import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { toDraftView } from "./draft-view";

/** How many of their latest drafts a user is offered to resume. */
export const LISTED_DRAFTS = 20;

/** The signed-in user's own drafts, most recently changed first. */
export async function findArchitectureDrafts({ actor }: { actor: Actor }) {
  const rows = await db.architectureDraft.findMany({
    where: { ownerId: actor.user.id },
    orderBy: { updatedAt: "desc" },
    take: LISTED_DRAFTS,
  });
  return { items: rows.map(toDraftView) };
}
