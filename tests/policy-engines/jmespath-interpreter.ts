// JMESPath as Kyverno evaluates it, for the admission-policy tests: the
// expression is parsed by jmespath.js (the reference JavaScript
// implementation, so the grammar is the specification's), and this
// interpreter walks its AST with the specification's semantics plus what
// Kyverno changes:
//
// - Missing keys. Kyverno's go-jmespath fork reports a field that is not in an
//   object as a NotFound error (a failed variable substitution, so the rule
//   errors) where upstream JMESPath gives null; `a || b` falls back on it.
//   Which operators let it through is not documented, so the interpreter has
//   both modes ("error": NotFound propagates everywhere but through `||`;
//   "null": the specification's null) and the tests require the same decision
//   in both: a policy that depends on the difference is a defect.
// - Kyverno's extra functions Rampart's policies use: regex_match (Go's RE2,
//   here @bufbuild/re2, RE2-compatible), and to_string/to_number as Kyverno
//   defines them. An unknown function throws: nothing is silently approximated.

import { RE2JS } from "@bufbuild/re2";
import jmespath from "jmespath";

// jmespath.js exports its parser (compile → AST) although its type definitions do not say so.
const compile = (jmespath as unknown as { compile(expression: string): unknown }).compile;

export type MissingKeys = "error" | "null";

