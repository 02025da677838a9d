// Airlock Microgateway reads OpenAPI 3.0, and an invalid document makes it
// block everything. A 3.1 document is converted where 3.1 only spells a 3.0
// idea differently (JSON Schema 2020-12 in the schemas); where it uses what
// 3.0 cannot say, the document is not exported and the reason is returned,
// so the person publishing sees it instead of an Airlock that blocks all
// traffic. Pure: the input is never changed.
//
// Converted: `openapi: 3.1.x` → 3.0.3; `type: [T, "null"]` → `type: T,
// nullable: true`; `const` → a one-value `enum`; `examples: [...]` in a schema →
// `example`; numeric `exclusiveMinimum`/`exclusiveMaximum` → the boolean form
// with `minimum`/`maximum`; `$schema` and `jsonSchemaDialect` dropped; an empty
// `webhooks` dropped. Anything else 3.1-only (several non-null types,
// prefixItems, if/then/else, dependentSchemas, unevaluated*, $defs, $id,
// patternProperties, contentEncoding/contentMediaType, webhooks, license
// identifier, `null` as a type alone, summary beside $ref) is reported.

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

export type OpenApi30Result = { ok: true; document: Json; converted: boolean } | { ok: false; reasons: string[] };

const UNSUPPORTED_KEYWORDS = [
  "prefixItems",
  "if",
  "then",
  "else",
  "dependentSchemas",
  "dependentRequired",
  "unevaluatedProperties",
  "unevaluatedItems",
  "$defs",
  "$id",
  "$anchor",
  "$dynamicRef",
  "$dynamicAnchor",
  "patternProperties",
  "contentEncoding",
  "contentMediaType",
  "contentSchema",
  "propertyNames",
  "contains",
  "minContains",
  "maxContains",
];
/** Keys whose values are maps of schemas (or of objects holding schemas), walked as such. */
const SCHEMA_MAPS = new Set(["properties", "schemas"]);

function convertSchema(schema: unknown, path: string, reasons: string[]): unknown {
  if (Array.isArray(schema)) return schema.map((item, index) => convertSchema(item, `${path}[${index}]`, reasons));
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    const at = `${path}.${key}`;
    if (UNSUPPORTED_KEYWORDS.includes(key)) {
      reasons.push(`${at}: "${key}" has no OpenAPI 3.0 equivalent`);
      continue;
    }
    switch (key) {
      case "$schema":
        continue;
      case "type":
        if (Array.isArray(value)) {
          const types = value.filter((t) => t !== "null");
          if (types.length !== 1) reasons.push(`${at}: several types (${value.join(", ")}) have no OpenAPI 3.0 equivalent`);
          else {
            out.type = types[0];
            if (value.includes("null")) out.nullable = true;
          }
        } else if (value === "null") reasons.push(`${at}: the type "null" alone has no OpenAPI 3.0 equivalent`);
        else out.type = value;
        continue;
      case "const":
        out.enum = [value];
        continue;
      case "examples":
        // A schema's examples (JSON Schema) is a list; 3.0 has one example. A media type's examples map stays.
        if (Array.isArray(value)) {
          if (value.length > 0) out.example = value[0];
          continue;
        }
        out.examples = convertSchema(value, at, reasons);
        continue;
      case "exclusiveMinimum":
      case "exclusiveMaximum":
        if (typeof value === "number") {
          out[key === "exclusiveMinimum" ? "minimum" : "maximum"] = value;
          out[key] = true;
        } else out[key] = value;
        continue;
      default:
        out[key] =
          SCHEMA_MAPS.has(key) && isObject(value)
            ? Object.fromEntries(Object.entries(value).map(([name, child]) => [name, convertSchema(child, `${at}.${name}`, reasons)]))
            : convertSchema(value, at, reasons);
    }
  }
  if (typeof out.$ref === "string" && (out.summary !== undefined || out.description !== undefined) && Object.keys(out).length > 1) {
    reasons.push(`${path}: siblings of $ref (summary, description) are ignored in OpenAPI 3.0`);
  }
  return out;
}

export function toOpenApi30(document: Json): OpenApi30Result {
  const version = typeof document.openapi === "string" ? document.openapi : "";
  if (/^3\.0\.\d+$/.test(version)) return { ok: true, document, converted: false };
  if (!/^3\.1\.\d+$/.test(version))
    return { ok: false, reasons: [`openapi ${JSON.stringify(document.openapi)}: only OpenAPI 3.0 and 3.1 documents can be exported`] };
  const reasons: string[] = [];
  const { jsonSchemaDialect: _dialect, webhooks, ...rest } = document;
  void _dialect;
  if (isObject(webhooks) && Object.keys(webhooks).length > 0) reasons.push("webhooks: OpenAPI 3.0 has no webhooks");
  if (isObject(rest.info) && isObject(rest.info.license) && rest.info.license.identifier !== undefined)
    reasons.push("info.license.identifier: OpenAPI 3.0 has no SPDX identifier");
  const converted = convertSchema(rest, "$", reasons) as Json;
  if (reasons.length > 0) return { ok: false, reasons };
  return { ok: true, document: { ...converted, openapi: "3.0.3" }, converted: true };
}
