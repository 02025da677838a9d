// A baseline + application policy pair compiled the way the portal compiles it,
// run in-process through the two middlewares that decide on fields: OpenAPI
// validation (which matches the operation in the head phase) and the deny
// rules (which apply each field's content profile in the body phase). For
// table-driven tests and the content-profile benchmark.

import { compilePolicy, mergePolicies, parsePolicyDocument, type Bundle } from "@/lib/policy-spec";
import { newDenyRules } from "../middleware/deny-rules/new-deny-rules.js";
import { newOpenApiValidation } from "../middleware/openapi/new-openapi-validation.js";
import type { Decision } from "../runtime/decision.js";
import type { RequestContext } from "../runtime/request-context.js";
import { requestContext, type RequestInit } from "./bundle-fixtures.js";

export function bundleFromTexts(baselineText: string, applicationText: string, now = new Date("2026-12-07T00:00:00Z")): Bundle {
  const baseline = parsePolicyDocument(baselineText, { kind: "BaselinePolicy" });
  const application = parsePolicyDocument(applicationText, { kind: "ApplicationPolicy" });
  if (!baseline.ok || !application.ok) throw new Error("the policies do not parse");
  const merged = mergePolicies(baseline.policy, application.policy, { now });
  if (!merged.ok) throw new Error(JSON.stringify(merged.errors));
  return compilePolicy(merged.effective);
}

export function newDenyRulesFor(bundle: Bundle) {
  return newDenyRules(
    {
      denyRules: bundle.denyRules,
      uninspected: bundle.limits.uninspected,
      virtualPatches: bundle.virtualPatches,
      exceptions: bundle.exceptions,
      contentFields: { openapi: bundle.openapi, contentProfiles: bundle.contentProfiles },
    },
    { maxInspectBytes: 1024 * 1024 },
  );
}

/** The first refusal (OpenAPI head checks, then deny rules, then the body schema), or null when the request passes. */
export function fieldRoute(bundle: Bundle): (init: RequestInit) => { verdict: Decision | null; ctx: RequestContext } {
  const openapi = newOpenApiValidation(bundle.openapi!);
  const deny = newDenyRulesFor(bundle);
  return (init) => {
    const ctx = requestContext(init);
    const head = openapi.onRequest!(ctx) as Decision | null;
    if (head !== null) return { verdict: head, ctx };
    return { verdict: (deny.onBody!(ctx) ?? openapi.onBody!(ctx)) as Decision | null, ctx };
  };
}
