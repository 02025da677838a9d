// One error shape for everything a policy can be refused for, and the
// translation of zod issues into sentences a policy author understands.

import type { z } from "zod";
import { defOf } from "./zod-def";

export interface PolicyError {
  /** JSON path of the offending field, e.g. `$.denyRules.sqli.level`; `$` for the whole document. */
  path: string;
  message: string;
  /** syntax: not YAML/JSON; limit: too large or too deep; invalid: does not satisfy the schema. */
  code: "syntax" | "limit" | "invalid";
  /** 1-based position in the source text, when the input was text. */
  line?: number;
  column?: number;
}

// RFC 9535 member-name shorthand; anything else (e.g. "X-Team") is written in brackets.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function formatJsonPath(path: readonly PropertyKey[]): string {
  let text = "$";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (typeof segment === "string" && IDENTIFIER.test(segment)) text += `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text;
}

type Issue = z.core.$ZodIssue & { input?: unknown };

/** A PolicyError with the raw path kept, for locating it in the source text. */
export type LocatedPolicyError = PolicyError & { pathSegments: PropertyKey[]; pointsAtKey: boolean };

/** One PolicyError per problem; an issue naming several unknown keys becomes one error per key. */
export function policyErrorsFromIssues(issues: readonly Issue[], schema: z.ZodType, root: unknown): LocatedPolicyError[] {
  const errors: LocatedPolicyError[] = [];
  for (const issue of issues) collect(issue, [], schema, root, errors);
  return errors;
}

function collect(issue: Issue, prefix: PropertyKey[], schema: z.ZodType, root: unknown, out: LocatedPolicyError[]): void {
  const path = [...prefix, ...issue.path];
  const push = (segments: PropertyKey[], message: string, pointsAtKey = false) =>
    out.push({ path: formatJsonPath(segments), pathSegments: segments, pointsAtKey, message, code: "invalid" });

  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeysAt(schema, path, root);
      for (const key of issue.keys) {
        const suggestion = allowed ? closest(key, allowed) : undefined;
        let message = `unknown field "${key}"`;
        if (suggestion) message += `; did you mean "${suggestion}"?`;
        else if (allowed && allowed.length <= 20) message += ` (allowed here: ${allowed.join(", ")})`;
        push([...path, key], message, true);
      }
      return;
    }
    case "invalid_union": {
      if (!isDefaultMessage(issue.message) || issue.errors.length === 0) {
        push(path, issue.message);
        return;
      }
      // Report the branch the author most likely meant: the one with the fewest problems.
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      for (const inner of best) collect(inner as Issue, path, schema, root, out);
      return;
    }
    case "invalid_type": {
      const received = describeValue(valueAt(root, path));
      if (received === "nothing") push(path, "required field is missing");
      else if (!isDefaultMessage(issue.message)) push(path, issue.message);
      else push(path, `must be ${article(issue.expected)} (got ${received})`);
      return;
    }
    case "invalid_value": {
      if (!isDefaultMessage(issue.message)) {
        push(path, issue.message);
        return;
      }
      const received = valueAt(root, path);
      const options = issue.values.map((value) => JSON.stringify(value));
      const suggestion =
        typeof received === "string"
          ? closest(
              received,
              issue.values.filter((value): value is string => typeof value === "string"),
            )
          : undefined;
      let message = options.length === 1 ? `must be ${options[0]}` : `must be one of ${options.join(", ")}`;
      message += ` (got ${received === undefined ? "nothing" : JSON.stringify(received)})`;
      if (suggestion) message += `; did you mean "${suggestion}"?`;
      push(path, message);
      return;
    }
    case "too_small":
    case "too_big": {
      if (!isDefaultMessage(issue.message)) {
        push(path, issue.message);
        return;
      }
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const words = issue.code === "too_small" ? "at least" : "at most";
      if (issue.origin === "array") push(path, `must have ${words} ${String(bound)} item${bound === 1 ? "" : "s"}`);
      else if (issue.origin === "string") push(path, `must be ${words} ${String(bound)} characters long`);
      else push(path, `must be ${words} ${String(bound)}`);
      return;
    }
    case "invalid_format":
      push(path, isDefaultMessage(issue.message) ? `is not a valid ${issue.format}` : issue.message);
      return;
    default:
      push(path, issue.message);
  }
}

/** zod's built-in messages all start like this; anything else was written by us and is kept verbatim. */
function isDefaultMessage(message: string): boolean {
  return /^(Invalid|Too small|Too big|Unrecognized key)/.test(message);
}

function article(expected: string): string {
  if (expected === "object") return "an object (a mapping of fields)";
  if (expected === "array") return "a list";
  if (expected === "int") return "a whole number";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment as string];
  }
  return current;
}

/** Follows the schema along `path` (choosing union branches by the input's discriminator) to list the keys an object allows. */
function allowedKeysAt(schema: z.ZodType, path: readonly PropertyKey[], root: unknown): string[] | undefined {
  let current: z.ZodType | undefined = schema;
  let value: unknown = root;
  let index = 0;
  for (let guard = 0; current && guard < 1000; guard++) {
    const def = defOf(current);
    if (def.innerType) {
      current = def.innerType;
      continue;
    }
    if (def.type === "pipe") {
      current = def.in;
      continue;
    }
    if (def.type === "union") {
      const discriminator = def.discriminator;
      const chosen: z.ZodType | undefined = def.options?.find((option) => {
        const shape = defOf(option).shape;
        if (!shape) return false;
        if (!discriminator) return true;
        const literal = defOf(shape[discriminator]!);
        return literal.values?.includes((value as Record<string, unknown> | undefined)?.[discriminator]);
      });
      current = chosen;
      continue;
    }
    if (index === path.length) return def.shape ? Object.keys(def.shape) : undefined;
    const segment = path[index++]!;
    value = value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[segment as string] : undefined;
    if (def.shape) current = def.shape[String(segment)];
    else if (def.element) current = def.element;
    else if (def.valueType) current = def.valueType;
    else return undefined;
  }
  return undefined;
}

/** The allowed word nearest to a misspelling, if it is near enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : levenshtein(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= tolerance && best !== word ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
