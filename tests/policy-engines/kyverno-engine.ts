// A Kyverno ClusterPolicy (kyverno.io/v1, validate rules) evaluated against an
// admission request the way Kyverno's engine does, for the admission-policy
// tests (a real Kyverno cannot run here: it needs a cluster, and building it
// needs the Go module proxy this machine does not reach):
//
// - match.any/all[].resources.kinds ("group/version/Kind" or "Kind"), the only
//   match Rampart renders; anything else in match/exclude throws;
// - preconditions and validate.deny.conditions (any/all) with Kyverno's
//   variable substitution ("{{ expr }}" alone is replaced by the value, inside
//   a string by its text) and its operators (Equals, NotEquals, AnyIn, AllIn,
//   AnyNotIn, AllNotIn, GreaterThan(OrEquals), LessThan(OrEquals));
// - validate.pattern with Kyverno's pattern semantics (pkg/engine/validate and
//   pkg/engine/pattern): every pattern key must be in the resource, "a | b"
//   alternatives, "&", operators (>=, <=, >, <, !), ranges (a-b, a!-b),
//   Kubernetes quantities ("100Mi") compared as quantities, "*"/"?" wildcards,
//   the equality anchor =(key) and the negation anchor X(key), and a map
//   pattern inside a list applied to every element.
//
// A rule whose substitution or evaluation fails is an error, and Kyverno
// blocks on errors in Enforce mode with failurePolicy Fail (the default), so
// errors count as denials; the tests still look at them, because a policy that
// errors on an admissible resource is broken.

import { evaluateJmespath, isFalse, type MissingKeys } from "./jmespath-interpreter.js";

type Json = unknown;
type JsonObject = Record<string, Json>;
const isObject = (value: Json): value is JsonObject => value !== null && typeof value === "object" && !Array.isArray(value);

export interface KyvernoRequest {
  operation: "CREATE" | "UPDATE" | "DELETE";
  kind: { group: string; version: string; kind: string };
  object: JsonObject;
  oldObject?: JsonObject | null;
  name: string;
  namespace: string | null;
}

export interface KyvernoRuleResult {
  rule: string;
  status: "pass" | "fail" | "skip" | "error";
  message: string;
}

export interface KyvernoDecision {
  allowed: boolean;
  results: KyvernoRuleResult[];
}

class SubstitutionError extends Error {}

function kindMatches(entry: string, kind: KyvernoRequest["kind"]): boolean {
  const parts = entry.split("/");
  if (parts.length === 1) return parts[0] === kind.kind;
  if (parts.length === 2) return (parts[0] === kind.version || parts[0] === "*") && parts[1] === kind.kind;
  const [group, version, name] = [parts.slice(0, -2).join("/"), parts[parts.length - 2], parts[parts.length - 1]];
  return (group === kind.group || group === "*") && (version === kind.version || version === "*") && name === kind.kind;
}

function resourceFilterMatches(filter: JsonObject, request: KyvernoRequest): boolean {
  const resources = filter.resources;
  for (const key of Object.keys(filter)) if (key !== "resources") throw new Error(`match.${key} is not modelled`);
  if (!isObject(resources)) throw new Error("match without resources is not modelled");
  for (const key of Object.keys(resources)) if (key !== "kinds") throw new Error(`match resources.${key} is not modelled`);
  return ((resources.kinds as string[]) ?? []).some((entry) => kindMatches(entry, request.kind));
}

function matches(rule: JsonObject, request: KyvernoRequest): boolean {
  if (rule.exclude !== undefined) throw new Error("exclude is not modelled");
  const match = rule.match as JsonObject;
  for (const key of Object.keys(match)) if (key !== "any" && key !== "all") throw new Error(`match.${key} is not modelled`);
  const any = (match.any as JsonObject[] | undefined) ?? [];
  const all = (match.all as JsonObject[] | undefined) ?? [];
  return (any.length === 0 || any.some((filter) => resourceFilterMatches(filter, request))) && all.every((filter) => resourceFilterMatches(filter, request));
}

const VARIABLE = /\{\{((?:\{[^{}]*\}|[^{}])*)\}\}/g;

/** Kyverno's variable substitution in a condition's key or value. */
function substitute(value: Json, context: JsonObject, missingKeys: MissingKeys): Json {
  if (Array.isArray(value)) return value.map((item) => substitute(item, context, missingKeys));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, context, missingKeys)]));
  if (typeof value !== "string") return value;
  const evaluate = (expression: string) => {
    let query = expression.trim();
    // On DELETE Kyverno reads request.oldObject where the policy says request.object.
    if ((context.request as JsonObject).operation === "DELETE") query = query.replaceAll("request.object", "request.oldObject");
    try {
      return evaluateJmespath(query, context, missingKeys);
    } catch (error) {
      throw new SubstitutionError(`failed to resolve ${query}: ${(error as Error).message}`);
    }
  };
  const whole = /^\{\{((?:\{[^{}]*\}|[^{}])*)\}\}$/.exec(value);
  if (whole) return evaluate(whole[1]!);
  return value.replace(VARIABLE, (_, expression: string) => {
    const result = evaluate(expression);
    return typeof result === "string" ? result : JSON.stringify(result);
  });
}

