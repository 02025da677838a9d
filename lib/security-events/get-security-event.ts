import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { DENY_RULE_DESCRIPTIONS } from "@/lib/policy-spec";
import { proposeFalsePositiveException } from "./propose-false-positive-exception";
import { readableApplicationIds } from "./security-event-scope";
import { securityEventSelect, withApplications } from "./find-security-events";

/** One event the actor may read (another team's is not found), with its rule's description. */
export async function getSecurityEventRecord({ actor, id }: { actor: Actor; id: string }) {
  const readable = await readableApplicationIds(actor);
  const row = await db.securityEvent.findFirst({
    where: { id, ...(readable === null ? {} : { applicationId: { in: readable } }) },
    select: securityEventSelect,
  });
  if (!row) throw new AppError("NOT_FOUND", "No such security event.");
  return (await withApplications([row]))[0]!;
}

/** The event page and the wizard: the event, what its rule detects, and the exception it proposes. */
export async function getSecurityEvent({ actor, id, now = new Date() }: { actor: Actor; id: string; now?: Date }) {
  const event = await getSecurityEventRecord({ actor, id });
  const proposal = await proposeFalsePositiveException({ actor, event, now });
  return {
    ...event,
    ruleDescription: DENY_RULE_DESCRIPTIONS[event.ruleId] ?? null,
    falsePositive: typeof proposal === "string" ? { available: false as const, reason: proposal } : { available: true as const, proposal },
  };
}
