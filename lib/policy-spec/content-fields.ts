// Which kind of value each field of an OpenAPI operation carries, read from its
// schema: free text with a content profile, an identifier or structured value,
// or undescribed. Pure, and the one implementation: the proxy gates its deny
// rules with it, the portal lists it, the diff counts it, the Airlock export
// maps it.

import type { BundleBody } from "./bundle-schema";
import { compileOpenApi } from "./compile-openapi";
import type { EffectivePolicy } from "./effective-policy-schema";
import { CONTENT_MARKER, CONTENT_PROFILES, type ContentProfile } from "./sections/content-profiles";
import { openApiDocumentSchema } from "./sections/openapi";

export type FieldClass =
  /** Free text: checked for what hurts when shown or logged; the baseline's relaxable families give way. */
  | { kind: "content"; profile: ContentProfile }
  /** Identifiers and structured values: strict type validation first, deny rules at the baseline's level. */
  | { kind: "identifier"; reason: string }
  /** Nothing the spec says narrows the value: the full baseline. */
  | { kind: "undescribed" };

export type FieldLocation = "body" | "query" | "path" | "header" | "cookie";

export interface OperationField {
  in: FieldLocation;
  /**
   * Parameter name (header names lower-cased), or for body fields a JSON pointer
   * in which `*` stands for any array index ("/comments/*\/body"). For form bodies
   * the pointer has one segment: the form field name.
   */
  name: string;
  /** Body fields: the media type the schema belongs to. */
  mediaType: string | null;
  class: FieldClass;
  /** A string field's maxLength, when the schema gives one (for the editor's suggestions). */
  maxLength: number | null;
}

export interface OperationFields {
  method: string;
  template: string;
  operationId: string | null;
  fields: OperationField[];
}

/** Formats whose values have a fixed syntax. */
const STRUCTURED_FORMATS = new Set([
  "uuid",
  "email",
  "idn-email",
  "date-time",
  "date",
  "time",
  "duration",
  "uri",
  "uri-reference",
  "iri",
  "iri-reference",
  "hostname",
  "idn-hostname",
  "ipv4",
  "ipv6",
  "int32",
  "int64",
  "float",
  "double",
  "byte",
  "binary",
  "password",
]);
/** Strings at most this long are identifiers (a name, a code, a key); longer ones could carry anything. */
export const IDENTIFIER_MAX_LENGTH = 64;
const MAX_DEPTH = 16;

type Resolve = (schema: unknown) => Record<string, unknown> | null;

/** The profile a string schema is marked with, or null; an unknown marking is null (the field keeps the full baseline). */
export function contentProfileOf(schema: Record<string, unknown>): ContentProfile | null {
  const marked = schema[CONTENT_MARKER] ?? (schema.format === "markdown" || schema.format === "html" ? schema.format : undefined);
  return typeof marked === "string" && (CONTENT_PROFILES as readonly string[]).includes(marked) ? (marked as ContentProfile) : null;
}

/** Classifies one (resolved) leaf schema. */
export function classifyFieldSchema(schema: Record<string, unknown> | null): FieldClass {
  if (schema === null) return { kind: "undescribed" };
  const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== "null") : [schema.type];
  const type = types.length === 1 ? types[0] : undefined;
  if (type === "string" || type === undefined) {
    const profile = contentProfileOf(schema);
    if (profile !== null && type === "string") return { kind: "content", profile };
  }
  if (schema.enum !== undefined || schema.const !== undefined) return { kind: "identifier", reason: "enum" };
  if (type === "integer" || type === "number" || type === "boolean") return { kind: "identifier", reason: String(type) };
  if (type === "string") {
    if (typeof schema.format === "string" && STRUCTURED_FORMATS.has(schema.format)) return { kind: "identifier", reason: `format ${schema.format}` };
    if (typeof schema.pattern === "string") return { kind: "identifier", reason: "pattern" };
    if (typeof schema.maxLength === "number" && schema.maxLength <= IDENTIFIER_MAX_LENGTH)
      return { kind: "identifier", reason: `maxLength ${schema.maxLength}` };
  }
  return { kind: "undescribed" };
}

/** Every field of every operation of a compiled OpenAPI table, with its class. */
export function listOperationFields(openapi: BundleBody["openapi"]): OperationFields[] {
  if (openapi === null) return [];
  const root = { components: openapi.components ?? {} };
  const resolve: Resolve = (schema) => {
    let current = schema;
    for (let hop = 0; hop < 16; hop++) {
      if (current === null || typeof current !== "object" || Array.isArray(current)) return null;
      const ref = (current as { $ref?: unknown }).$ref;
      if (typeof ref !== "string") return current as Record<string, unknown>;
      current = localRef(root, ref);
    }
    return null;
  };
  return openapi.operations.map((operation) => {
    const fields: OperationField[] = [];
    for (const parameter of operation.parameters) {
      const name = parameter.in === "header" ? parameter.name.toLowerCase() : parameter.name;
      const schema = resolve(parameter.schema);
      fields.push({ in: parameter.in, name, mediaType: null, class: classifyFieldSchema(schema), maxLength: maxLengthOf(schema) });
    }
    for (const [mediaType, schema] of Object.entries(operation.requestBody?.content ?? {})) {
      const type = mediaType.toLowerCase().split(";")[0]!.trim();
      const leaves: Array<{ pointer: string; schema: Record<string, unknown> }> = [];
      collectLeaves(resolve(schema), "", resolve, leaves, 0, new Set());
      for (const leaf of leaves)
        fields.push({ in: "body", name: leaf.pointer, mediaType: type, class: classifyFieldSchema(leaf.schema), maxLength: maxLengthOf(leaf.schema) });
    }
    return { method: operation.method, template: operation.template, operationId: operation.operationId, fields };
  });
}

