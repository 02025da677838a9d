// A JSON Schema validator for the schemas OpenAPI 3.0 and 3.1 documents use,
// compiled once per schema into closures. It covers the validation keywords
// (type, nullable, enum, const, string/number/array/object constraints,
// allOf/anyOf/oneOf/not, if/then/else, local $ref with recursion) and the
// common formats; annotations are ignored as the specification says. A keyword
// it does not implement (unevaluatedProperties, $dynamicRef, …) makes
// compilation fail, so a schema is never silently half-checked. Patterns run
// on the linear-time engine (match/linear-regexp.ts).
//
// This is a deliberate subset, written because no validator package is
// installed; ajv could replace it behind the same compileJsonSchema signature.

import { compileLinearRegExp, type LinearRegExp } from "../../match/linear-regexp.js";

/** Returns null when valid, else a message naming the JSON pointer of the failing value. */
export type Validate = (value: unknown, at: string) => string | null;

export interface SchemaContext {
  /** The document $refs resolve against ({ components: … }). */
  root: unknown;
}

const ANNOTATIONS = new Set([
  "title", "description", "default", "example", "examples", "deprecated", "readOnly", "writeOnly", "xml",
  "externalDocs", "$comment", "$schema", "discriminator", "contentMediaType", "contentEncoding", "contentSchema",
  "$id", "$anchor", "$defs", "definitions", "nullable",
]);

const HANDLED = new Set([
  "$ref", "type", "enum", "const", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "items", "prefixItems", "minItems", "maxItems",
  "uniqueItems", "contains", "minContains", "maxContains", "properties", "required", "additionalProperties",
  "patternProperties", "propertyNames", "minProperties", "maxProperties", "dependentRequired", "allOf", "anyOf",
  "oneOf", "not", "if", "then", "else",
]);

const MAX_DEPTH = 64;

export function compileJsonSchema(schema: unknown, context: SchemaContext): Validate {
  const refs = new Map<string, Validate>();
  return new SchemaCompiler(context, refs).compile(schema, "#", 0);
}

class SchemaCompiler {
  constructor(
    private readonly context: SchemaContext,
    private readonly refs: Map<string, Validate>,
  ) {}

  compile(schema: unknown, where: string, depth: number): Validate {
    if (depth > MAX_DEPTH) throw new Error(`${where}: schema nested more than ${MAX_DEPTH} levels`);
    if (schema === true || schema === undefined) return () => null;
    if (schema === false) return (_v, at) => `${at || "/"}: no value is allowed here`;
    if (schema === null || typeof schema !== "object" || Array.isArray(schema)) throw new Error(`${where}: a schema must be an object or boolean`);
    const s = schema as Record<string, unknown>;
    for (const key of Object.keys(s)) {
      if (!HANDLED.has(key) && !ANNOTATIONS.has(key) && !key.startsWith("x-")) {
        throw new Error(`${where}: JSON Schema keyword "${key}" is not supported by the proxy's validator`);
      }
    }
    const checks: Validate[] = [];
    if (typeof s.$ref === "string") checks.push(this.ref(s.$ref, depth));
    this.typeCheck(s, where, checks);
    if (Array.isArray(s.enum)) {
      const options = s.enum.map(canonical);
      const list = s.enum.map((v) => JSON.stringify(v)).join(", ").slice(0, 120);
      checks.push((v, at) => (options.includes(canonical(v)) ? null : `${at || "/"}: must be one of ${list}`));
    }
    if ("const" in s) {
      const expected = canonical(s.const);
      checks.push((v, at) => (canonical(v) === expected ? null : `${at || "/"}: must be ${JSON.stringify(s.const)}`));
    }
    this.stringChecks(s, where, checks);
    this.numberChecks(s, where, checks);
    this.arrayChecks(s, where, depth, checks);
    this.objectChecks(s, where, depth, checks);
    this.combinators(s, where, depth, checks);
    if (checks.length === 0) return () => null;
    if (checks.length === 1) return checks[0]!;
    return (v, at) => {
      for (let i = 0; i < checks.length; i++) {
        const error = checks[i]!(v, at);
        if (error !== null) return error;
      }
      return null;
    };
  }

  private ref(ref: string, depth: number): Validate {
    const existing = this.refs.get(ref);
    if (existing) return existing;
    if (!ref.startsWith("#/")) throw new Error(`$ref ${ref}: only local references are supported`);
    let compiled: Validate | null = null;
    // Registered before compiling so recursive schemas refer to themselves lazily.
    const lazy: Validate = (v, at) => compiled!(v, at);
    this.refs.set(ref, lazy);
    compiled = this.compile(resolvePointer(this.context.root, ref), ref, depth + 1);
    return lazy;
  }

