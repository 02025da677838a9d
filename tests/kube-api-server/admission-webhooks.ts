// Validating admission webhooks as kube-apiserver calls them: after defaulting
// and schema validation, for create, update and patch (server-side apply
// included), dry runs too (Kyverno and Gatekeeper declare sideEffects None).
// A denial becomes the Status the real server builds from the webhook's answer
// (apiserver's webhook errors.ToStatusErr): code below 400 → 400, message
// prefixed `admission webhook "<name>" denied the request: `.
//
// The two shapes Rampart meets: Kyverno answers without a code (so 400, no
// reason) and lists the policies and rules that blocked; Gatekeeper answers
// 403 Forbidden (controller-runtime's Denied) with "[constraint] message"
// lines. A client must not mistake the latter for an RBAC refusal.

import type { JsonObject } from "./json-object.js";

export interface AdmissionRequest {
  operation: "CREATE" | "UPDATE";
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  name: string;
  namespace: string | null;
  object: JsonObject;
  oldObject: JsonObject | null;
  dryRun: boolean;
  userInfo: { username: string; groups: string[] };
}

export interface AdmissionDenial {
  /** Absent: 400, as the API server fills it in. */
  code?: number;
  reason?: string;
  message: string;
}

export interface AdmissionWebhook {
  /** The webhook's name as configured (e.g. "validate.kyverno.svc-fail"). */
  name: string;
  /** null: allowed. */
  review(request: AdmissionRequest): AdmissionDenial | null;
}

/** The Status fields of a denial, as the API server writes them. */
export function denialStatus(webhook: string, denial: AdmissionDenial): { code: number; reason: string; message: string } {
  const deniedBy = `admission webhook "${webhook}" denied the request`;
  const message = denial.message ? `${deniedBy}: ${denial.message}` : denial.reason ? `${deniedBy}: ${denial.reason}` : `${deniedBy} without explanation`;
  return { code: denial.code !== undefined && denial.code >= 400 ? denial.code : 400, reason: denial.reason ?? "", message };
}

/** Kyverno's answer when validate rules in Enforce mode fail (pkg/webhooks/resource/validation, 1.10+). */
export function kyvernoDenial(request: AdmissionRequest, failures: ReadonlyArray<{ policy: string; rule: string; message: string }>): AdmissionDenial {
  const byPolicy = new Map<string, string[]>();
  for (const failure of failures) byPolicy.set(failure.policy, [...(byPolicy.get(failure.policy) ?? []), `  ${failure.rule}: '${failure.message}'`]);
  const resource = `${request.kind.kind}/${request.namespace ? `${request.namespace}/` : ""}${request.name}`;
  const lines = [...byPolicy].map(([policy, rules]) => `${policy}:\n${rules.join("\n")}`);
  return { message: `\n\nresource ${resource} was blocked due to the following policies \n\n${lines.join("\n")}` };
}

/** Gatekeeper's answer: one "[constraint] message" line per violation, 403 Forbidden. */
export function gatekeeperDenial(violations: ReadonlyArray<{ constraint: string; message: string }>): AdmissionDenial {
  return { code: 403, reason: "Forbidden", message: violations.map((v) => `[${v.constraint}] ${v.message}`).join("\n") };
}
