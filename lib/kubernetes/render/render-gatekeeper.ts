// OPA Gatekeeper: a ConstraintTemplate (templates.gatekeeper.sh/v1) whose Rego
// knows *how* to compare a policy resource with a baseline, and a Constraint
// (constraints.gatekeeper.sh/v1beta1) that carries *which* baseline: floors,
// required headers and non-exempt families as parameters, generated from the
// baseline. Changing the baseline changes only the Constraint. Missing fields
// count as violations (fail closed): a RampartPolicy without a family's deny
// rule, or an Airlock exception without rule keys or a path, is refused.

import type { BaselinePolicy } from "@/lib/policy-spec";
import { AIRLOCK_LEVELS } from "./airlock-deny-rule-keys";
import { airlockFloors, baselineRequirements } from "./baseline-requirements";
import { rampartLabels, resourceName, type KubernetesResource } from "./kubernetes-resource";
import { RAMPART_POLICY } from "./render-crd";

export const GATEKEEPER_TEMPLATE_NAME = "rampartbaseline";
export const GATEKEEPER_CONSTRAINT_KIND = "RampartBaseline";

/** The parameters schema the Constraint's `spec.parameters` must satisfy. */
export const CONSTRAINT_PARAMETERS_SCHEMA = {
  type: "object",
  properties: {
    baseline: { type: "string" },
    families: {
      type: "array",
      items: {
        type: "object",
        properties: {
          family: { type: "string" },
          minLevel: { type: "string", enum: ["basic", "standard", "strict"] },
          requireBlock: { type: "boolean" },
        },
      },
    },
    requiredHeaders: { type: "array", items: { type: "string" } },
    nonExemptFamilies: { type: "array", items: { type: "string" } },
    airlockGlobalMinLevel: { type: "string", enum: [...AIRLOCK_LEVELS] },
    airlockRequireBlock: { type: "boolean" },
    airlockKeyFloors: {
      type: "array",
      items: {
        type: "object",
        properties: { key: { type: "string" }, minLevel: { type: "string", enum: [...AIRLOCK_LEVELS] }, requireBlock: { type: "boolean" } },
      },
    },
    nonExemptAirlockKeys: { type: "array", items: { type: "string" } },
  },
};

