import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors/app-error";
import { versionConflict } from "@/lib/errors/version-conflict";
import type { Prisma } from "@/lib/generated/prisma/client";
import { checkTargetApplications } from "./check-target-applications";
import { updateDeliveryTargetInput, type UpdateDeliveryTargetInput } from "./delivery-schemas";
import { deliveryTargetAuditView, deliveryTargetSelect, toDeliveryTargetView } from "./delivery-target-records";
import { sealTargetSecret } from "./target-secret";

const FIELDS_OF_KIND = {
  proxy: ["mode"],
  kubernetes: ["kubeconfig", "namespaces", "renders"],
  git: ["repository", "branch", "folder", "credentials"],
} as const;

/**
 * Changes a target if it is still at `expectedVersion`: its name, scope, environment or
 * kind-specific settings. A new kubeconfig or credentials replace the stored ones
 * (encrypted first). The version bump wakes the target's long polls (a database trigger).
 */
export async function updateDeliveryTarget({
  ctx,
  id,
  expectedVersion,
  input,
}: {
  ctx: RequestContext;
  id: string;
  expectedVersion: number;
  input: UpdateDeliveryTargetInput;
}) {
  const actor = requirePermission(ctx, "delivery:manage");
  const patch = updateDeliveryTargetInput.parse(input);
  const current = await db.deliveryTarget.findUnique({ where: { id }, select: { kind: true, revokedAt: true } });
  if (!current) throw new AppError("NOT_FOUND", "No such delivery target.");
  const foreign = Object.entries(FIELDS_OF_KIND)
    .filter(([kind]) => kind !== current.kind)
    .flatMap(([, fields]) => fields.filter((field) => field in patch));
  if (foreign.length > 0) {
    throw new AppError("VALIDATION_FAILED", "The request body is invalid.", {
      fieldErrors: foreign.map((field) => ({ path: `body.${field}`, message: `does not apply to a ${current.kind} target` })),
    });
  }
  if (current.revokedAt) throw new AppError("CONFLICT", "The target is revoked; register a new one instead.");

  const data: Prisma.DeliveryTargetUpdateManyMutationInput = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.environment !== undefined ? { environment: patch.environment } : {}),
    ...(patch.mode !== undefined ? { mode: patch.mode } : {}),
    ...(patch.namespaces !== undefined ? { namespaces: patch.namespaces } : {}),
    ...(patch.renders !== undefined ? { renders: patch.renders } : {}),
    ...(patch.repository !== undefined ? { repository: patch.repository } : {}),
    ...(patch.branch !== undefined ? { branch: patch.branch } : {}),
    ...(patch.folder !== undefined ? { folder: patch.folder } : {}),
    // Secrets are sealed before the transaction: without a key nothing is written.
    ...(patch.kubeconfig !== undefined ? sealTargetSecret(id, "kubeconfig", patch.kubeconfig) : {}),
    ...(patch.credentials !== undefined
      ? patch.credentials
        ? sealTargetSecret(id, "git-credentials", JSON.stringify(patch.credentials))
        : { secretCiphertext: null, secretFingerprint: null }
      : {}),
    version: { increment: 1 },
  };

  try {
    return await db.$transaction(async (tx) => {
      const before = await tx.deliveryTarget.findUniqueOrThrow({ where: { id }, select: deliveryTargetSelect });
      const { count } = await tx.deliveryTarget.updateMany({ where: { id, version: expectedVersion, revokedAt: null }, data });
      if (count === 0) {
        const now = await tx.deliveryTarget.findUniqueOrThrow({ where: { id }, select: { version: true } });
        throw versionConflict(expectedVersion, now.version);
      }
      if (patch.applicationIds !== undefined) {
        await checkTargetApplications(tx, patch.applicationIds);
        await tx.deliveryTargetApplication.deleteMany({ where: { targetId: id } });
        await tx.deliveryTargetApplication.createMany({ data: patch.applicationIds.map((applicationId) => ({ targetId: id, applicationId })) });
      }
      const after = await tx.deliveryTarget.findUniqueOrThrow({ where: { id }, select: deliveryTargetSelect });
      await recordAuditEvent(tx, ctx, {
        action: "delivery.target.update",
        target: { type: "delivery-target", id },
        summary: {
          before: deliveryTargetAuditView(before),
          after: deliveryTargetAuditView(after),
          ...(patch.kubeconfig !== undefined || patch.credentials !== undefined ? { secretReplaced: true } : {}),
        },
      });
      return toDeliveryTargetView(after, actor);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A delivery target named "${patch.name}" already exists.`, {
        fieldErrors: [{ path: "body.name", message: "is taken by another target" }],
      });
    }
    throw error;
  }
}
