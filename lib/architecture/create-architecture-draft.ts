import "server-only";
import { randomUUID } from "node:crypto";
import type { RequestContext } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { saveDraftInput, type SaveDraftInput } from "./architecture-schemas";
import { throttleByIp } from "./architecture-throttle";
import { anonymousDraftCutoff, toDraftView } from "./draft-view";

/**
 * Starts a questionnaire draft. Its id is a random UUID (122 random bits) and is the
 * only key to it: whoever has the link can resume it, which is how a team without
 * accounts shares one. A signed-in creator is recorded so the draft is listed for them.
 * Drafts hold only multiple-choice answers, nothing secret, and are not audited.
 */
export async function createArchitectureDraft({ ctx, input }: { ctx: RequestContext; input: SaveDraftInput }) {
  const data = saveDraftInput.parse(input);
  if (!ctx.actor) await throttleByIp(ctx, "draftWrite");
  // Housekeeping on the write path, so no scheduler is needed: expired anonymous drafts go.
  await db.architectureDraft.deleteMany({ where: { ownerId: null, updatedAt: { lt: anonymousDraftCutoff() } } });
  const row = await db.architectureDraft.create({
    data: {
      id: randomUUID(),
      ownerId: ctx.actor?.user.id ?? null,
      answers: data.answers as Prisma.InputJsonValue,
      step: data.step,
    },
  });
  return toDraftView(row);
}
