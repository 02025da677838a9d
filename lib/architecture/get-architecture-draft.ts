import "server-only";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { anonymousDraftCutoff, toDraftView } from "./draft-view";

/** A draft by its id (the link's key). Expired anonymous drafts are not found. */
export async function getArchitectureDraft({ id, tx }: { id: string; tx?: DbTransaction }) {
  const row = await (tx ?? db).architectureDraft.findFirst({
    where: { id, OR: [{ ownerId: { not: null } }, { updatedAt: { gte: anonymousDraftCutoff() } }] },
  });
  if (!row) throw new AppError("NOT_FOUND", "No such draft; it may have expired. Start the questionnaire again.");
  return toDraftView(row);
}
