// JSON Schema validation for OpenAPI 3.0 and 3.1 documents on ajv (draft
// 2020-12, compiled to code once per schema when the policy loads). OpenAPI
// 3.0's dialect is translated first (nullable, boolean exclusive bounds);
// `x-` extensions and formats ajv is not told about are annotations, as the
// specifications say; any other keyword ajv does not know makes compilation
// fail, so a schema is never silently half-checked. Every `pattern` and
// `patternProperties` runs on the proxy's linear-time engine
// (match/linear-regexp.ts, through ajv's `code.regExp`), and the formats that
// are assertions use linear checks too: no request can make validation
// backtrack. Identical schemas (the same parameter on 500 operations) compile
// once.

import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { compileLinearRegExp, type LinearRegExp } from "../../match/linear-regexp.js";

/** Returns null when valid, else a message naming the JSON pointer of the failing value. */
export type Validate = (value: unknown, at: string) => string | null;

export interface SchemaContext {
  /** The document $refs resolve against ({ components: … }). */
  root: unknown;
}

/** ajv asks its regular-expression engine for objects with test(); ours are linear in the input whatever the pattern. */
const linearRegExp = Object.assign((pattern: string): LinearRegExp => compileLinearRegExp(pattern), { code: "linearRegExp" });

const ROOT_ID = "rampart:openapi";
const ANNOTATIONS = ["example", "xml", "externalDocs", "discriminator"];

/** A compiler for the schemas of one OpenAPI document: one ajv instance, the components registered once. */
export function createSchemaCompiler(context: SchemaContext): (schema: unknown) => Validate {
  const ajv = new Ajv2020({
    strict: false,
    strictSchema: true,
    allErrors: false,
    logger: false,
    validateFormats: true,
    code: { regExp: linearRegExp, optimize: 1 },
  });
  for (const keyword of ANNOTATIONS) ajv.addKeyword({ keyword });
  ajv.addKeyword({ keyword: "components" }); // the document's components: a container $refs point into, not a keyword
  for (const [name, check] of Object.entries(FORMATS)) ajv.addFormat(name, { validate: check });
  ajv.addFormat("int32", { type: "number", validate: (v: number) => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 });
  ajv.addFormat("int64", { type: "number", validate: (v: number) => Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER });
  ajv.addSchema({ $id: ROOT_ID, ...(translate(context.root, true) as Record<string, unknown>) });
  const cache = new Map<string, Validate>();
  return (schema) => {
    const translated = translate(schema, false);
    const key = JSON.stringify(translated);
    let validate = cache.get(key);
    if (validate === undefined) {
      let fn: ValidateFunction;
      try {
        fn = ajv.compile(typeof translated === "boolean" ? translated : { ...(translated as object) });
      } catch (error) {
        throw new Error((error as Error).message);
      }
      validate = (value, at) => {
        if (fn(value)) return null;
        const e = fn.errors?.[0];
        if (!e) return `${at || "/"}: invalid`;
        const pointer = `${at}${e.instancePath}`;
        if (e.keyword === "required") return `${pointer}/${escapePointer(String((e.params as { missingProperty: string }).missingProperty))}: required`;
        if (e.keyword === "additionalProperties")
          return `${pointer}/${escapePointer(String((e.params as { additionalProperty: string }).additionalProperty))}: unknown property`;
        return `${pointer || "/"}: ${e.message ?? "invalid"}`;
      };
      cache.set(key, validate);
    }
    return validate;
  };
}

/** One schema against its document (tests and single use); createSchemaCompiler shares the work across a document. */
export function compileJsonSchema(schema: unknown, context: SchemaContext): Validate {
  return createSchemaCompiler(context)(schema);
}

/**
 * OpenAPI → JSON Schema 2020-12: `nullable: true` adds "null" to the type
 * (3.0), boolean exclusiveMinimum/Maximum become numeric bounds (3.0),
 * `x-` extensions are dropped, formats without a check are dropped (they are
 * annotations), local `$ref`s point into the registered document.
 */
function translate(node: unknown, isRoot: boolean): unknown {
  if (Array.isArray(node)) return node.map((item) => translate(item, false));
  if (node === null || typeof node !== "object") return node;
  const source = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith("x-")) continue;
    if (key === "$ref" && typeof value === "string") {
      out.$ref = value.startsWith("#/") ? `${ROOT_ID}${value}` : value;
      continue;
    }
    if (key === "format" && typeof value === "string" && !(value in FORMATS) && value !== "int32" && value !== "int64") continue;
    if (key === "nullable" || key === "exclusiveMinimum" || key === "exclusiveMaximum") continue;
    // Under these keys the names are the document's own (property names, component names), not keywords.
    const literal =
      key === "properties" ||
      key === "patternProperties" ||
      key === "$defs" ||
      key === "definitions" ||
      key === "dependentRequired" ||
      (isRoot && key === "components");
    out[key] =
      literal && value !== null && typeof value === "object" && !Array.isArray(value)
        ? mapValues(value as Record<string, unknown>, key === "dependentRequired" ? (v) => v : (v) => translate(v, false))
        : key === "enum" || key === "const" || key === "example" || key === "default" || key === "examples"
          ? value
          : translate(value, false);
  }
  if (isRoot) return out;
  if (source.nullable === true && out.type !== undefined) {
    const types = Array.isArray(out.type) ? [...(out.type as unknown[])] : [out.type];
    if (!types.includes("null")) types.push("null");
    out.type = types;
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  for (const [exclusive, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    const value = source[exclusive];
    if (typeof value === "number") out[exclusive] = value;
    else if (value === true && typeof source[bound] === "number") {
      out[exclusive] = source[bound];
      delete out[bound];
    }
  }
  return out;
}

function mapValues(record: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = fn(v);
  return out;
}

export function escapePointer(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
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

/** Formats are assertions for these (strings only; ajv applies string formats to strings); any other format is an annotation. */
const FORMATS: Record<string, (v: string) => boolean> = {
  date: isDate,
  "date-time": (v) => {
    const t = v.charAt(10);
    return (t === "T" || t === "t" || t === " ") && isDate(v.slice(0, 10)) && isTime(v.slice(11));
  },
  time: isTime,
  uuid: (v) => UUID.test(v),
  email: (v) => v.length <= 254 && EMAIL.test(v),
  hostname: (v) => v.length <= 253 && HOSTNAME.test(v),
  ipv4: (v) => IPV4.test(v),
  ipv6: (v) => v.includes(":") && v.length <= 45 && IPV6_CHARS.test(v) && isIpv6(v),
  uri: (v) => URI.test(v),
  byte: (v) => v.length % 4 === 0 && BASE64.test(v),
};

function isIpv6(v: string): boolean {
  try {
    return new URL(`http://[${v}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}
