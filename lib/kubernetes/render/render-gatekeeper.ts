// OPA Gatekeeper: a ConstraintTemplate (templates.gatekeeper.sh/v1) whose Rego
// knows *how* to compare a policy resource with a baseline, and a Constraint
// (constraints.gatekeeper.sh/v1beta1) that carries *which* baseline: floors,
// required headers and non-exempt families as parameters, generated from the
// baseline. Changing the baseline changes only the Constraint. Missing fields
// count as violations (fail closed): a RampartPolicy without a family's deny
// rule, or an Airlock exception without rule keys or a path, is refused. The
// rules are those of render-kyverno.ts; admission-policies.test.ts evaluates
// both on one table of cases (this Rego with OPA itself) and requires the
// same answer for every case.

import type { BaselinePolicy } from "@/lib/policy-spec";
import { AIRLOCK_DEFAULT_LEVEL, AIRLOCK_LEVELS } from "./airlock-deny-rule-keys";
import { AIRLOCK_LIMIT_FIELDS, airlockFloors, baselineRequirements, CANARY_PATHS, GUARDED_KINDS } from "./baseline-requirements";
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
    limits: { type: "object", additionalProperties: { type: "integer" } },
    refuseUninspected: { type: "boolean" },
    canaryPaths: { type: "array", items: { type: "string" } },
    airlockGlobalMinLevel: { type: "string", enum: [...AIRLOCK_LEVELS] },
    airlockRequireBlock: { type: "boolean" },
    airlockLevelsBelowGlobal: { type: "array", items: { type: "string", enum: [...AIRLOCK_LEVELS] } },
    airlockKeyFloors: {
      type: "array",
      items: {
        type: "object",
        properties: { key: { type: "string" }, minLevel: { type: "string", enum: [...AIRLOCK_LEVELS] }, requireBlock: { type: "boolean" } },
      },
    },
    nonExemptAirlockKeys: { type: "array", items: { type: "string" } },
    airlockLimits: {
      type: "array",
      items: { type: "object", properties: { section: { type: "string" }, field: { type: "string" }, max: { type: "integer" } } },
    },
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
  rampart_catch_all(path)
  msg := sprintf("exception %v applies to every path; exceptions must name the paths they are for", [exception.id])
}

violation[{"msg": msg}] {
  is_rampart_policy
  exception := bundle.exceptions[_]
  exception.family == input.parameters.nonExemptFamilies[_]
  msg := sprintf("exception %v is for %v, which the baseline makes non-exempt", [exception.id, exception.family])
}

violation[{"msg": msg}] {
  is_rampart_policy
  max := input.parameters.limits[name]
  value := object.get(bundle, ["limits", name], null)
  not is_number(value)
  msg := sprintf("request limit %v is missing; baseline %v allows at most %v", [name, input.parameters.baseline, max])
}

violation[{"msg": msg}] {
  is_rampart_policy
  max := input.parameters.limits[name]
  value := bundle.limits[name]
  is_number(value)
  value > max
  msg := sprintf("request limit %v is %v, above the baseline's %v", [name, value, max])
}

violation[{"msg": msg}] {
  is_rampart_policy
  input.parameters.refuseUninspected
  object.get(bundle, ["limits", "uninspected"], "") != "refuse"
  msg := sprintf("content beyond an inspection cap is forwarded (uninspected: %v) where baseline %v refuses it", [object.get(bundle, ["limits", "uninspected"], "unset"), input.parameters.baseline])
}

# A path matcher that matches everything: an empty or "/" prefix, a regex matching a canary path
# no exception is about, or a regex RE2 cannot read (fail closed).
rampart_catch_all(path) {
  path.kind == "prefix"
  path.value == ""
}

rampart_catch_all(path) {
  path.kind == "prefix"
  path.value == "/"
}

rampart_catch_all(path) {
  path.kind == "regex"
  canary := input.parameters.canaryPaths[_]
  regex.match(path.source, canary)
}

rampart_catch_all(path) {
  path.kind == "regex"
  not regex.is_valid(path.source)
}

# --- Airlock DenyRules -----------------------------------------------------

builtin := object.get(input.review.object, ["spec", "request", "builtIn"], {})

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  # Left out, the level is Airlock's default (the CRD's): Standard.
  level := object.get(builtin, ["settings", "level"], "${AIRLOCK_DEFAULT_LEVEL}")
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
  level := object.get(override, ["settings", "level"], object.get(builtin, ["settings", "level"], "${AIRLOCK_DEFAULT_LEVEL}"))
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

# An override without rule keys applies to every rule group: it may raise, never lower.
violation[{"msg": msg}] {
  is_airlock("DenyRules")
  override := builtin.overrides[_]
  count(object.get(override, ["conditions", "ruleKeys"], [])) == 0
  level := override.settings.level
  level == input.parameters.airlockLevelsBelowGlobal[_]
  msg := sprintf("DenyRules override without rule keys lowers every rule group to %v", [level])
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  input.parameters.airlockRequireBlock
  override := builtin.overrides[_]
  count(object.get(override, ["conditions", "ruleKeys"], [])) == 0
  override.settings.threatHandlingMode == "LogOnly"
  msg := "DenyRules override without rule keys logs every rule group only"
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  exception := builtin.exceptions[_]
  count(object.get(exception, "ruleKeys", [])) == 0
  msg := "DenyRules exception without ruleKeys exempts every rule group"
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  exception := builtin.exceptions[_]
  count(object.get(exception, ["requestConditions", "path", "matcher"], {})) == 0
  msg := "DenyRules exception without a path condition applies to the whole application"
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  exception := builtin.exceptions[_]
  airlock_catch_all(exception.requestConditions.path.matcher)
  msg := "DenyRules exception applies to every path (a catch-all prefix, contains, suffix or unanchored regex)"
}

