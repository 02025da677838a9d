import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { updateDraftInput, type UpdateDraftInput } from "./architecture-schemas";
import { throttleByIp } from "./architecture-throttle";
import { toDraftView } from "./draft-view";
import { getArchitectureDraft } from "./get-architecture-draft";
import { versionConflict } from "@/lib/errors/version-conflict";

/**
 * Replaces a draft's answers and step if it is still at `expectedVersion`: two people
 * resuming the same link do not silently overwrite each other.
 */
export async function updateArchitectureDraft({
  ctx,
  id,
  expectedVersion,
  input,
}: {
  ctx: RequestContext;
  id: string;
  expectedVersion: number;
  input: UpdateDraftInput;
}) {
  const data = updateDraftInput.parse(input);
  if (!ctx.actor) await throttleByIp(ctx, "draftWrite");
  return db.$transaction(async (tx) => {
    // Not found (or expired) before anything is written.
    await getArchitectureDraft({ id, tx });
    const { count } = await tx.architectureDraft.updateMany({
      where: { id, version: expectedVersion },
      data: { ...(data.answers !== undefined ? { answers: data.answers as Prisma.InputJsonValue } : {}), step: data.step, version: { increment: 1 } },
    });
    if (count === 0) {
      // Read after the failed write: the version that won.
      const { version: current } = await tx.architectureDraft.findUniqueOrThrow({ where: { id }, select: { version: true } });
      throw versionConflict(expectedVersion, current);
    }
    return toDraftView(await tx.architectureDraft.findUniqueOrThrow({ where: { id } }));
  });
}
