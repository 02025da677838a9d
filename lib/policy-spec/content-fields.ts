// Which kind of value each field of an OpenAPI operation carries, read from its
// schema: free text with a content profile, an identifier or structured value,
// or undescribed. Pure, and the one implementation: the proxy gates its deny
// rules with it, the portal lists it, the diff counts it, the Airlock export
// maps it.

import type { BundleBody } from "./bundle-schema";
import { compileOpenApi } from "./compile-openapi";
import { escapePointerToken, localRefKeys, resolveLocalRef, unescapePointerToken } from "./json-pointer";
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
      current = resolveLocalRef(root, ref);
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
    for (const [name, sub] of properties) collectLeaves(resolve(sub), `${pointer}/${escapePointerToken(name)}`, resolve, out, depth + 1, seen);
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

/** A location in the specification document: object keys and array indexes. */
export type SpecPath = Array<string | number>;

export interface ContentMarkingSuggestion {
  /** The operation, as "POST /threads". */
  operation: string;
  field: OperationField;
  why: string;
  /**
   * Where the field's schema is written in the specification (inside a shared
   * component when a $ref leads there), so the editor can mark it; null when
   * the schema cannot be located (it is then only pointed at).
   */
  at: SpecPath | null;
}

/**
 * The policy editor's suggestion on a specification without content markings:
 * unmarked string fields whose maxLength exceeds 1,000 or whose name says they
 * hold text (body, message, description, comment…), to mark as free text.
 */
export function suggestContentMarkings(spec: unknown): ContentMarkingSuggestion[] {
  const parsed = openApiDocumentSchema.safeParse(spec);
  if (!parsed.success) return [];
  const out: ContentMarkingSuggestion[] = [];
  for (const operation of listOperationFields(compileOpenApi({ validation: "block", spec: parsed.data }))) {
    if (operation.fields.some((f) => f.class.kind === "content")) continue;
    for (const field of operation.fields) {
      // Typed values, enums, formats and patterns are identifiers whatever their name.
      if (field.class.kind === "identifier" && !field.class.reason.startsWith("maxLength")) continue;
      const leaf = field.name.split("/").pop() ?? field.name;
      const why =
        field.maxLength !== null && field.maxLength > SUGGEST_MIN_LENGTH
          ? `maxLength ${field.maxLength}`
          : TEXT_FIELD_NAMES.test(leaf)
            ? `its name (${leaf}) suggests free text`
            : null;
      if (why !== null) out.push({ operation: `${operation.method} ${operation.template}`, field, why, at: locateFieldSchema(spec, operation, field) });
    }
  }
  return out;
}

/**
 * The specification with the schema at `at` marked as free text of the given
 * profile (x-rampart-content), or unmarked with null. A copy: the input is not
 * changed. An `at` that does not lead to a schema object leaves it as it is.
 */
export function markContentField(spec: unknown, at: SpecPath, profile: ContentProfile | null): unknown {
  const mark = (node: unknown, rest: SpecPath): unknown => {
    if (node === null || typeof node !== "object") return node;
    if (rest.length === 0) {
      if (Array.isArray(node)) return node;
      const copy: Record<string, unknown> = { ...node };
      if (profile === null) delete copy[CONTENT_MARKER];
      else copy[CONTENT_MARKER] = profile;
      return copy;
    }
    const [key, ...tail] = rest as [string | number, ...SpecPath];
    if (Array.isArray(node)) {
      if (typeof key !== "number" || key >= node.length) return node;
      return node.map((item, index) => (index === key ? mark(item, tail) : item));
    }
    if (!Object.hasOwn(node, key)) return node;
    return { ...(node as Record<string, unknown>), [key]: mark((node as Record<string, unknown>)[key], tail) };
  };
  return mark(spec, at);
}

type Located = { value: unknown; at: SpecPath };

/** Follows local $refs, keeping track of where the value the last one leads to is written. */
function follow(spec: unknown, located: Located): Located | null {
  let { value, at } = located;
  for (let hop = 0; hop < 16; hop++) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref !== "string") return { value, at };
    const keys = localRefKeys(ref);
    if (keys === undefined) return null;
    at = keys;
    value = resolveLocalRef(spec, ref);
  }
  return null;
}

const child = (located: Located, ...keys: Array<string | number>): Located => ({
  value: keys.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), located.value),
  at: [...located.at, ...keys],
});

/** Where a field listOperationFields found is written in the raw specification, walking it as listOperationFields does. */
function locateFieldSchema(spec: unknown, operation: OperationFields, field: OperationField): SpecPath | null {
  const item: Located = { value: (spec as { paths: Record<string, unknown> }).paths[operation.template], at: ["paths", operation.template] };
  const op = child(item, operation.method.toLowerCase());
  if (field.in !== "body") {
    // Operation-level parameters override path-level ones (OpenAPI 3.x), so they are searched first.
    for (const list of [child(op, "parameters"), child(item, "parameters")]) {
      const count = Array.isArray(list.value) ? list.value.length : 0;
      for (let index = 0; index < count; index++) {
        const parameter = follow(spec, child(list, index));
        const p = parameter?.value as { name?: unknown; in?: unknown } | undefined;
        if (!parameter || p?.in !== field.in || typeof p.name !== "string") continue;
        if ((field.in === "header" ? p.name.toLowerCase() : p.name) === field.name) return follow(spec, child(parameter, "schema"))?.at ?? null;
      }
    }
    return null;
  }
  const body = follow(spec, child(op, "requestBody"));
  const content = body ? child(body, "content") : null;
  const mediaType = Object.keys((content?.value as Record<string, unknown> | undefined) ?? {}).find(
    (key) => key.toLowerCase().split(";")[0]!.trim() === field.mediaType,
  );
  if (!content || mediaType === undefined) return null;
  let current = follow(spec, child(content, mediaType, "schema"));
  for (const raw of field.name.split("/").slice(1)) {
    if (current === null) return null;
    if (raw === "*") {
      current = follow(spec, child(current, "items"));
      continue;
    }
    const name = unescapePointerToken(raw);
    // The property itself, or in one of the allOf parts (the parts propertiesOf reads).
    const parts = [
      current,
      ...(Array.isArray((current.value as { allOf?: unknown }).allOf)
        ? (current.value as { allOf: unknown[] }).allOf.map((_, i) => follow(spec, child(current!, "allOf", i)))
        : []),
    ];
    const owner = parts.find((part) => part !== null && Object.hasOwn((part.value as { properties?: object }).properties ?? {}, name));
    current = owner ? follow(spec, child(owner, "properties", name)) : null;
  }
  return current?.at ?? null;
}