// ---- Kubernetes quantities and Kyverno's pattern values ----------------------------------------

const SUFFIXES: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** resource.ParseQuantity, as far as comparing values needs: a number with an optional SI, binary or exponent suffix. */
export function parseQuantity(text: string): number | null {
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(text.trim());
  if (!match) return null;
  const suffix = match[2] ?? "";
  if (/^[eE]/.test(suffix)) return Number(match[1]) * 10 ** Number(suffix.slice(1));
  return Number(match[1]) * SUFFIXES[suffix]!;
}

function numberToString(value: Json): string | null {
  if (value === null || value === undefined) return "0";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return null;
}

function wildcard(pattern: string, text: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(text);
}

function validateString(value: Json, pattern: string, op: string): boolean {
  const wanted = parseQuantity(pattern);
  const textual = numberToString(value);
  const actual = textual === null ? null : parseQuantity(textual);
  if (wanted !== null && actual !== null) {
    switch (op) {
      case "":
        return actual === wanted;
      case "!":
        return actual !== wanted;
      case ">":
        return actual > wanted;
      case "<":
        return actual < wanted;
      case ">=":
        return actual >= wanted;
      case "<=":
        return actual <= wanted;
    }
  }
  if (op !== "" && op !== "!") return false;
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean") text = String(value);
  else return false;
  const matched = wildcard(pattern, text);
  return op === "!" ? !matched : matched;
}

function validateStringPattern(value: Json, pattern: string): boolean {
  const op = /^(>=|<=|>|<|!)/.exec(pattern)?.[1] ?? "";
  if (op === "" && /^\S+!-\S+$/.test(pattern)) {
    const [low, high] = pattern.split("!-");
    return validateString(value, low!, "<") || validateString(value, high!, ">");
  }
  if (op === "" && /^[^-\s][^\s]*-[^\s]+$/.test(pattern) && parseQuantity(pattern.split("-")[0]!) !== null) {
    const [low, high] = pattern.split("-");
    return validateString(value, low!, ">=") && validateString(value, high!, "<=");
  }
  return validateString(value, pattern.slice(op.length).trim(), op);
}

function validateValue(value: Json, pattern: Json): boolean {
  if (typeof pattern === "boolean") return value === pattern;
  if (typeof pattern === "number") return typeof value === "number" ? value === pattern : typeof value === "string" && Number(value) === pattern;
  if (pattern === null) return value === null || value === undefined || value === 0 || value === "" || value === false;
  if (typeof pattern === "string") {
    if (value === pattern) return true;
    return pattern.split("|").some((alternative) => alternative.split("&").every((part) => validateStringPattern(value, part.trim())));
  }
  throw new Error(`pattern value of type ${typeof pattern} is not modelled`);
}

/** MatchPattern: null when the resource matches, else the path that failed. */
function matchPattern(resource: Json, pattern: Json, path: string): string | null {
  if (isObject(pattern)) {
    if (!isObject(resource)) return path;
    for (const [rawKey, child] of Object.entries(pattern)) {
      const anchor = /^(=|X)\((.+)\)$/.exec(rawKey);
      if (anchor) {
        const key = anchor[2]!;
        if (anchor[1] === "X") {
          if (key in resource) return `${path}${key}/`;
          continue;
        }
        // Equality anchor: checked only when the key is there.
        if (!(key in resource)) continue;
        const failed = matchPattern(resource[key], child, `${path}${key}/`);
        if (failed) return failed;
        continue;
      }
      if (/^[\^+<]?\(.*\)$/.test(rawKey)) throw new Error(`anchor ${rawKey} is not modelled`);
      const value = resource[rawKey];
      if (child === "*") {
        if (value === undefined || value === null) return `${path}${rawKey}/`;
        continue;
      }
      const failed = matchPattern(value ?? null, child, `${path}${rawKey}/`);
      if (failed) return failed;
    }
    return null;
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) return path;
    if (pattern.length !== 1 || !isObject(pattern[0])) throw new Error("only a one-map list pattern is modelled");
    for (let i = 0; i < resource.length; i++) {
      const failed = matchPattern(resource[i], pattern[0], `${path}${i}/`);
      if (failed) return failed;
    }
    return null;
  }
  // A scalar pattern against a list applies to every element.
  if (Array.isArray(resource)) return resource.every((item) => validateValue(item, pattern)) ? null : path;
  return validateValue(resource, pattern) ? null : path;
}

