import "server-only";
import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { findBaselineInForce } from "@/lib/policies/find-published-baselines";
import { DENY_RULES } from "@/lib/policy-spec";
import { parsePathPattern } from "@/lib/policy-spec/path-pattern";

const DAY = 86_400_000;
/** How far back "what it would have let through" looks. */
export const IMPACT_DAYS = 7;
export const DEFAULT_EXCEPTION_DAYS = 30;
const DENY_RULE_IDS = new Set(DENY_RULES.map(([id]) => id));
const EXCEPTION_PARTS = new Set(["header", "parameter", "path", "json-pointer", "cookie"]);

type EventFields = { id: string; applicationId: string | null; ruleId: string; part: string; parameter: string; path: string; method: string };

export type FalsePositiveProposal = {
  applicationId: string;
  policyId: string;
  exception: { id: string; ruleId: string; part: string; name?: string; pointer?: string; conditions: { paths: string[]; methods: string[] }; expires: string };
  maxLifetimeDays: number;
  impact: { days: number; events: number; clients: number };
};

/**
 * The narrowest exception that lets this event's request through: this rule, on this part
 * and parameter, on this exact path and method, for 30 days (or the baseline's maximum if
 * shorter); and how many events of the last days it would have let through, from how many
 * clients. A string says why there is none (not a deny rule, no application, …).
 */
export async function proposeFalsePositiveException({
  actor,
  event,
  now = new Date(),
}: {
  actor: Actor;
  event: EventFields;
  now?: Date;
}): Promise<FalsePositiveProposal | string> {
  void actor;
  if (event.applicationId === null) return "The request matched no application, so there is no application policy to add an exception to.";
  if (!DENY_RULE_IDS.has(event.ruleId)) return `${event.ruleId} is a request-level check, not a deny rule; only deny rules take exceptions.`;
  if (!EXCEPTION_PARTS.has(event.part))
    return `The rule matched the request's ${event.part}, which an exception cannot name (header, parameter, path, JSON pointer or cookie).`;
  if (!parsePathPattern(event.path).ok) return `The path ${event.path} cannot be written as an exception path; add the exception in the policy editor.`;
  const policy = await db.policy.findFirst({ where: { kind: "application", applicationId: event.applicationId }, select: { id: true } });
  if (!policy) return "The application has no policy yet; create one before adding exceptions.";
  const baseline = await findBaselineInForce({});
  const maxLifetimeDays = baseline?.document.exceptionPolicy.maxLifetimeDays ?? DEFAULT_EXCEPTION_DAYS;
  const days = Math.min(DEFAULT_EXCEPTION_DAYS, maxLifetimeDays);
  const named = event.part === "header" || event.part === "parameter" || event.part === "cookie";
  const exception = {
    id: exceptionId(event),
    ruleId: event.ruleId,
    part: event.part,
    ...(named ? { name: event.part === "header" ? event.parameter.toLowerCase() : event.parameter } : {}),
    ...(event.part === "json-pointer" ? { pointer: event.parameter } : {}),
    conditions: { paths: [event.path], methods: [event.method] },
    expires: new Date(now.getTime() + days * DAY).toISOString().slice(0, 10),
  };
  return { applicationId: event.applicationId, policyId: policy.id, exception, maxLifetimeDays, impact: await impactOf(event, now) };
}

/** Events of the last IMPACT_DAYS the exception would have let through, and their distinct clients. */
async function impactOf(event: EventFields, now: Date) {
  const since = new Date(now.getTime() - IMPACT_DAYS * DAY);
  const [row] = await db.$queryRaw<[{ events: bigint; clients: bigint }]>`
    SELECT count(*) AS events, count(DISTINCT client_ip) AS clients FROM security_events
    WHERE application_id = ${event.applicationId}::uuid AND occurred_at >= ${since} AND rule_id = ${event.ruleId}
      AND part = ${event.part} AND parameter = ${event.parameter} AND path = ${event.path} AND method = ${event.method}`;
  return { days: IMPACT_DAYS, events: Number(row.events), clients: Number(row.clients) };
}

/** fp-<rule>-<6 hex of what it covers>: stable, so proposing twice names the same exception. */
function exceptionId(event: EventFields): string {
  const digest = createHash("sha256")
    .update(`${event.ruleId}\u0000${event.part}\u0000${event.parameter}\u0000${event.path}\u0000${event.method}`)
    .digest("hex")
    .slice(0, 6);
  const rule = event.ruleId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 50)
    .replace(/-+$/, "");
  return `fp-${rule}-${digest}`;
}
