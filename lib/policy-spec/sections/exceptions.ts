// Exceptions: the only way an application may loosen the baseline. Each one is
// narrow (a rule family or rule id, on one part of the request, on listed
// paths), explained, and time-boxed; the merge flags every one for review and
// drops it once expired.

import { z } from "zod";
import { DENY_RULE_FAMILY, DENY_RULES } from "./deny-rule-catalog";
import { denyFamilySchema, type DenyFamily } from "./deny-rules";
import { isoDateSchema, jsonPointerSchema, methodListSchema, pathPatternListSchema, slugSchema, uniqueList } from "./policy-fields";

export const REQUEST_PARTS = ["header", "parameter", "path", "json-pointer", "cookie"] as const;
export type RequestPart = (typeof REQUEST_PARTS)[number];

/**
 * A deny rule by the id the proxy logs (sqli.union-select); the catalog in
 * deny-rule-catalog.ts is the list, so an exception can never name a rule the
 * proxy does not have (the proxy would refuse the whole bundle).
 */
export const ruleIdSchema = z.enum(DENY_RULES.map(([id]) => id) as [string, ...string[]], {
  error: (issue) => unknownRuleMessage(String(issue.input)),
});

function unknownRuleMessage(value: string): string {
  const prefix = value.split(".")[0]!;
  const sameFamily = DENY_RULES.filter(([id]) => id.startsWith(`${prefix}.`)).map(([id]) => id);
  if (sameFamily.length > 0) return `unknown ${prefix} rule "${value}"; ${prefix} rules: ${sameFamily.join(", ")}`;
  const families = [...new Set(DENY_RULES.map(([id]) => id.split(".")[0]))].join(", ");
  return `unknown rule id "${value}": rule ids are written <family>.<rule> as in the proxy's decision log, such as sqli.union-select (families: ${families})`;
}

/** The policy family of a rule id the schema accepted. */
export function familyOfRuleId(ruleId: string): DenyFamily {
  const family = DENY_RULE_FAMILY.get(ruleId);
  if (family === undefined) throw new Error(`unknown deny rule id "${ruleId}"`);
  return family;
}

export const policyExceptionSchema = z
  .strictObject({
    id: slugSchema,
    family: denyFamilySchema.optional(),
    ruleId: ruleIdSchema.optional(),
    part: z.enum(REQUEST_PARTS),
    /** The header, parameter or cookie name; not used for path and json-pointer. */
    name: z.string().min(1).max(256).optional(),
    /** For json-pointer only. */
    pointer: jsonPointerSchema.optional(),
    conditions: z.strictObject({
      // Required: an exception that applies to every path is a disabled rule in disguise.
      paths: pathPatternListSchema.min(1, "an exception must name the paths it applies to"),
      methods: methodListSchema.min(1).optional(),
    }),
    justification: z.string().trim().min(20, "explain why the exception is needed (at least 20 characters)").max(2000),
    expires: isoDateSchema,
    /** A ticket or change reference, for the audit trail. */
    ticket: z.string().min(1).max(200).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.family === undefined) === (value.ruleId === undefined)) {
      ctx.addIssue({ code: "custom", path: ["family"], message: "name exactly one of family or ruleId" });
    }
    const needsName = value.part === "header" || value.part === "parameter" || value.part === "cookie";
    if (needsName && value.name === undefined) {
      ctx.addIssue({ code: "custom", path: ["name"], message: `a ${value.part} exception needs the ${value.part} name` });
    }
    if (!needsName && value.name !== undefined) {
      ctx.addIssue({ code: "custom", path: ["name"], message: `name is not used for part "${value.part}"` });
    }
    if (value.part === "json-pointer" && value.pointer === undefined) {
      ctx.addIssue({ code: "custom", path: ["pointer"], message: "a json-pointer exception needs a pointer" });
    }
    if (value.part !== "json-pointer" && value.pointer !== undefined) {
      ctx.addIssue({ code: "custom", path: ["pointer"], message: `pointer is only used with part "json-pointer"` });
    }
  });
export type PolicyException = z.output<typeof policyExceptionSchema>;

export const policyExceptionsSchema = z.array(policyExceptionSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((exception, index) => {
    if (seen.has(exception.id)) {
      ctx.addIssue({ code: "custom", path: [index, "id"], message: `duplicate exception id "${exception.id}"` });
    }
    seen.add(exception.id);
  });
});

/** The baseline's rules for exceptions. */
export const exceptionPolicySchema = z.strictObject({
  maxLifetimeDays: z.int().min(1).max(3650).default(180),
  /** Families no application may except itself from. */
  nonExemptFamilies: uniqueList(denyFamilySchema, "family").default([]),
});
