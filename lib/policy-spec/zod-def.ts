// A zod schema's definition, read the way zod documents for library authors
// (zod.dev/library-authors: `schema._zod.def`, stable across zod 4 and its
// mini/classic builds). The policy spec walks its own schemas with it to put
// back nulls (bundle-nulls.ts) and to name the keys an object allows
// (policy-error.ts); only the fields those walks read are typed here.
import type { z } from "zod";

export interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  items?: z.ZodType[];
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
}

export function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}
