import type { z } from "zod";

// The editor draws its forms from the same zod schemas the API validates with: this reads
// a schema's structure into the few field kinds a form can show. Anything richer (lists
// of objects, maps, the OpenAPI document) is edited as a YAML snippet of its own.

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

type Def = {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
  options?: z.ZodType[];
  in?: z.ZodType;
  defaultValue?: unknown;
};

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch"]);

export function shapeOf(schema: z.ZodType): Shape {
  let current = schema;
  let optional = false;
  let defaultValue: unknown;
  let description = schema.description;
  for (let def = defOf(current); WRAPPERS.has(def.type) || def.type === "pipe"; def = defOf(current)) {
    if (def.type === "optional" || def.type === "nullable") optional = true;
    if ((def.type === "default" || def.type === "prefault") && defaultValue === undefined) {
      defaultValue = structuredClone(def.defaultValue);
      optional = true;
    }
    current = def.type === "pipe" ? def.in! : def.innerType!;
    description ??= current.description;
  }
  const common = { optional, defaultValue, description };
  const def = defOf(current);
  switch (def.type) {
    case "object":
      return { ...common, kind: "object", fields: Object.entries(def.shape ?? {}).map(([key, field]) => [key, shapeOf(field)]) };
    case "enum":
      return { ...common, kind: "enum", options: Object.values(def.entries ?? {}).map(String) };
    case "boolean":
      return { ...common, kind: "boolean" };
    case "number":
      return { ...common, kind: "number" };
    case "string":
      return { ...common, kind: "string" };
    case "literal":
      return { ...common, kind: "literal", value: def.values?.[0] };
    case "union": {
      // A choice among fixed values (e.g. a TLS version written as "1.3" or 1.3) is an enum.
      const choices = (def.options ?? []).map(shapeOf);
      if (choices.every((c) => c.kind === "enum" || c.kind === "literal")) {
        const options = choices.flatMap((c) => (c.kind === "enum" ? c.options : c.kind === "literal" ? [String(c.value)] : []));
        return { ...common, kind: "enum", options: [...new Set(options)] };
      }
      return { ...common, kind: "yaml" };
    }
    case "array": {
      const item = shapeOf(def.element!);
      if (item.kind === "enum") return { ...common, kind: "enum-list", options: item.options };
      if (item.kind === "string") return { ...common, kind: "string-list" };
      return { ...common, kind: "yaml" };
    }
    default:
      return { ...common, kind: "yaml" };
  }
}

/** The keys (dot-joined paths) of every field the form shows, for placing errors. */
export function fieldKeys(shape: Shape, path: string[] = []): string[] {
  if (shape.kind !== "object") return [path.join(".")];
  return shape.fields.flatMap(([key, field]) => fieldKeys(field, [...path, key]));
}
