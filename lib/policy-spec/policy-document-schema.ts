// Either kind of policy document, told apart by `kind`.

import { z } from "zod";
import { applicationPolicySchema } from "./application-policy-schema";
import { baselinePolicySchema } from "./baseline-policy-schema";

export const POLICY_KINDS = ["BaselinePolicy", "ApplicationPolicy"] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export const policyDocumentSchema = z.discriminatedUnion("kind", [baselinePolicySchema, applicationPolicySchema], {
  error: 'kind must be "BaselinePolicy" or "ApplicationPolicy"',
});
export type PolicyDocument = z.output<typeof policyDocumentSchema>;

export const POLICY_SCHEMAS = {
  BaselinePolicy: baselinePolicySchema,
  ApplicationPolicy: applicationPolicySchema,
} as const;
