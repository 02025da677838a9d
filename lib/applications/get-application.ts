import "server-only";
import { teamScope, type Actor } from "@/lib/auth/actor";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { applicationInclude } from "./find-applications";

/**
 * One application the actor may read. Applications of other teams are "not found",
 * not "forbidden": their existence is not disclosed.
 */
export async function getApplication({ actor, id, tx }: { actor: Actor; id: string; tx?: DbTransaction }) {
  const application = await (tx ?? db).application.findFirst({
    where: { id, ...teamScope(actor, "applications:read") },
    include: applicationInclude,
  });
  if (!application) throw new AppError("NOT_FOUND", "No such application.");
  return application;
}
