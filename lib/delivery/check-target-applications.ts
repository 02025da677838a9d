import "server-only";
import type { DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

/** The applications a target is scoped to exist and are live; each one that is not is named by its index. */
export async function checkTargetApplications(tx: DbTransaction, applicationIds: string[]) {
  if (applicationIds.length === 0) return;
  const found = await tx.application.findMany({ where: { id: { in: applicationIds } }, select: { id: true, archivedAt: true } });
  const byId = new Map(found.map((a) => [a.id, a]));
  const fieldErrors = applicationIds.flatMap((id, index) => {
    const application = byId.get(id);
    if (!application) return [{ path: `body.applicationIds.${index}`, message: "is not an application" }];
    if (application.archivedAt) return [{ path: `body.applicationIds.${index}`, message: "is archived" }];
    return [];
  });
  if (fieldErrors.length > 0) throw new AppError("VALIDATION_FAILED", "The request body is invalid.", { fieldErrors });
}
