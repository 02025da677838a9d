// A CRD's OpenAPI v3 schema → a JSON Schema ajv can check objects against, the
// way the API server would: nullable becomes a null type, preserve-unknown-fields
// admits anything, int-or-string admits both. With `rejectUnknownFields` an
// object node without preserve-unknown-fields refuses fields it does not
// declare. The API server would prune them silently, which is exactly how a
// renderer's misspelt field would go unnoticed, so tests turn this on.

export type OpenApiSchema = Record<string, unknown>;

export interface CrdSchemaOptions {
  rejectUnknownFields?: boolean;
}

/** The openAPIV3Schema of one version of a CustomResourceDefinition object. */
export function crdVersionSchema(crd: object, version: string): OpenApiSchema {
  const spec = (crd as { spec?: unknown }).spec as { versions?: { name: string; schema?: { openAPIV3Schema?: OpenApiSchema } }[] } | undefined;
  const entry = spec?.versions?.find((candidate) => candidate.name === version);
  const schema = entry?.schema?.openAPIV3Schema;
  if (!schema) throw new Error(`the CRD has no schema for version ${version}`);
  return schema;
}

export function crdSchemaToJsonSchema(schema: OpenApiSchema, options: CrdSchemaOptions = {}): OpenApiSchema {
  return convertNode(schema, options, true);
}

function convertNode(schema: OpenApiSchema, options: CrdSchemaOptions, isRoot: boolean): OpenApiSchema {
  if (schema["x-kubernetes-int-or-string"] === true) {
    return withNull({ anyOf: [{ type: "integer" }, { type: "string" }] }, schema.nullable === true);
  }
  const output: OpenApiSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith("x-kubernetes-") || key === "nullable" || key === "description" || key === "default" || key === "example") continue;
    if (key === "format" && !["date-time", "date", "uri", "email", "ipv4", "ipv6", "uuid"].includes(value as string)) continue;
    if (key === "properties") {
      output.properties = Object.fromEntries(
        Object.entries(value as Record<string, OpenApiSchema>).map(([name, child]) => [name, convertNode(child, options, false)]),
      );
    } else if (key === "items" || key === "additionalProperties" || key === "not") {
      output[key] = typeof value === "object" && value !== null ? convertNode(value as OpenApiSchema, options, false) : value;
    } else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
      output[key] = (value as OpenApiSchema[]).map((branch) => convertNode(branch, { ...options, rejectUnknownFields: false }, false));
    } else if (key === "exclusiveMinimum" || key === "exclusiveMaximum") {
      // OpenAPI 3.0's boolean form → JSON Schema's numeric form.
      if (value === true) output[key] = schema[key === "exclusiveMinimum" ? "minimum" : "maximum"];
    } else {
      output[key] = value;
    }
  }
  if (schema.exclusiveMinimum === true) delete output.minimum;
  if (schema.exclusiveMaximum === true) delete output.maximum;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
  // metadata is the API server's, validated by it, not by the CRD schema.
  if (!isRoot && output.type === "object" && options.rejectUnknownFields && !preserve && output.properties && !output.additionalProperties) {
    const declared = Object.keys(output.properties as object);
    if (declared.length > 0) output.additionalProperties = false;
  }
  if (isRoot && output.properties) {
    const properties = output.properties as Record<string, OpenApiSchema>;
    properties.metadata = { type: "object" };
    if (options.rejectUnknownFields) output.additionalProperties = false;
  }
  return withNull(output, schema.nullable === true);
}

function withNull(schema: OpenApiSchema, nullable: boolean): OpenApiSchema {
  if (!nullable) return schema;
  if (typeof schema.type === "string") {
    const out: OpenApiSchema = { ...schema, type: [schema.type, "null"] };
    if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
    return out;
  }
  return { anyOf: [schema, { type: "null" }] };
}
