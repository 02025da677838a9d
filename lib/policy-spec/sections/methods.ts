// Which HTTP methods pass at all, and (per application) which method × path
// pairs the application actually serves.

import { z } from "zod";
import { STANDARD_HTTP_METHODS, methodListSchema, pathPatternSchema } from "./policy-fields";

export const baselineMethodsSchema = z.strictObject({
  allowed: methodListSchema.min(1, "at least one method must be allowed").default([...STANDARD_HTTP_METHODS]),
});

export const applicationMethodsSchema = z.strictObject({
  allowed: methodListSchema.min(1, "at least one method must be allowed"),
});

export const allowRouteSchema = z.strictObject({
  path: pathPatternSchema,
  methods: methodListSchema.min(1, "a route needs at least one method"),
});

/** When present, everything not listed is refused (404/405) before it reaches the application. */
export const allowRoutesSchema = z.array(allowRouteSchema).min(1, "an allow list needs at least one route");
