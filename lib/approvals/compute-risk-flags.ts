import { z } from "zod";
import { diffPolicies, type PolicyDocument, type PolicyException } from "@/lib/policy-spec";
import { describeContentMarking } from "@/lib/policy-spec/diff-policies";
import type { DenyFamily } from "@/lib/policy-spec/sections/deny-rules";
import { isRangeCovered, parseCidr, type IpRange } from "@/lib/policy-spec/cidr";
import { describeException } from "@/lib/policy-spec/describe-exception";
import { daysBetween, utcDate } from "@/lib/policy-spec/policy-dates";
import { familyOfRuleId } from "@/lib/policy-spec/sections/exceptions";
import { hasFineGrainedRules } from "@/lib/policies/has-fine-grained-rules";

// What a reviewer must look at in a change, computed from the change itself (the
// version against the one in force) so that the queue can sort and filter by it. Pure:
// no I/O, the same input always gives the same flags.

export const RISK_FLAG_CODES = [
  "loosening",
  "exception-added",
  "exception-widened",
  "exception-weak-justification",
  "exception-long-expiry",
  "deny-log-only",
  "security-header-removed",
  "ip-range-broadened",
  "openapi-removed",
  "openapi-log-only",
  "internet-without-fine-grained",
  "content-relaxed",
] as const;
export type RiskFlagCode = (typeof RISK_FLAG_CODES)[number];

export const riskFlagSchema = z.object({
  code: z.enum(RISK_FLAG_CODES),
  text: z.string(),
  path: z.string().optional(),
  family: z.string().optional(),
  part: z.string().optional(),
  /** For exceptions: days from the computation until the exception expires. */
  days: z.number().int().optional(),
});
export type RiskFlag = z.infer<typeof riskFlagSchema>;

/** An exception that stays longer than this needs a closer look: exceptions are meant to be temporary. */
export const LONG_EXPIRY_DAYS = 90;
/**
 * The schema already demands 20 characters of justification; below this length and
 * without a ticket a justification says little more than "needed", which a reviewer
 * should see flagged as missing.
 */
export const WEAK_JUSTIFICATION_LENGTH = 40;