export class NotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Unknown key "${key}" in path`);
  }
}

export class JmespathError extends Error {}

interface Node {
  type: string;
  name?: string;
  value?: unknown;
  children?: unknown[];
}

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> => value !== null && typeof value === "object" && !Array.isArray(value);

export function isFalse(value: Json): boolean {
  return (
    value === null || value === false || value === "" || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)
  );
}

function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && deepEqual(a[key], b[key]));
  }
  return false;
}

function typeOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  return typeof value;
}

function expectType(name: string, value: Json, ...types: string[]): void {
  if (!types.includes(typeOf(value))) throw new JmespathError(`invalid type for ${name}: expected one of ${types.join(", ")}, received ${typeOf(value)}`);
}

const compiled = new Map<string, RE2JS>();
function re2(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    try {
      regex = RE2JS.compile(pattern);
    } catch (error) {
      throw new JmespathError(`regex_match: ${(error as Error).message}`);
    }
    compiled.set(pattern, regex);
  }
  return regex;
}

const FUNCTIONS: Record<string, (args: Json[]) => Json> = {
  length: ([value]) => {
    expectType("length", value, "string", "array", "object");
    return typeof value === "string" ? [...value].length : Array.isArray(value) ? value.length : Object.keys(value as object).length;
  },
  starts_with: ([subject, prefix]) => {
    expectType("starts_with", subject, "string");
    expectType("starts_with", prefix, "string");
    return (subject as string).startsWith(prefix as string);
  },
  ends_with: ([subject, suffix]) => {
    expectType("ends_with", subject, "string");
    expectType("ends_with", suffix, "string");
    return (subject as string).endsWith(suffix as string);
  },
  contains: ([subject, search]) => {
    expectType("contains", subject, "string", "array");
    if (typeof subject === "string") {
      expectType("contains", search, "string");
      return subject.includes(search as string);
    }
    return (subject as Json[]).some((item) => deepEqual(item, search));
  },
  keys: ([value]) => {
    expectType("keys", value, "object");
    return Object.keys(value as object);
  },
  values: ([value]) => {
    expectType("values", value, "object");
    return Object.values(value as object);
  },
  not_null: (args) => args.find((arg) => arg !== null) ?? null,
  // Kyverno's string functions.
  to_lower: ([value]) => {
    expectType("to_lower", value, "string");
    return (value as string).toLowerCase();
  },
  to_upper: ([value]) => {
    expectType("to_upper", value, "string");
    return (value as string).toUpperCase();
  },
  type: ([value]) => typeOf(value),
  to_string: ([value]) => (typeof value === "string" ? value : JSON.stringify(value)),
  to_number: ([value]) => {
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return null;
  },
  join: ([glue, list]) => {
    expectType("join", glue, "string");
    expectType("join", list, "array");
    return (list as Json[])
      .map((item) => {
        expectType("join", item, "string");
        return item;
      })
      .join(glue as string);
  },
  // Kyverno: regex_match(regex, string|number) with Go's regexp (a partial match, like MatchString).
  regex_match: ([pattern, subject]) => {
    expectType("regex_match", pattern, "string");
    expectType("regex_match", subject, "string", "number");
    return re2(pattern as string).test(String(subject));
  },
};

export function evaluateJmespath(expression: string, data: Json, missingKeys: MissingKeys): Json {
  let ast: Node;
  try {
    ast = compile(expression) as Node;
  } catch (error) {
    throw new JmespathError(`invalid JMESPath "${expression}": ${(error as Error).message}`);
  }
  const visit = (node: Node, value: Json): Json => {
    const children = (node.children ?? []) as Node[];
    switch (node.type) {
      case "Field": {
        if (!isObject(value)) return null;
        if (!(node.name! in value)) {
          if (missingKeys === "error") throw new NotFoundError(node.name!);
          return null;
        }
        return value[node.name!];
      }
      case "Subexpression":
        return visit(children[1]!, visit(children[0]!, value));
      case "IndexExpression":
        return visit(children[1]!, visit(children[0]!, value));
      case "Index": {
        if (!Array.isArray(value)) return null;
        const index = node.value as number;
        return value[index < 0 ? value.length + index : index] ?? null;
      }
      case "Slice": {
        if (!Array.isArray(value)) return null;
        const [start = null, stop = null, step = null] = node.children as Array<number | null>;
        if (step === 0) throw new JmespathError("slice step cannot be 0");
        const s = step ?? 1;
        const length = value.length;
        const clamp = (n: number | null, fallback: number) => {
          if (n === null) return fallback;
          if (n < 0) return Math.max(s < 0 ? -1 : 0, length + n);
          return Math.min(n, s < 0 ? length - 1 : length);
        };
        const from = clamp(start, s < 0 ? length - 1 : 0);
        const to = clamp(stop, s < 0 ? -1 : length);
        const out: Json[] = [];
        for (let i = from; s > 0 ? i < to : i > to; i += s) out.push(value[i]);
        return out;
      }
      case "Projection": {
        const base = visit(children[0]!, value);
        if (!Array.isArray(base)) return null;
        return base.map((item) => visit(children[1]!, item)).filter((item) => item !== null);
      }
      case "ValueProjection": {
        const base = visit(children[0]!, value);
        if (!isObject(base)) return null;
        return Object.values(base)
          .map((item) => visit(children[1]!, item))
          .filter((item) => item !== null);
      }
      case "FilterProjection": {
        const base = visit(children[0]!, value);
        if (!Array.isArray(base)) return null;
        return base
          .filter((item) => !isFalse(visit(children[2]!, item)))
          .map((item) => visit(children[1]!, item))
          .filter((item) => item !== null);
      }
      case "Flatten": {
        const base = visit(children[0]!, value);
        if (!Array.isArray(base)) return null;
        return base.flatMap((item) => (Array.isArray(item) ? item : [item]));
      }
      case "Identity":
      case "Current":
        return value;
      case "Literal":
        return node.value as Json;
      case "MultiSelectList":
        return value === null ? null : children.map((child) => visit(child, value));
      case "MultiSelectHash":
        return value === null
          ? null
          : Object.fromEntries((children as unknown as Array<{ name: string; value: Node }>).map((pair) => [pair.name, visit(pair.value, value)]));
      case "OrExpression": {
        let left: Json;
        try {
          left = visit(children[0]!, value);
        } catch (error) {
          if (!(error instanceof NotFoundError)) throw error;
          left = null;
        }
        return isFalse(left) ? visit(children[1]!, value) : left;
      }
      case "AndExpression": {
        const left = visit(children[0]!, value);
        return isFalse(left) ? left : visit(children[1]!, value);
      }
      case "NotExpression":
        return isFalse(visit(children[0]!, value));
      case "Pipe":
        return visit(children[1]!, visit(children[0]!, value));
      case "Comparator": {
        const left = visit(children[0]!, value);
        const right = visit(children[1]!, value);
        switch (node.name) {
          case "EQ":
            return deepEqual(left, right);
          case "NE":
            return !deepEqual(left, right);
        }
        if (typeof left !== "number" || typeof right !== "number") return null;
        switch (node.name) {
          case "GT":
            return left > right;
          case "GTE":
            return left >= right;
          case "LT":
            return left < right;
          case "LTE":
            return left <= right;
        }
        throw new JmespathError(`unknown comparator ${node.name}`);
      }
      case "ExpressionReference":
        return { expression: children[0]!, visit } as unknown as Json;
      case "Function": {
        if (node.name === "map") {
          const reference = visit(children[0]!, value) as unknown as { expression: Node } | null;
          const items = visit(children[1]!, value);
          if (!reference || typeof reference !== "object" || !("expression" in reference)) throw new JmespathError("map: expected an expression reference");
          expectType("map", items, "array");
          return (items as Json[]).map((item) => visit(reference.expression, item));
        }
        const fn = FUNCTIONS[node.name!];
        if (!fn) throw new JmespathError(`unknown function ${node.name}() (not implemented by this interpreter)`);
        return fn(children.map((child) => visit(child, value)));
      }
      default:
        throw new JmespathError(`unsupported JMESPath node ${node.type}`);
    }
  };
  return visit(ast, data);
}
