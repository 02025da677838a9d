// Blocking of administration interfaces that must never face the internet.

import { z } from "zod";
import { pathPatternListSchema } from "./policy-fields";

export const DEFAULT_ADMIN_PATHS = [
  "/admin",
  "/administrator",
  "/actuator",
  "/phpmyadmin",
  "/wp-admin",
  "/manager/html",
  "/server-status",
  "/.git",
  "/.svn",
  "/.env",
];

/** Each path also blocks everything below it, matched case-insensitively. */
export const baselineAdminBlockingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  paths: pathPatternListSchema.default(DEFAULT_ADMIN_PATHS),
});

export const applicationAdminBlockingSchema = z.strictObject({
  enabled: z.boolean().optional(),
  /** Added to the baseline's paths, never replacing them. */
  paths: pathPatternListSchema.optional(),
});
