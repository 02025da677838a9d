import type { DbTransaction } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { RequestContext } from "@/lib/auth/actor";

export type AuditOutcome = "success" | "failure" | "denied";

export type AuditEventInput = {
  action: string;
  target: { type: string; id?: string | null };
  teamId?: string | null;
  summary?: { before?: unknown; after?: unknown; [key: string]: unknown };
  outcome?: AuditOutcome;
};

/**
 * Appends one audit event. Call it with the transaction that makes the change, so
 * the change and its record commit together or not at all.
 */
export async function recordAuditEvent(tx: DbTransaction, ctx: RequestContext, event: AuditEventInput) {
  await tx.auditEvent.create({
    data: {
      actorId: ctx.actor?.user.id ?? null,
      actorLabel: ctx.actor ? ctx.actor.user.email : (ctx.anonymousLabel ?? "anonymous"),
      action: event.action,
      outcome: event.outcome ?? "success",
      targetType: event.target.type,
      targetId: event.target.id ?? null,
      teamId: event.teamId ?? null,
      summary: (event.summary ?? {}) as Prisma.InputJsonValue,
      ip: ctx.ip,
    },
  });
}
