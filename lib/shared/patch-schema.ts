import { z } from "zod";

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
type PatchShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> };

/**
 * The body of a PATCH made from the object that creates the resource: every field
 * optional, and *without its default*. `.partial()` alone keeps the defaults, so a PATCH
 * naming only `name` would also reset `description` to "" — a PATCH changes exactly the
 * fields it names (tests/integration/api/patch-operations.test.ts walks every one).
 */
export function patchOf<S extends z.ZodRawShape>(object: z.ZodObject<S>) {
  const shape = Object.fromEntries(
    Object.entries(object.shape).map(([key, field]) => [
      key,
      (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional(),
    ]),
  );
  return z
    .strictObject(shape as unknown as PatchShape<S>)
    .refine((v) => Object.values(v).some((value) => value !== undefined), "send at least one field to change");
}
