// Real inputs for the renderers' tests: the example policies merged and
// compiled through lib/policy-spec, so the fixtures cannot drift from the contract.

import { readFileSync } from "node:fs";
import path from "node:path";
import { compilePolicy, mergePolicies, parsePolicyDocument, type BaselinePolicy, type Bundle, type EffectivePolicy } from "@/lib/policy-spec";

export const NOW = new Date("2026-12-01T12:00:00Z");
const EXAMPLES = path.resolve(import.meta.dirname, "../../../../examples/policies");

export function loadExample(file: string) {
  const result = parsePolicyDocument(readFileSync(path.join(EXAMPLES, file), "utf8"));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

export function exampleBaseline(file = "baseline-standard.yaml"): BaselinePolicy {
  const policy = loadExample(file);
  if (policy.kind !== "BaselinePolicy") throw new Error(`${file} is not a baseline`);
  return policy;
}

export interface ExampleApplication {
  id: string;
  name: string;
  effective: EffectivePolicy;
  bundle: Bundle;
}

export function examplePaymentsApi(baselineFile = "baseline-standard.yaml"): ExampleApplication & { baseline: BaselinePolicy } {
  const baseline = exampleBaseline(baselineFile);
  const application = loadExample("app-payments-api.yaml");
  if (application.kind !== "ApplicationPolicy") throw new Error("kind");
  const merged = mergePolicies(baseline, application, { now: NOW });
  if (!merged.ok) throw new Error(JSON.stringify(merged.errors));
  return { id: "app_payments_0001", name: "payments-api", effective: merged.effective, bundle: compilePolicy(merged.effective), baseline };
}