export function computeRiskFlags({
  before,
  after,
  exposure,
  now,
  relaxable,
}: {
  /** The version in force (null when nothing is published yet). */
  before: PolicyDocument | null;
  after: PolicyDocument;
  /** The application's exposure; null for a baseline. */
  exposure: "internet" | "internal" | null;
  now: Date;
  /** The baseline in force's contentProfiles.allowRelax, to word content markings with the families they relax. */
  relaxable?: readonly DenyFamily[];
}): RiskFlag[] {
  const flags: RiskFlag[] = [];
  const changes = before ? diffPolicies(before, after, { relaxable }).changes : [];
  const today = utcDate(now);

  for (const change of changes) {
    if (change.risk !== "loosens") continue;
    // Exceptions, headers and IP ranges get flags of their own below.
    if (/^\$\.(exceptions|securityHeaders|ipAllow)\b/.test(change.path) || change === contentChangeOf(changes)) continue;
    flags.push({ code: "loosening", text: change.text, path: change.path });
  }

  const beforeExceptions = new Map((exceptionsOf(before) ?? []).map((e) => [e.id, e]));
  for (const exception of exceptionsOf(after) ?? []) {
    const family = exception.family ?? familyOfRuleId(exception.ruleId!);
    const days = daysBetween(today, exception.expires);
    const facts = { family, part: exception.part, days };
    const previous = beforeExceptions.get(exception.id);
    if (!previous) {
      flags.push({ code: "exception-added", text: `adds ${describeException(exception)} (${days} days)`, ...facts });
    } else if (isWidened(previous, exception)) {
      flags.push({ code: "exception-widened", text: `widens ${describeException(exception)} (${days} days)`, ...facts });
    }
    if (!previous || isWidened(previous, exception) || previous.justification !== exception.justification) {
      if (!exception.ticket && exception.justification.trim().length < WEAK_JUSTIFICATION_LENGTH) {
        flags.push({ code: "exception-weak-justification", text: `exception ${exception.id} has no ticket and only a short justification`, ...facts });
      }
      if (days > LONG_EXPIRY_DAYS) {
        flags.push({ code: "exception-long-expiry", text: `exception ${exception.id} runs ${days} days (more than ${LONG_EXPIRY_DAYS})`, ...facts });
      }
    }
  }

  const beforeDeny = (before?.denyRules ?? {}) as Record<string, { mode?: string } | undefined>;
  for (const [family, rule] of Object.entries((after.denyRules ?? {}) as Record<string, { mode?: string } | undefined>)) {
    if (rule?.mode === "log-only" && beforeDeny[family]?.mode !== "log-only") {
      flags.push({
        code: "deny-log-only",
        text: `switches ${family} to log-only: attacks are reported, not blocked`,
        family,
        path: `$.denyRules.${family}.mode`,
      });
    }
  }

  for (const change of changes) {
    if (!change.path.startsWith("$.securityHeaders")) continue;
    if (change.kind === "removed" || change.after === false || change.risk === "loosens") {
      flags.push({ code: "security-header-removed", text: change.text, path: change.path });
    }
  }

  const widened = rangesOf(after).filter(
    (range) =>
      !isRangeCovered(
        range.range,
        rangesOf(before).map((r) => r.range),
      ),
  );
  if (before && widened.length > 0) {
    flags.push({ code: "ip-range-broadened", text: `allows traffic from ${widened.map((r) => r.text).join(", ")}, not allowed before`, path: "$.ipAllow" });
  }

  const beforeOpenApi = openApiOf(before);
  const afterOpenApi = openApiOf(after);
  if (beforeOpenApi && !afterOpenApi) {
    flags.push({ code: "openapi-removed", text: "removes the OpenAPI specification: unknown paths and parameters are no longer refused", path: "$.openapi" });
  } else if (afterOpenApi?.validation === "log-only" && beforeOpenApi?.validation !== "log-only") {
    flags.push({ code: "openapi-log-only", text: "switches OpenAPI validation to log-only", path: "$.openapi.validation" });
  }

  // Fields marked as free text relax deny rules like an exception would: flagged for review like one, on a first submission too.
  const marked = describeContentMarking(before, after, relaxable);
  if (marked && marked.risk === "loosens") flags.push({ code: "content-relaxed", text: marked.text, path: marked.path });

  if (exposure === "internet" && after.kind === "ApplicationPolicy" && !hasFineGrainedRules(after)) {
    flags.push({ code: "internet-without-fine-grained", text: "internet-facing application without fine-grained policy of its own" });
  }
  return flags;
}

function contentChangeOf(changes: ReturnType<typeof diffPolicies>["changes"]) {
  return changes.find((change) => change.path === "$.openapi.spec" && /content fields? of /.test(change.text));
}

function exceptionsOf(document: PolicyDocument | null): PolicyException[] | undefined {
  return document && "exceptions" in document ? (document.exceptions as PolicyException[] | undefined) : undefined;
}

function openApiOf(document: PolicyDocument | null): { validation: string } | undefined {
  return document && "openapi" in document ? (document.openapi as { validation: string } | undefined) : undefined;
}

/** Wider: more paths or methods, a whole family instead of one rule, another target, or a later expiry. */
function isWidened(before: PolicyException, after: PolicyException): boolean {
  const paths = new Set(before.conditions.paths);
  const beforeMethods = before.conditions.methods;
  const afterMethods = after.conditions.methods;
  const moreMethods = beforeMethods !== undefined && (afterMethods === undefined || afterMethods.some((m) => !beforeMethods.includes(m)));
  return (
    after.conditions.paths.some((p) => !paths.has(p)) ||
    moreMethods ||
    (before.ruleId !== undefined && after.family !== undefined) ||
    before.part !== after.part ||
    before.name !== after.name ||
    before.pointer !== after.pointer ||
    after.expires > before.expires
  );
}

/** Every literal network of the document (named networks and literals in allow rules). */
function rangesOf(document: PolicyDocument | null): { text: string; range: IpRange }[] {
  const ipAllow =
    document && "ipAllow" in document
      ? (document.ipAllow as { networks?: Record<string, string[]>; rules?: { allowFrom: string[] }[] } | undefined)
      : undefined;
  if (!ipAllow) return [];
  const texts = [...Object.values(ipAllow.networks ?? {}).flat(), ...(ipAllow.rules ?? []).flatMap((r) => r.allowFrom)];
  const out: { text: string; range: IpRange }[] = [];
  for (const text of texts) {
    const parsed = parseCidr(text);
    if (parsed.ok) out.push({ text: parsed.canonical, range: parsed.range });
  }
  return out;
}
