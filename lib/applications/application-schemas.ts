import { z } from "zod";
import { patchOf } from "@/lib/shared/patch-schema";
import { paginationQuery, pageOf } from "@/lib/shared/pagination";

export const EXPOSURES = ["internet", "internal"] as const;
export const exposureSchema = z.enum(EXPOSURES);

export const slugSchema = z
  .string()
  .min(2, "must be at least 2 characters")
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "use lowercase letters, digits and dashes (not at the ends)");

export const upstreamUrlSchema = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password;
    } catch {
      return false;
    }
  }, "must be an http(s) URL without credentials");

export const applicationSchema = z.object({
  id: z.uuid(),
  teamId: z.uuid(),
  team: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  exposure: exposureSchema,
  upstreamUrl: z.string(),
  archivedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type ApplicationView = z.output<typeof applicationSchema>;

export const createApplicationInput = z.strictObject({
  teamId: z.uuid({ error: "must be a team id (UUID)" }),
  slug: slugSchema,
  name: z.string().trim().min(1, "is required").max(120),
  description: z.string().max(2000).default(""),
  exposure: exposureSchema,
  upstreamUrl: upstreamUrlSchema,
});
export type CreateApplicationInput = z.input<typeof createApplicationInput>;

export const updateApplicationInput = patchOf(createApplicationInput.omit({ teamId: true, slug: true }));
export type UpdateApplicationInput = z.input<typeof updateApplicationInput>;

export const listApplicationsQuery = z.strictObject({
  ...paginationQuery,
  q: z.string().max(100).optional(),
  teamId: z.uuid().optional(),
  exposure: exposureSchema.optional(),
  archived: z.enum(["false", "true", "all"]).default("false"),
});
export type ListApplicationsQuery = z.output<typeof listApplicationsQuery>;

export const applicationPageSchema = pageOf(applicationSchema);
