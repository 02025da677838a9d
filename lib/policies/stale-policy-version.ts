import "server-only";
import type { DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";

/** The CONFLICT for a lost race on a version, with the version that won. */
export async function stalePolicyVersion(tx: DbTransaction, versionId: string, expected: number) {
  const current = await tx.policyVersion.findUniqueOrThrow({ where: { id: versionId }, select: { version: true, state: true, number: true } });
  return new AppError(
    "CONFLICT",
    `Someone else changed version ${current.number} since you loaded it (you edited revision ${expected}, it is now at ${current.version}, ${current.state}). Reload and apply your change again.`,
    { details: { currentVersion: current.version, state: current.state } },
  );
}