export const RAMPART_BASELINE_REGO = String.raw`package rampartbaseline

levels := {"basic": 0, "standard": 1, "strict": 2}

airlock_levels := {"Unfiltered": -1, "Basic": 0, "Standard": 1, "Strict": 2}

is_rampart_policy {
  input.review.kind.group == "${RAMPART_POLICY.group}"
  input.review.kind.kind == "${RAMPART_POLICY.kind}"
}

is_airlock(kind) {
  input.review.kind.group == "microgateway.airlock.com"
  input.review.kind.kind == kind
}

bundle := input.review.object.spec.bundle

# --- RampartPolicy ---------------------------------------------------------

violation[{"msg": msg}] {
  is_rampart_policy
  floor := input.parameters.families[_]
  not bundle.denyRules[floor.family]
  msg := sprintf("deny rules for %v are missing; baseline %v requires at least %v", [floor.family, input.parameters.baseline, floor.minLevel])
}

violation[{"msg": msg}] {
  is_rampart_policy
  floor := input.parameters.families[_]
  rule := bundle.denyRules[floor.family]
  not levels[rule.level] >= levels[floor.minLevel]
  msg := sprintf("deny rules for %v are at level %v, below the baseline floor %v", [floor.family, rule.level, floor.minLevel])
}

violation[{"msg": msg}] {
  is_rampart_policy
  floor := input.parameters.families[_]
  floor.requireBlock
  rule := bundle.denyRules[floor.family]
  rule.mode != "block"
  msg := sprintf("deny rules for %v are %v where baseline %v says block", [floor.family, rule.mode, input.parameters.baseline])
}

violation[{"msg": msg}] {
  is_rampart_policy
  required := input.parameters.requiredHeaders[_]
  names := {lower(header[0]) | header := bundle.responseHeaders[_]}
  not names[lower(required)]
  msg := sprintf("response header %v is required by the baseline", [required])
}

violation[{"msg": msg}] {
  is_rampart_policy
  exception := bundle.exceptions[_]
  path := exception.paths[_]
  wildcard_path(path)
  msg := sprintf("exception %v applies to a wildcard path; exceptions must name literal paths", [exception.id])
}

violation[{"msg": msg}] {
  is_rampart_policy
  exception := bundle.exceptions[_]
  exception.family == input.parameters.nonExemptFamilies[_]
  msg := sprintf("exception %v is for %v, which the baseline makes non-exempt", [exception.id, exception.family])
}

wildcard_path(path) {
  path.kind == "prefix"
  path.value == ""
}

wildcard_path(path) {
  path.kind == "prefix"
  path.value == "/"
}

wildcard_path(path) {
  path.kind == "regex"
  startswith(path.source, "^/[^/]+")
}

wildcard_path(path) {
  path.kind == "regex"
  startswith(path.source, "^(?:/.*)?")
}

# --- Airlock DenyRules -----------------------------------------------------

builtin := object.get(input.review.object, ["spec", "request", "builtIn"], {})

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  level := object.get(builtin, ["settings", "level"], "Standard")
  not airlock_levels[level] >= airlock_levels[input.parameters.airlockGlobalMinLevel]
  msg := sprintf("DenyRules level %v is below the baseline floor %v", [level, input.parameters.airlockGlobalMinLevel])
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  input.parameters.airlockRequireBlock
  mode := object.get(builtin, ["settings", "threatHandlingMode"], "Block")
  mode != "Block"
  msg := sprintf("DenyRules threatHandlingMode %v where the baseline says Block", [mode])
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  override := builtin.overrides[_]
  key := override.conditions.ruleKeys[_]
  floor := input.parameters.airlockKeyFloors[_]
  floor.key == key
  level := object.get(override, ["settings", "level"], object.get(builtin, ["settings", "level"], "Standard"))
  not airlock_levels[level] >= airlock_levels[floor.minLevel]
  msg := sprintf("DenyRules override sets %v to %v, below the baseline floor %v", [key, level, floor.minLevel])
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  override := builtin.overrides[_]
  key := override.conditions.ruleKeys[_]
  floor := input.parameters.airlockKeyFloors[_]
  floor.key == key
  floor.requireBlock
  object.get(override, ["settings", "threatHandlingMode"], "Block") != "Block"
  msg := sprintf("DenyRules override logs %v only where the baseline says Block", [key])
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  override := builtin.overrides[_]
  not override.conditions.ruleKeys
  msg := "DenyRules override without ruleKeys changes every rule group"
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  exception := builtin.exceptions[_]
  not exception.ruleKeys
  msg := "DenyRules exception without ruleKeys exempts every rule group"
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  exception := builtin.exceptions[_]
  not exception.requestConditions.path
  msg := "DenyRules exception without a path condition applies to the whole application"
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  exception := builtin.exceptions[_]
  airlock_wildcard(exception.requestConditions.path.matcher)
  msg := "DenyRules exception applies to a wildcard path"
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  exception := builtin.exceptions[_]
  key := exception.ruleKeys[_]
  key == input.parameters.nonExemptAirlockKeys[_]
  msg := sprintf("DenyRules exception for %v, which the baseline makes non-exempt", [key])
}

airlock_wildcard(matcher) {
  matcher.prefix == "/"
}

airlock_wildcard(matcher) {
  prefixes := ["^(/.*)?", "^/[^/]+", "^/.*", "^.*"]
  startswith(matcher.regex, prefixes[_])
}

# --- Airlock HeaderRewrites ------------------------------------------------

violation[{"msg": msg}] {
  is_airlock("HeaderRewrites")
  required := input.parameters.requiredHeaders[_]
  names := {lower(header.name) | header := input.review.object.spec.response.add.custom[_].headers[_]}
  not names[lower(required)]
  msg := sprintf("HeaderRewrites must add %v (required by the baseline)", [required])
}
`;

export function renderGatekeeperTemplate(): KubernetesResource {
  return {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: { name: GATEKEEPER_TEMPLATE_NAME, labels: rampartLabels(), annotations: { description: "Refuses Rampart and Airlock policy resources weaker than a Rampart baseline." } },
    spec: {
      crd: { spec: { names: { kind: GATEKEEPER_CONSTRAINT_KIND }, validation: { openAPIV3Schema: CONSTRAINT_PARAMETERS_SCHEMA } } },
      targets: [{ target: "admission.k8s.gatekeeper.sh", rego: RAMPART_BASELINE_REGO }],
    },
  };
}

export function renderGatekeeperConstraint(baseline: BaselinePolicy): KubernetesResource {
  const requirements = baselineRequirements(baseline);
  const airlock = airlockFloors(requirements);
  return {
    apiVersion: "constraints.gatekeeper.sh/v1beta1",
    kind: GATEKEEPER_CONSTRAINT_KIND,
    metadata: {
      name: resourceName("rampart-baseline", requirements.baselineName),
      labels: rampartLabels({ "rampart.dev/baseline": requirements.baselineName }),
      annotations: {},
    },
    spec: {
      enforcementAction: "deny",
      match: {
        kinds: [
          { apiGroups: [RAMPART_POLICY.group], kinds: [RAMPART_POLICY.kind] },
          { apiGroups: ["microgateway.airlock.com"], kinds: ["DenyRules", "HeaderRewrites"] },
        ],
      },
      parameters: {
        baseline: requirements.baselineName,
        families: requirements.families.map((floor) => ({ family: floor.family, minLevel: floor.minLevel, requireBlock: floor.requireBlock })),
        requiredHeaders: requirements.requiredHeaders,
        nonExemptFamilies: requirements.nonExemptFamilies,
        airlockGlobalMinLevel: airlock.globalMinLevel,
        airlockRequireBlock: airlock.requireBlock,
        airlockKeyFloors: airlock.keys.map((floor) => ({ key: floor.key, minLevel: floor.minLevel, requireBlock: floor.requireBlock })),
        nonExemptAirlockKeys: airlock.nonExemptKeys,
      },
    },
  };
}
