import "server-only";
import { randomBytes } from "node:crypto";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { encryptSecret } from "@/lib/delivery/secret-box";
import { versionConflict } from "@/lib/errors/version-conflict";
import { webhookSecretContext } from "@/lib/webhooks/webhook-secret-context";
import { getTeam } from "./get-team";

/**
 * Gives the team's webhook a new HMAC-SHA256 signing secret and returns it, the only time
 * it is shown; the old one stops signing at once (deliveries already queued are signed
 * with the new one when sent). The audit trail records that it changed, never the secret.
 */
export async function rotateTeamWebhookSecret({ ctx, id, expectedVersion }: { ctx: RequestContext; id: string; expectedVersion: number }) {
  const actor = requirePermission(ctx, "teams:manage");
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  return db.$transaction(async (tx) => {
    const before = await getTeam({ actor, id, tx });
    const { count } = await tx.team.updateMany({
      where: { id, version: expectedVersion },
      data: { webhookSecretCiphertext: new Uint8Array(encryptSecret(secret, webhookSecretContext(id))), version: { increment: 1 } },
    });
    if (count === 0) throw versionConflict(expectedVersion, before.version);
    await recordAuditEvent(tx, ctx, {
      action: "team.webhook-secret.rotate",
      target: { type: "team", id },
      teamId: id,
      summary: { before: { signed: before.webhookSigned }, after: { signed: true } },
    });
    return { ...(await getTeam({ actor, id, tx })), webhookSecret: secret };
  });
}
