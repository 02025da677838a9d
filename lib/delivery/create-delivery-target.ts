import "server-only";
import { randomUUID } from "node:crypto";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { AppError } from "@/lib/errors/app-error";
import { checkTargetApplications } from "./check-target-applications";
import { createDeliveryTargetInput, type CreateDeliveryTargetInput } from "./delivery-schemas";
import { deliveryTargetAuditView, deliveryTargetSelect, toDeliveryTargetView } from "./delivery-target-records";
import { newDeliveryToken } from "./delivery-token";
import { sealTargetSecret } from "./target-secret";

/**
 * Registers a delivery target. A proxy target gets a token, returned here once and stored
 * only as its SHA-256; a cluster's kubeconfig and a repository's credentials are encrypted
 * before anything is written, so without an encryption key nothing is stored at all.
 */
export async function createDeliveryTarget({ ctx, input }: { ctx: RequestContext; input: CreateDeliveryTargetInput }) {
  const actor = requirePermission(ctx, "delivery:manage");
  const data = createDeliveryTargetInput.parse(input);
  const id = randomUUID();
  const issued = data.kind === "proxy" ? newDeliveryToken() : null;
  const secret =
    data.kind === "kubernetes"
      ? sealTargetSecret(id, "kubeconfig", data.kubeconfig)
      : data.kind === "git" && data.credentials
        ? sealTargetSecret(id, "git-credentials", JSON.stringify(data.credentials))
        : { secretCiphertext: null, secretFingerprint: null };
  try {
    return await db.$transaction(async (tx) => {
      await checkTargetApplications(tx, data.applicationIds);
      const created = await tx.deliveryTarget.create({
        data: {
          id,
          kind: data.kind,
          name: data.name,
          description: data.description,
          environment: data.environment,
          mode: data.kind === "proxy" ? data.mode : null,
          tokenHash: issued?.tokenHash ?? null,
          tokenPrefix: issued?.tokenPrefix ?? null,
          tokenIssuedAt: issued ? new Date() : null,
          namespaces: data.kind === "kubernetes" ? data.namespaces : [],
          renders: data.kind === "kubernetes" ? data.renders : [],
          repository: data.kind === "git" ? data.repository : null,
          branch: data.kind === "git" ? data.branch : null,
          folder: data.kind === "git" ? data.folder : null,
          ...secret,
          applications: { create: data.applicationIds.map((applicationId) => ({ applicationId })) },
        },
        select: deliveryTargetSelect,
      });
      await recordAuditEvent(tx, ctx, {
        action: "delivery.target.create",
        target: { type: "delivery-target", id },
        summary: { after: deliveryTargetAuditView(created) },
      });
      return { ...toDeliveryTargetView(created, actor), token: issued?.token ?? null };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A delivery target named "${data.name}" already exists.`, {
        fieldErrors: [{ path: "body.name", message: "is taken by another target" }],
      });
    }
    throw error;
  }
}
