// IP allow rules: named networks and "only from" lists scoped by path. Rules
// combine with AND (a request must satisfy every rule whose paths match), so an
// application's rules can only ever add restrictions to the baseline's.

import { z } from "zod";
import { parseCidr } from "../cidr";
import { cidrSchema, pathPatternListSchema, slugSchema, uniqueList } from "./policy-fields";

export function isNetworkName(ref: string): boolean {
  return !ref.includes(".") && !ref.includes(":");
}

/** A network name (slug) or a literal network; literals contain "." or ":". */
export const networkRefSchema = z.string().superRefine((value, ctx) => {
  if (isNetworkName(value)) {
    if (!slugSchema.safeParse(value).success) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" must be a network name declared under ipAllow.networks, or a CIDR such as 192.0.2.0/24`,
      });
    }
    return;
  }
  const parsed = parseCidr(value);
  if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.message });
});

export const ipAllowRuleSchema = z.strictObject({
  paths: pathPatternListSchema.min(1).default(["/**"]),
  allowFrom: uniqueList(networkRefSchema, "network").min(1, "an allow rule needs at least one network"),
});

const ipAllowShape = {
  networks: z.record(slugSchema, uniqueList(cidrSchema, "network").min(1, "a network needs at least one CIDR")).default({}),
  rules: z.array(ipAllowRuleSchema).default([]),
};

/** The baseline must be self-contained, so every network it names must be declared in it. */
export const baselineIpAllowSchema = z.strictObject(ipAllowShape).superRefine((value, ctx) => {
  value.rules.forEach((rule, ruleIndex) => {
    rule.allowFrom.forEach((ref, refIndex) => {
      if (isNetworkName(ref) && !(ref in value.networks)) {
        ctx.addIssue({
          code: "custom",
          path: ["rules", ruleIndex, "allowFrom", refIndex],
          message: `network "${ref}" is not declared under ipAllow.networks`,
        });
      }
    });
  });
});

/** Application rules may also name the baseline's networks; the merge resolves them. */
export const applicationIpAllowSchema = z.strictObject(ipAllowShape);
