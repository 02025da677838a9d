// A bundle without its nulls, and back. The bundle writes every field, null
// where unset, so it has one canonical form and hash; Kubernetes tools do not
// keep nulls (kubectl's client-side apply turns null into "delete this field"
// on update), so the RampartPolicy resource carries the bundle with the nulls
// of nullable fields left out, and whoever reads it puts them back before
// validating and hashing. Only fields the schema declares nullable are touched:
// a null inside free-form content (an OpenAPI schema's `default: null`) is data
// and stays. The walk follows bundleSchema itself, so a new nullable field
// needs nothing here.

import type { z } from "zod";
import { bundleSchema } from "./bundle-schema";
import { defOf } from "./zod-def";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

function unwrap(schema: z.ZodType): { schema: z.ZodType; nullable: boolean } {
  const def = defOf(schema);
  if (def.type === "nullable") return { schema: unwrap(def.innerType!).schema, nullable: true };
  if (def.type === "optional" || def.type === "default" || def.type === "prefault" || def.type === "readonly") return unwrap(def.innerType!);
  return { schema, nullable: false };
}

function walk(value: unknown, schema: z.ZodType, mode: "omit" | "restore"): unknown {
  if (value === null || value === undefined) return value;
  const def = defOf(unwrap(schema).schema);
  switch (def.type) {
    case "object": {
      if (!isObject(value)) return value;
      const out: Json = {};
      for (const [key, child] of Object.entries(value)) {
        const field = def.shape![key];
        if (!field) {
          out[key] = child;
          continue;
        }
        if (child === null && mode === "omit" && unwrap(field).nullable) continue;
        out[key] = walk(child, field, mode);
      }
      if (mode === "restore") for (const [key, field] of Object.entries(def.shape!)) if (!(key in out) && unwrap(field).nullable) out[key] = null;
      return out;
    }
    case "array":
      return Array.isArray(value) ? value.map((item) => walk(item, def.element!, mode)) : value;
    case "tuple":
      return Array.isArray(value) ? value.map((item, index) => (def.items![index] ? walk(item, def.items![index]!, mode) : item)) : value;
    case "record":
      return isObject(value) ? Object.fromEntries(Object.entries(value).map(([key, child]) => [key, walk(child, def.valueType!, mode)])) : value;
    case "union": {
      if (!def.discriminator || !isObject(value)) return value;
      const option = def.options!.find((candidate) => {
        const shape = defOf(unwrap(candidate).schema).shape ?? {};
        const literal = shape[def.discriminator!] ? defOf(shape[def.discriminator!]!).values : undefined;
        return literal?.includes(value[def.discriminator!]);
      });
      return option ? walk(value, option, mode) : value;
    }
    default:
      // Scalars, and free-form content (unknown) whose nulls are data.
      return value;
  }
}

/** The bundle with the nulls of its nullable fields left out (what a RampartPolicy carries). */
export function omitBundleNulls<T>(bundle: T): T {
  return walk(bundle, bundleSchema, "omit") as T;
}

/** A bundle read from a RampartPolicy with its nullable fields back as null; validate it afterwards. */
export function restoreBundleNulls(value: unknown): unknown {
  return walk(value, bundleSchema, "restore");
}