/** The fields of an effective policy's OpenAPI specification (none without one). */
export function listEffectiveOperationFields(effective: Pick<EffectivePolicy, "openapi">): OperationFields[] {
  return listOperationFields(compileOpenApi(effective.openapi));
}

/** The content fields of an application policy's inline specification, read leniently (an invalid spec has none). */
export function listSpecContentFields(spec: unknown): Array<{ operation: string; field: OperationField }> {
  const parsed = openApiDocumentSchema.safeParse(spec);
  if (!parsed.success) return [];
  const fields = listOperationFields(compileOpenApi({ validation: "block", spec: parsed.data }));
  return fields.flatMap((operation) =>
    operation.fields.filter((field) => field.class.kind === "content").map((field) => ({ operation: `${operation.method} ${operation.template}`, field })),
  );
}

/**
 * Object properties (also through allOf) and array items, down to the leaves.
 * oneOf/anyOf and open objects are left undescribed: which branch applies is
 * only known once the value is read, so no field below them is relaxed.
 */
function collectLeaves(
  schema: Record<string, unknown> | null,
  pointer: string,
  resolve: Resolve,
  out: Array<{ pointer: string; schema: Record<string, unknown> }>,
  depth: number,
  seen: Set<Record<string, unknown>>,
): void {
  if (schema === null || depth > MAX_DEPTH || seen.has(schema)) return;
  const properties = propertiesOf(schema, resolve);
  if (properties.size > 0) {
    seen.add(schema);
    for (const [name, sub] of properties)
      collectLeaves(resolve(sub), `${pointer}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`, resolve, out, depth + 1, seen);
    seen.delete(schema);
    return;
  }
  if (schema.type === "array" || schema.items !== undefined) {
    const items = resolve(schema.items);
    if (items !== null) {
      seen.add(schema);
      collectLeaves(items, `${pointer}/*`, resolve, out, depth + 1, seen);
      seen.delete(schema);
    }
    return;
  }
  if (pointer !== "") out.push({ pointer, schema });
}

function maxLengthOf(schema: Record<string, unknown> | null): number | null {
  return typeof schema?.maxLength === "number" ? schema.maxLength : null;
}

function propertiesOf(schema: Record<string, unknown>, resolve: Resolve): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const add = (s: Record<string, unknown> | null) => {
    if (s === null) return;
    const props = s.properties;
    if (props !== null && typeof props === "object" && !Array.isArray(props)) {
      for (const [name, sub] of Object.entries(props as Record<string, unknown>)) {
        // The same property described twice (allOf) is content only if every description says so: keep the first, unless they differ.
        if (out.has(name) && out.get(name) !== sub) out.set(name, null);
        else out.set(name, sub);
      }
    }
  };
  add(schema);
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) add(resolve(part));
  return out;
}

function localRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let current = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Whether a JSON pointer the engine reports ("/comments/3/body") is the field's pointer ("/comments/*\/body"). */
export function pointerMatches(pattern: string, pointer: string): boolean {
  if (pattern === pointer) return true;
  if (!pattern.includes("*")) return false;
  const a = pattern.split("/");
  const b = pointer.split("/");
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === "*" ? !/^(0|[1-9]\d*)$/.test(b[i]!) : a[i] !== b[i]) return false;
  }
  return true;
}

const TEXT_FIELD_NAMES = /^(body|message|description|comment|comments|text|content|note|notes|bio|summary)$/i;
/** Strings longer than this are free text more often than not. */
export const SUGGEST_MIN_LENGTH = 1000;

/**
 * The policy editor's suggestion on a specification without content markings:
 * unmarked string fields whose maxLength exceeds 1,000 or whose name says they
 * hold text (body, message, description, comment…), to mark as free text.
 */
export function suggestContentMarkings(spec: unknown): Array<{ operation: string; field: OperationField; why: string }> {
  const parsed = openApiDocumentSchema.safeParse(spec);
  if (!parsed.success) return [];
  const out: Array<{ operation: string; field: OperationField; why: string }> = [];
  for (const operation of listOperationFields(compileOpenApi({ validation: "block", spec: parsed.data }))) {
    if (operation.fields.some((f) => f.class.kind === "content")) continue;
    for (const field of operation.fields) {
      // Typed values, enums, formats and patterns are identifiers whatever their name.
      if (field.class.kind === "identifier" && !field.class.reason.startsWith("maxLength")) continue;
      const leaf = field.name.split("/").pop() ?? field.name;
      const where = `${operation.method} ${operation.template}`;
      if (field.maxLength !== null && field.maxLength > SUGGEST_MIN_LENGTH) out.push({ operation: where, field, why: `maxLength ${field.maxLength}` });
      else if (TEXT_FIELD_NAMES.test(leaf)) out.push({ operation: where, field, why: `its name (${leaf}) suggests free text` });
    }
  }
  return out;
}
