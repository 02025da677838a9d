import { z } from "zod";

// The editor draws its forms from the same zod schemas the API validates with, read
// through zod's public JSON Schema export (z.toJSONSchema, the request's input side, as
// lib/policy-spec publishes it), so a zod upgrade cannot break the forms the way reading
// its private internals could. This maps that JSON Schema onto the few field kinds a form
// can show; anything richer (lists of objects, maps, the OpenAPI document) is edited as a
// YAML snippet of its own.

export type Shape = { optional: boolean; defaultValue?: unknown; description?: string } & (
  | { kind: "object"; fields: [string, Shape][] }
  | { kind: "enum"; options: string[] }
  | { kind: "boolean" }
  | { kind: "number" }
  | { kind: "string" }
  | { kind: "literal"; value: unknown }
  | { kind: "enum-list"; options: string[] }
  | { kind: "string-list" }
  | { kind: "yaml" }
);

/** The part of a JSON Schema node this file reads. */
type JsonSchemaNode = {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  default?: unknown;
  description?: string;
};

export function shapeOf(schema: z.ZodType): Shape {
  // Refinements and transforms have no JSON Schema; the form does not need them (the API checks them).
  const input = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode;
  // A default on a transformed field (a TLS version read as "1.3" or 1.3) is an output
  // value, so only the output side names it: defaults are read from there as well.
  const output = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchemaNode;
  return shapeOfNode(input, output, false);
}

const withoutNull = (choices: JsonSchemaNode[]) => choices.filter((choice) => choice.type !== "null");

function shapeOfNode(node: JsonSchemaNode, output: JsonSchemaNode | undefined, optionalInParent: boolean): Shape {
  const choices = node.anyOf ?? node.oneOf;
  const defaultValue = node.default ?? output?.default;
  const common = {
    optional: optionalInParent || defaultValue !== undefined,
    defaultValue: defaultValue === undefined ? undefined : structuredClone(defaultValue),
    description: node.description,
  };
  if (choices) {
    // null among the choices is an optional field (a nullable one).
    const nonNull = withoutNull(choices);
    const optional = common.optional || nonNull.length < choices.length;
    if (nonNull.length === 1) {
      const outputChoices = output?.anyOf ?? output?.oneOf;
      const inner = shapeOfNode(nonNull[0]!, outputChoices ? withoutNull(outputChoices)[0] : output, optional);
      return { ...inner, defaultValue: common.defaultValue ?? inner.defaultValue, description: common.description ?? inner.description };
    }
    // A choice among fixed values (e.g. a TLS version written as "1.3" or 1.3) is an enum.
    const fixed = nonNull.map(fixedValuesOf);
    if (fixed.every((values) => values !== null)) {
      return { ...common, optional, kind: "enum", options: [...new Set(fixed.flat().map(String))] };
    }
    return { ...common, optional, kind: "yaml" };
  }
  if (node.enum) return { ...common, kind: "enum", options: node.enum.map(String) };
  if (node.const !== undefined) return { ...common, kind: "literal", value: node.const };
  switch (node.type) {
    case "object": {
      // An object without named properties is a map: YAML.
      if (!node.properties) return { ...common, kind: "yaml" };
      const required = new Set(node.required ?? []);
      return {
        ...common,
        kind: "object",
        fields: Object.entries(node.properties).map(([key, field]) => [key, shapeOfNode(field, output?.properties?.[key], !required.has(key))]),
      };
    }
    case "boolean":
      return { ...common, kind: "boolean" };
    case "number":
    case "integer":
      return { ...common, kind: "number" };
    case "string":
      return { ...common, kind: "string" };
    case "array": {
      const item = node.items ? shapeOfNode(node.items, output?.items, false) : null;
      if (item?.kind === "enum") return { ...common, kind: "enum-list", options: item.options };
      if (item?.kind === "string") return { ...common, kind: "string-list" };
      return { ...common, kind: "yaml" };
    }
    default:
      return { ...common, kind: "yaml" };
  }
}

function fixedValuesOf(node: JsonSchemaNode): unknown[] | null {
  if (node.enum) return node.enum;
  if (node.const !== undefined) return [node.const];
  return null;
}

/** The keys (dot-joined paths) of every field the form shows, for placing errors. */
export function fieldKeys(shape: Shape, path: string[] = []): string[] {
  if (shape.kind !== "object") return [path.join(".")];
  return shape.fields.flatMap(([key, field]) => fieldKeys(field, [...path, key]));
}