  private typeCheck(s: Record<string, unknown>, where: string, checks: Validate[]): void {
    if (s.type === undefined) return;
    const types = Array.isArray(s.type) ? (s.type as unknown[]) : [s.type];
    for (const t of types) {
      if (!["string", "number", "integer", "boolean", "object", "array", "null"].includes(t as string)) throw new Error(`${where}: unknown type ${String(t)}`);
    }
    const allowed = new Set(types as string[]);
    // OpenAPI 3.0 "nullable"; in 3.1 documents it is meaningless, and honouring it there is what its author meant.
    if (s.nullable === true) allowed.add("null");
    const label = [...allowed].join(" or ");
    checks.push((v, at) => (matchesType(v, allowed) ? null : `${at || "/"}: must be ${label}`));
  }

  private stringChecks(s: Record<string, unknown>, where: string, checks: Validate[]): void {
    const min = s.minLength;
    const max = s.maxLength;
    if (typeof min === "number" || typeof max === "number") {
      checks.push((v, at) => {
        if (typeof v !== "string") return null;
        const length = codePointLength(v, typeof max === "number" ? max + 1 : Infinity);
        if (typeof min === "number" && length < min) return `${at || "/"}: shorter than ${min} characters`;
        if (typeof max === "number" && length > max) return `${at || "/"}: longer than ${max} characters`;
        return null;
      });
    }
    if (typeof s.pattern === "string") {
      let re: LinearRegExp;
      try {
        re = compileLinearRegExp(s.pattern);
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`);
      }
      const shown = s.pattern.length > 80 ? `${s.pattern.slice(0, 77)}...` : s.pattern;
      checks.push((v, at) => (typeof v !== "string" || re.test(v) ? null : `${at || "/"}: does not match ${shown}`));
    }
    if (typeof s.format === "string") {
      const check = FORMATS[s.format];
      if (check) checks.push((v, at) => (check(v) ? null : `${at || "/"}: not a valid ${s.format as string}`));
    }
  }

  private numberChecks(s: Record<string, unknown>, where: string, checks: Validate[]): void {
    const bounds: Array<[string, (n: number) => boolean]> = [];
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = s;
    if (typeof minimum === "number") {
      if (exclusiveMinimum === true) bounds.push([`greater than ${minimum}`, (n) => n > minimum]);
      else bounds.push([`at least ${minimum}`, (n) => n >= minimum]);
    }
    if (typeof maximum === "number") {
      if (exclusiveMaximum === true) bounds.push([`less than ${maximum}`, (n) => n < maximum]);
      else bounds.push([`at most ${maximum}`, (n) => n <= maximum]);
    }
    if (typeof exclusiveMinimum === "number") bounds.push([`greater than ${exclusiveMinimum}`, (n) => n > exclusiveMinimum]);
    if (typeof exclusiveMaximum === "number") bounds.push([`less than ${exclusiveMaximum}`, (n) => n < exclusiveMaximum]);
    if (typeof multipleOf === "number") {
      if (!(multipleOf > 0)) throw new Error(`${where}: multipleOf must be positive`);
      bounds.push([`a multiple of ${multipleOf}`, (n) => Math.abs(n / multipleOf - Math.round(n / multipleOf)) < 1e-9]);
    }
    if (bounds.length === 0) return;
    checks.push((v, at) => {
      if (typeof v !== "number") return null;
      for (const [label, ok] of bounds) if (!ok(v)) return `${at || "/"}: must be ${label}`;
      return null;
    });
  }

  private arrayChecks(s: Record<string, unknown>, where: string, depth: number, checks: Validate[]): void {
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems.map((item, i) => this.compile(item, `${where}/prefixItems/${i}`, depth + 1)) : [];
    const items = s.items === undefined ? null : this.compile(s.items, `${where}/items`, depth + 1);
    const contains = s.contains === undefined ? null : this.compile(s.contains, `${where}/contains`, depth + 1);
    const minContains = typeof s.minContains === "number" ? s.minContains : 1;
    const maxContains = typeof s.maxContains === "number" ? s.maxContains : Infinity;
    const { minItems, maxItems, uniqueItems } = s;
    if (prefix.length === 0 && !items && !contains && minItems === undefined && maxItems === undefined && uniqueItems !== true) return;
    checks.push((v, at) => {
      if (!Array.isArray(v)) return null;
      if (typeof minItems === "number" && v.length < minItems) return `${at || "/"}: fewer than ${minItems} items`;
      if (typeof maxItems === "number" && v.length > maxItems) return `${at || "/"}: more than ${maxItems} items`;
      for (let i = 0; i < v.length; i++) {
        const check = i < prefix.length ? prefix[i]! : items;
        if (check) {
          const error = check(v[i], `${at}/${i}`);
          if (error) return error;
        }
      }
      if (contains) {
        let count = 0;
        for (let i = 0; i < v.length; i++) if (contains(v[i], `${at}/${i}`) === null) count++;
        if (count < minContains) return `${at || "/"}: too few items match "contains"`;
        if (count > maxContains) return `${at || "/"}: too many items match "contains"`;
      }
      if (uniqueItems === true) {
        const seen = new Set<string>();
        for (const item of v) {
          const key = canonical(item);
          if (seen.has(key)) return `${at || "/"}: items must be unique`;
          seen.add(key);
        }
      }
      return null;
    });
  }

  private objectChecks(s: Record<string, unknown>, where: string, depth: number, checks: Validate[]): void {
    const properties = new Map<string, Validate>();
    if (s.properties !== undefined) {
      if (s.properties === null || typeof s.properties !== "object") throw new Error(`${where}/properties: must be an object`);
      for (const [name, sub] of Object.entries(s.properties as Record<string, unknown>)) properties.set(name, this.compile(sub, `${where}/properties/${name}`, depth + 1));
    }
    const patterns: Array<[LinearRegExp, Validate]> = [];
    if (s.patternProperties !== undefined) {
      for (const [pattern, sub] of Object.entries(s.patternProperties as Record<string, unknown>)) {
        patterns.push([compileLinearRegExp(pattern), this.compile(sub, `${where}/patternProperties/${pattern}`, depth + 1)]);
      }
    }
    const additional = s.additionalProperties === undefined ? null : this.compile(s.additionalProperties, `${where}/additionalProperties`, depth + 1);
    const names = s.propertyNames === undefined ? null : this.compile(s.propertyNames, `${where}/propertyNames`, depth + 1);
    const required = Array.isArray(s.required) ? (s.required as string[]) : [];
    const dependent = s.dependentRequired as Record<string, string[]> | undefined;
    const { minProperties, maxProperties } = s;
    if (properties.size === 0 && patterns.length === 0 && !additional && !names && required.length === 0 && !dependent && minProperties === undefined && maxProperties === undefined) return;
    checks.push((v, at) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
      const record = v as Record<string, unknown>;
      for (const name of required) if (!Object.hasOwn(record, name)) return `${at}/${escapePointer(name)}: required`;
      const keys = Object.keys(record);
      if (typeof minProperties === "number" && keys.length < minProperties) return `${at || "/"}: fewer than ${minProperties} properties`;
      if (typeof maxProperties === "number" && keys.length > maxProperties) return `${at || "/"}: more than ${maxProperties} properties`;
      for (const key of keys) {
        const path = `${at}/${escapePointer(key)}`;
        if (names) {
          const error = names(key, path);
          if (error) return `${path}: property name not allowed`;
        }
        let matched = false;
        const property = properties.get(key);
        if (property !== undefined && Object.hasOwn(s.properties as object, key)) {
          matched = true;
          const error = property(record[key], path);
          if (error) return error;
        }
        for (const [re, check] of patterns) {
          if (!re.test(key)) continue;
          matched = true;
          const error = check(record[key], path);
          if (error) return error;
        }
        if (!matched && additional) {
          const error = additional(record[key], path);
          if (error) return s.additionalProperties === false ? `${path}: unknown property` : error;
        }
      }
      if (dependent) {
        for (const [name, needs] of Object.entries(dependent)) {
          if (!Object.hasOwn(record, name)) continue;
          for (const other of needs) if (!Object.hasOwn(record, other)) return `${at}/${escapePointer(other)}: required when ${name} is present`;
        }
      }
      return null;
    });
  }

  private combinators(s: Record<string, unknown>, where: string, depth: number, checks: Validate[]): void {
    const list = (key: string): Validate[] => {
      const value = s[key];
      if (value === undefined) return [];
      if (!Array.isArray(value) || value.length === 0) throw new Error(`${where}/${key}: must be a non-empty array`);
      return value.map((sub, i) => this.compile(sub, `${where}/${key}/${i}`, depth + 1));
    };
    for (const check of list("allOf")) checks.push(check);
    const anyOf = list("anyOf");
    if (anyOf.length > 0) {
      checks.push((v, at) => {
        let first: string | null = null;
        for (const check of anyOf) {
          const error = check(v, at);
          if (error === null) return null;
          first ??= error;
        }
        return `${at || "/"}: matches none of the allowed schemas (${first})`;
      });
    }
    const oneOf = list("oneOf");
    if (oneOf.length > 0) {
      checks.push((v, at) => {
        let matches = 0;
        let first: string | null = null;
        for (const check of oneOf) {
          const error = check(v, at);
          if (error === null) matches++;
          else first ??= error;
        }
        if (matches === 1) return null;
        return matches === 0 ? `${at || "/"}: matches none of the schemas (${first})` : `${at || "/"}: matches more than one schema`;
      });
    }
    if (s.not !== undefined) {
      const not = this.compile(s.not, `${where}/not`, depth + 1);
      checks.push((v, at) => (not(v, at) === null ? `${at || "/"}: matches a forbidden schema` : null));
    }
    if (s.if !== undefined) {
      const condition = this.compile(s.if, `${where}/if`, depth + 1);
      const then = s.then === undefined ? null : this.compile(s.then, `${where}/then`, depth + 1);
      const otherwise = s.else === undefined ? null : this.compile(s.else, `${where}/else`, depth + 1);
      checks.push((v, at) => {
        const branch = condition(v, at) === null ? then : otherwise;
        return branch ? branch(v, at) : null;
      });
    }
  }
}

function matchesType(v: unknown, allowed: ReadonlySet<string>): boolean {
  if (v === null) return allowed.has("null");
  switch (typeof v) {
    case "string":
      return allowed.has("string");
    case "boolean":
      return allowed.has("boolean");
    case "number":
      return allowed.has("number") || (allowed.has("integer") && Number.isInteger(v));
    case "object":
      return Array.isArray(v) ? allowed.has("array") : allowed.has("object");
    default:
      return false;
  }
}

function codePointLength(text: string, stopAt: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n < stopAt; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) i++;
    n++;
  }
  return n;
}

/** A stable text form for enum/const/uniqueItems comparisons (object keys sorted). */
function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "undefined";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  return `{${Object.keys(value)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
    .join(",")}}`;
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function resolvePointer(root: unknown, ref: string): unknown {
  let current = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) throw new Error(`$ref ${ref} does not resolve`);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

// Format checks run on the linear-time engine too: they see attacker-controlled strings.
// DATE and TIME match bounded-length input only (every quantifier is fixed or at most 9): constant time.
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const UUID = compileLinearRegExp("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const EMAIL = compileLinearRegExp(`^[^\\s@"<>()[\\],;:]{1,64}@${LABEL}(?:\\.${LABEL})+$`);
const HOSTNAME = compileLinearRegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const BASE64 = compileLinearRegExp("^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$");
const URI = compileLinearRegExp("^[A-Za-z][A-Za-z0-9+.-]*:\\S*$");
const IPV4 = compileLinearRegExp("^(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
const IPV6_CHARS = compileLinearRegExp("^[0-9A-Fa-f:.]+$");

function isDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  return d <= days;
}

function isTime(v: string): boolean {
  const m = TIME.exec(v);
  return m !== null && Number(m[1]) <= 23 && Number(m[2]) <= 59 && Number(m[3]) <= 60;
}

/** Formats are assertions for these; any other format is an annotation, as JSON Schema specifies. */
const FORMATS: Record<string, (v: unknown) => boolean> = {
  date: (v) => typeof v !== "string" || isDate(v),
  "date-time": (v) => {
    if (typeof v !== "string") return true;
    const t = v.charAt(10);
    return (t === "T" || t === "t" || t === " ") && isDate(v.slice(0, 10)) && isTime(v.slice(11));
  },
  time: (v) => typeof v !== "string" || isTime(v),
  uuid: (v) => typeof v !== "string" || UUID.test(v),
  email: (v) => typeof v !== "string" || (v.length <= 254 && EMAIL.test(v)),
  hostname: (v) => typeof v !== "string" || (v.length <= 253 && HOSTNAME.test(v)),
  ipv4: (v) => typeof v !== "string" || IPV4.test(v),
  ipv6: (v) => typeof v !== "string" || (v.includes(":") && v.length <= 45 && IPV6_CHARS.test(v) && isIpv6(v)),
  uri: (v) => typeof v !== "string" || URI.test(v),
  byte: (v) => typeof v !== "string" || (v.length % 4 === 0 && BASE64.test(v)),
  int32: (v) => typeof v !== "number" || (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647),
  int64: (v) => typeof v !== "number" || (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER),
};

function isIpv6(v: string): boolean {
  try {
    return new URL(`http://[${v}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}