// ---- conditions ---------------------------------------------------------------------------------

function asList(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

function inList(item: Json, list: Json): boolean {
  const values = typeof list === "string" ? [list] : Array.isArray(list) ? list : null;
  if (values === null) throw new SubstitutionError(`the value ${JSON.stringify(list)} is not a list`);
  return values.some((candidate) =>
    typeof candidate === "string" && typeof item === "string" ? wildcard(candidate, item) : JSON.stringify(candidate) === JSON.stringify(item),
  );
}

function compareNumbers(key: Json, value: Json, compare: (a: number, b: number) => boolean): boolean {
  const a = typeof key === "number" ? key : typeof key === "string" ? parseQuantity(key) : null;
  const b = typeof value === "number" ? value : typeof value === "string" ? parseQuantity(value) : null;
  if (a === null || b === null) throw new SubstitutionError(`cannot compare ${JSON.stringify(key)} with ${JSON.stringify(value)}`);
  return compare(a, b);
}

function condition(entry: JsonObject, context: JsonObject, missingKeys: MissingKeys): boolean {
  const key = substitute(entry.key, context, missingKeys);
  const value = substitute(entry.value, context, missingKeys);
  switch (entry.operator) {
    case "Equals":
      return JSON.stringify(key) === JSON.stringify(value);
    case "NotEquals":
      return JSON.stringify(key) !== JSON.stringify(value);
    case "AnyIn":
      return asList(key).some((item) => inList(item, value));
    case "AllIn":
      return asList(key).every((item) => inList(item, value));
    case "AnyNotIn":
      return asList(key).some((item) => !inList(item, value));
    case "AllNotIn":
      return asList(key).every((item) => !inList(item, value));
    case "GreaterThan":
      return compareNumbers(key, value, (a, b) => a > b);
    case "GreaterThanOrEquals":
      return compareNumbers(key, value, (a, b) => a >= b);
    case "LessThan":
      return compareNumbers(key, value, (a, b) => a < b);
    case "LessThanOrEquals":
      return compareNumbers(key, value, (a, b) => a <= b);
    default:
      throw new Error(`operator ${String(entry.operator)} is not modelled`);
  }
}

function conditionsHold(block: Json, context: JsonObject, missingKeys: MissingKeys): boolean {
  if (Array.isArray(block)) return block.every((entry) => condition(entry as JsonObject, context, missingKeys));
  if (!isObject(block)) return true;
  const any = (block.any as JsonObject[] | undefined) ?? null;
  const all = (block.all as JsonObject[] | undefined) ?? null;
  return (
    (any === null || any.some((entry) => condition(entry, context, missingKeys))) &&
    (all === null || all.every((entry) => condition(entry, context, missingKeys)))
  );
}

/** Evaluates every validate rule of `policy` for `request`. */
export function evaluateKyverno(policy: JsonObject, request: KyvernoRequest, options: { missingKeys: MissingKeys }): KyvernoDecision {
  const spec = policy.spec as JsonObject;
  const enforce = spec.validationFailureAction === "Enforce" || spec.validationFailureAction === "enforce";
  const context: JsonObject = {
    request: {
      operation: request.operation,
      kind: request.kind,
      name: request.name,
      namespace: request.namespace,
      object: request.object,
      oldObject: request.oldObject ?? null,
    },
  };
  const results: KyvernoRuleResult[] = [];
  for (const rule of spec.rules as JsonObject[]) {
    const name = rule.name as string;
    if (!matches(rule, request)) continue;
    try {
      if (rule.preconditions !== undefined && !conditionsHold(rule.preconditions, context, options.missingKeys)) {
        results.push({ rule: name, status: "skip", message: "preconditions not met" });
        continue;
      }
      const validate = rule.validate as JsonObject;
      for (const key of Object.keys(validate)) if (!["message", "pattern", "deny"].includes(key)) throw new Error(`validate.${key} is not modelled`);
      if (validate.pattern !== undefined) {
        const failedAt = matchPattern(request.operation === "DELETE" ? request.oldObject : request.object, validate.pattern, "/");
        results.push(
          failedAt === null
            ? { rule: name, status: "pass", message: "" }
            : { rule: name, status: "fail", message: `validation error: ${String(validate.message)} rule ${name} failed at path ${failedAt}` },
        );
      } else {
        const deny = validate.deny as JsonObject;
        const denied = conditionsHold(deny.conditions, context, options.missingKeys);
        results.push(denied ? { rule: name, status: "fail", message: String(validate.message) } : { rule: name, status: "pass", message: "" });
      }
    } catch (error) {
      if (!(error instanceof SubstitutionError)) throw error;
      results.push({ rule: name, status: "error", message: error.message });
    }
  }
  const blocking = results.some((r) => r.status === "fail" || r.status === "error");
  return { allowed: !(enforce && blocking), results };
}

export { isFalse };
