import type { z } from "zod";

// Neutral (lib/shared/): server components and the domain's exports (ADR Markdown) use it.

/**
 * A domain result as the API would send it: the JSON round trip turns Dates into ISO
 * strings and the schema keeps only the fields it names. Server components use it
 * before handing data to the browser, so hydrated and fetched data are the same shape.
 */
export function toWire<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(JSON.parse(JSON.stringify(value)));
}
