import { z } from "zod";
import { roleSchema } from "@/lib/auth/roles";

export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  role: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});

export const createdApiTokenSchema = apiTokenSchema.extend({
  /** The secret, returned once at creation and never again. */
  token: z.string(),
});

export const createApiTokenInput = z.strictObject({
  name: z.string().trim().min(1, "is required").max(80),
  role: roleSchema,
  expiresInDays: z.number().int().min(1).max(365).default(90),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenInput>;

export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });
