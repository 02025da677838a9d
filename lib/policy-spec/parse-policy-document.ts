// Text or data in, a validated policy (with defaults filled in) or every error
// at once out. Never throws and never hangs: sizes, depth, node counts and YAML
// aliases are bounded before anything expensive runs, because policies are
// uploaded by people and imported from Git.

import { LineCounter, isMap, isNode, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import type { ApplicationPolicy } from "./application-policy-schema";
import type { BaselinePolicy } from "./baseline-policy-schema";
import { formatJsonPath, policyErrorsFromIssues, type PolicyError } from "./policy-error";
import { POLICY_SCHEMAS, policyDocumentSchema, type PolicyDocument, type PolicyKind } from "./policy-document-schema";

export const POLICY_DOCUMENT_LIMITS = {
  /** 1 MiB: a generous policy with an inline OpenAPI spec is a few tens of KiB. */
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxNodes: 200_000,
  /** YAML anchors/aliases; "billion laughs" documents expand exponentially through them. */
  maxAliases: 100,
} as const;

export interface ParsePolicyOptions {
  /** How to read text input; "auto" (the default) reads JSON when the text starts with "{". */
  format?: "yaml" | "json" | "auto";
  /** Refuse any other kind, e.g. when importing into a baseline. */
  kind?: PolicyKind;
  limits?: Partial<PolicyDocumentLimits>;
}

export type ParsePolicyResult<P = PolicyDocument> = { ok: true; policy: P } | { ok: false; errors: PolicyError[] };

export type PolicyDocumentLimits = { -readonly [K in keyof typeof POLICY_DOCUMENT_LIMITS]: number };
type Limits = PolicyDocumentLimits;

export function parsePolicyDocument(input: unknown, options: ParsePolicyOptions & { kind: "BaselinePolicy" }): ParsePolicyResult<BaselinePolicy>;
export function parsePolicyDocument(input: unknown, options: ParsePolicyOptions & { kind: "ApplicationPolicy" }): ParsePolicyResult<ApplicationPolicy>;
export function parsePolicyDocument(input: unknown, options?: ParsePolicyOptions): ParsePolicyResult;
export function parsePolicyDocument(input: unknown, options: ParsePolicyOptions = {}): ParsePolicyResult {
  const limits: Limits = { ...POLICY_DOCUMENT_LIMITS, ...options.limits };
  try {
    let data: unknown = input;
    let source: { doc: Document; lines: LineCounter } | undefined;
    if (typeof input === "string") {
      const read = readText(input, options.format ?? "auto", limits);
      if (!read.ok) return read;
      data = read.data;
      source = read.source;
    }
    const shapeErrors = checkShape(data, limits);
    if (shapeErrors.length > 0) return { ok: false, errors: shapeErrors };

    const kindError = checkExpectedKind(data, options.kind);
    if (kindError) return { ok: false, errors: [kindError] };

    const schema: z.ZodType = options.kind ? POLICY_SCHEMAS[options.kind] : policyDocumentSchema;
    const result = schema.safeParse(data);
    if (result.success) return { ok: true, policy: result.data as PolicyDocument };
    const errors = policyErrorsFromIssues(result.error.issues, schema, data).map(({ pathSegments, pointsAtKey, ...error }) =>
      source ? { ...error, ...positionOf(source, pathSegments, pointsAtKey) } : error,
    );
    return { ok: false, errors: sortErrors(errors) };
  } catch (error) {
    // A stack overflow or an unexpected library failure still ends in a result, not a crash.
    const message = error instanceof RangeError ? "the document is nested too deeply to process" : "the document could not be processed";
    return { ok: false, errors: [{ path: "$", code: "limit", message }] };
  }
}

type ReadResult = { ok: true; data: unknown; source: { doc: Document; lines: LineCounter } } | { ok: false; errors: PolicyError[] };

function readText(text: string, format: "yaml" | "json" | "auto", limits: Limits): ReadResult {
  const bytes = utf8Length(text, limits.maxBytes);
  if (bytes > limits.maxBytes) {
    return limitError(`the document is larger than ${formatBytes(limits.maxBytes)}`);
  }
  if (maxFlowDepth(text) > limits.maxDepth || maxBlockDepth(text) > limits.maxDepth) {
    return limitError(`the document is nested more than ${limits.maxDepth} levels deep`);
  }
  const trimmed = text.trimStart();
  const isJson = format === "json" || (format === "auto" && trimmed.startsWith("{"));
  if (format === "json" && !trimmed.startsWith("{")) {
    return { ok: false, errors: [{ path: "$", code: "syntax", message: "expected a JSON object (starting with {)", line: 1, column: 1 }] };
  }
  // JSON is read with the YAML parser too: JSON is YAML 1.2, and unlike JSON.parse
  // the YAML parser refuses duplicate keys (JSON.parse keeps the last one silently,
  // which would let a second "mode": "log-only" hide behind a first "mode": "block").
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    merge: false, // "<<" merge keys would make one field's origin invisible to a reviewer
    prettyErrors: false,
    strict: true,
  });
  if (doc.errors.some((error) => /call stack/i.test(error.message))) {
    return limitError("the document is nested too deeply to process");
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      // The first errors explain the problem; later ones are usually consequences of it.
      errors: doc.errors.slice(0, MAX_SYNTAX_ERRORS).map((error) => {
        const firstLine = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
        return {
          path: "$",
          code: "syntax" as const,
          message: `${isJson ? "JSON" : "YAML"} syntax error: ${firstLine}`,
          ...toPosition(lines, error.pos[0]),
        };
      }),
    };
  }
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: limits.maxAliases }), source: { doc, lines } };
  } catch (error) {
    if (error instanceof RangeError) throw error;
    return limitError(`the document uses YAML aliases too heavily (at most ${limits.maxAliases} expansions)`);
  }
}

const MAX_SYNTAX_ERRORS = 10;

function limitError(message: string): { ok: false; errors: PolicyError[] } {
  return { ok: false, errors: [{ path: "$", code: "limit", message }] };
}

/** UTF-8 length, stopping early once past the limit so a huge string costs nothing extra. */
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length; // every UTF-16 unit is at least one byte
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Nesting of [ and { outside quoted strings and comments: a cheap bound checked before the parser sees the text. */
function maxFlowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | undefined;
  let lineStartOrSpace = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === "\\" && quote === '"') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "#" && lineStartOrSpace) {
      while (i < text.length && text[i] !== "\n") i++;
      lineStartOrSpace = true;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "[" || ch === "{") max = Math.max(max, ++depth);
    else if ((ch === "]" || ch === "}") && depth > 0) depth--;
    lineStartOrSpace = ch === " " || ch === "\n" || ch === "\t";
  }
  return max;
}

/**
 * Block nesting estimated from indentation (plus "- " items opened on one
 * line). The YAML composer recurses per level, so this must be bounded before
 * parsing; an overestimate only matters for documents far beyond any real policy.
 */
function maxBlockDepth(text: string): number {
  const indents: number[] = [];
  let max = 0;
  for (const line of text.split("\n")) {
    const indent = line.length - line.trimStart().length;
    const rest = line.slice(indent);
    if (rest === "" || rest.startsWith("#")) continue;
    while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
    if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
    const dashes = /^(?:-[ \t]+)*/.exec(rest)![0].split("-").length - 1;
    max = Math.max(max, indents.length + dashes);
  }
  return max;
}

/** Depth, node count, size, and only JSON values (no !!binary, dates, maps, or __proto__ keys). */
function checkShape(data: unknown, limits: Limits): PolicyError[] {
  const errors: PolicyError[] = [];
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: data, path: [] }];
  let nodes = 0;
  let bytes = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === undefined) continue; // a JavaScript caller's absent field
    nodes++;
    if (nodes > limits.maxNodes) return [{ path: "$", code: "limit", message: `the document has more than ${limits.maxNodes} values` }];
    if (path.length > limits.maxDepth) {
      return [{ path: "$", code: "limit", message: `the document is nested more than ${limits.maxDepth} levels deep` }];
    }
    if (value === null || typeof value === "boolean") {
      bytes += 4;
      continue;
    }
    if (typeof value === "string") {
      bytes += value.length + 2;
    } else if (typeof value === "number") {
      bytes += 8;
      if (!Number.isFinite(value)) errors.push({ path: formatJsonPath(path), code: "invalid", message: "must be a finite number" });
    } else if (Array.isArray(value)) {
      bytes += 2;
      value.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
    } else if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      bytes += 2;
      for (const [key, item] of Object.entries(value)) {
        bytes += key.length + 3;
        if (key === "__proto__") {
          errors.push({ path: formatJsonPath([...path, key]), code: "invalid", message: 'the field name "__proto__" is not allowed' });
          continue;
        }
        stack.push({ value: item, path: [...path, key] });
      }
    } else {
      errors.push({
        path: formatJsonPath(path),
        code: "invalid",
        message: "only plain YAML/JSON values are allowed (no tags such as !!binary or !!timestamp)",
      });
    }
    if (bytes > limits.maxBytes) return [{ path: "$", code: "limit", message: `the document is larger than ${formatBytes(limits.maxBytes)}` }];
  }
  return errors;
}

function checkExpectedKind(data: unknown, expected: PolicyKind | undefined): PolicyError | undefined {
  if (!expected || data === null || typeof data !== "object") return undefined;
  const kind = (data as Record<string, unknown>).kind;
  if (kind === expected || kind === undefined) return undefined;
  return { path: "$.kind", code: "invalid", message: `expected a ${expected} here, but the document is ${JSON.stringify(kind)}` };
}

/** Points at the value, or for an unknown field at its key; a missing field is reported at its parent. */
function positionOf(source: { doc: Document; lines: LineCounter }, path: PropertyKey[], pointsAtKey: boolean): { line?: number; column?: number } {
  for (let length = pointsAtKey ? path.length - 1 : path.length; length >= 0; length--) {
    const prefix = path.slice(0, length) as Array<string | number>;
    const isKeyOfMissing = length === path.length - 1;
    const node = prefix.length === 0 ? source.doc.contents : source.doc.getIn(prefix, true);
    if (!isNode(node) || !node.range) continue;
    // For an unknown or missing key, point at the key itself when it is there.
    if (isKeyOfMissing && isMap(node)) {
      const key = path[length];
      const pair = node.items.find((item) => isNode(item.key) && (item.key as { value?: unknown }).value === key);
      const keyRange = pair && isNode(pair.key) ? pair.key.range : undefined;
      if (keyRange) return toPosition(source.lines, keyRange[0]);
    }
    return toPosition(source.lines, node.range[0]);
  }
  return {};
}

function toPosition(lines: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

function sortErrors(errors: PolicyError[]): PolicyError[] {
  return errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => (a.error.line ?? Infinity) - (b.error.line ?? Infinity) || (a.error.column ?? 0) - (b.error.column ?? 0) || a.index - b.index)
    .map(({ error }) => error);
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