violation[{"msg": msg}] {
  is_airlock("DenyRules")
  exception := builtin.exceptions[_]
  key := exception.ruleKeys[_]
  key == input.parameters.nonExemptAirlockKeys[_]
  msg := sprintf("DenyRules exception for %v, which the baseline makes non-exempt", [key])
}

airlock_catch_all(matcher) {
  canary := input.parameters.canaryPaths[_]
  startswith(canary, matcher.prefix)
}

airlock_catch_all(matcher) {
  canary := input.parameters.canaryPaths[_]
  contains(canary, matcher["contains"])
}

airlock_catch_all(matcher) {
  matcher.suffix != ""
}

airlock_catch_all(matcher) {
  matcher.regex != ""
  not startswith(matcher.regex, "^")
}

airlock_catch_all(matcher) {
  canary := input.parameters.canaryPaths[_]
  regex.match(matcher.regex, canary)
}

airlock_catch_all(matcher) {
  matcher.regex != ""
  not regex.is_valid(matcher.regex)
}

# --- Airlock HeaderRewrites ------------------------------------------------

violation[{"msg": msg}] {
  is_airlock("HeaderRewrites")
  required := input.parameters.requiredHeaders[_]
  names := {lower(header.name) | header := input.review.object.spec.response.add.custom[_].headers[_]}
  not names[lower(required)]
  msg := sprintf("HeaderRewrites must add %v (required by the baseline)", [required])
}

# --- Airlock Limits and Parser ---------------------------------------------

limited := object.get(input.review.object, ["spec", "request", "limited"], {})

# A Kubernetes quantity (an integer or a string such as "100Mi") in bytes or as a count.
quantity(value) = value {
  is_number(value)
}

quantity(value) = n {
  is_string(value)
  n := units.parse(value)
}

violation[{"msg": msg}] {
  is_airlock("Limits")
  limit := input.parameters.airlockLimits[_]
  object.get(limited, [limit.section, limit.field], null) == null
  msg := sprintf("Limits %v.%v is not set; the baseline allows at most %v", [limit.section, limit.field, limit.max])
}

violation[{"msg": msg}] {
  is_airlock("Limits")
  limit := input.parameters.airlockLimits[_]
  value := limited[limit.section][limit.field]
  not quantity(value) <= limit.max
  msg := sprintf("Limits %v.%v is %v, above the baseline's %v", [limit.section, limit.field, value, limit.max])
}

violation[{"msg": msg}] {
  is_airlock("Limits")
  object.get(input.review.object, ["spec", "request", "unlimited"], null) != null
  msg := "Limits must not switch limits off (spec.request.unlimited)"
}

violation[{"msg": msg}] {
  is_airlock("Limits")
  mode := object.get(input.review.object, ["spec", "settings", "threatHandlingMode"], "Block")
  mode != "Block"
  msg := sprintf("Limits threatHandlingMode %v where the baseline's limits block", [mode])
}

violation[{"msg": msg}] {
  is_airlock("Parser")
  parser := ["json", "form", "multipart"][_]
  object.get(input.review.object, ["spec", "request", "parsers", parser, "enable"], true) == false
  msg := sprintf("Parser switches the %v parser off: deny rules cannot see into a body nobody parses", [parser])
}

violation[{"msg": msg}] {
  is_airlock("Parser")
  rule := input.review.object.spec.request.custom.rules[_]
  rule.action.skip
  msg := "Parser skips parsing for some requests (a custom rule with action.skip)"
}

# --- Airlock ContentSecurityPolicy -----------------------------------------

violation[{"msg": msg}] {
  is_airlock("ContentSecurityPolicy")
  object.get(input.review.object, ["spec", "unsecured"], null) != null
  msg := "ContentSecurityPolicy is unsecured"
}

violation[{"msg": msg}] {
  is_airlock("ContentSecurityPolicy")
  object.get(input.review.object, ["spec", "secured", "filter", "denyRulesRef", "name"], "") == ""
  msg := "ContentSecurityPolicy does not filter with DenyRules"
}
`;

export function renderGatekeeperTemplate(): KubernetesResource {
  return {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata: {
      name: GATEKEEPER_TEMPLATE_NAME,
      labels: rampartLabels(),
      annotations: { description: "Refuses Rampart and Airlock policy resources weaker than a Rampart baseline." },
    },
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
        kinds: [...new Set(GUARDED_KINDS.map((k) => k.group))].map((group) => ({
          apiGroups: [group],
          kinds: GUARDED_KINDS.filter((k) => k.group === group).map((k) => k.kind),
        })),
      },
      parameters: {
        baseline: requirements.baselineName,
        families: requirements.families.map((floor) => ({ family: floor.family, minLevel: floor.minLevel, requireBlock: floor.requireBlock })),
        requiredHeaders: requirements.requiredHeaders,
        nonExemptFamilies: requirements.nonExemptFamilies,
        limits: requirements.limits,
        refuseUninspected: requirements.refuseUninspected,
        canaryPaths: [...CANARY_PATHS],
        airlockGlobalMinLevel: airlock.globalMinLevel,
        airlockRequireBlock: airlock.requireBlock,
        airlockLevelsBelowGlobal: airlock.levelsBelowGlobal,
        airlockKeyFloors: airlock.keys.map((floor) => ({ key: floor.key, minLevel: floor.minLevel, requireBlock: floor.requireBlock })),
        nonExemptAirlockKeys: airlock.nonExemptKeys,
        airlockLimits: AIRLOCK_LIMIT_FIELDS.map((limit) => ({ section: limit.section, field: limit.field, max: requirements.limits[limit.limit] })),
      },
    },
  };
}
