import { z } from "zod";
import { paginationQuery, pageOf } from "@/lib/shared/pagination";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/auth/password-policy";
import { roleSchema } from "@/lib/auth/roles";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: "must be an email address" }));

export const newPasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

/** Where a membership came from: an administrator, or a provider's group (re-applied at each single sign-on). */
export const membershipSourceSchema = z.object({
  source: z.enum(["manual", "idp"]),
  provider: z.string().nullable(),
  idpGroup: z.string().nullable(),
});

export const membershipViewSchema = z
  .object({
    id: z.uuid(),
    teamId: z.uuid(),
    teamSlug: z.string(),
    teamName: z.string(),
    role: z.string(),
  })
  .extend(membershipSourceSchema.shape);

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
  memberships: z.array(membershipViewSchema),
});
export type UserView = z.output<typeof userSchema>;

export const createUserInput = z.strictObject({
  email: emailSchema,
  name: z.string().trim().min(1, "is required").max(120),
  password: newPasswordSchema,
  memberships: z
    .array(z.strictObject({ teamId: z.uuid(), role: roleSchema }))
    .max(50)
    .default([]),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export const updateUserInput = z
  .strictObject({
    name: z.string().trim().min(1, "is required").max(120).optional(),
    disabled: z.boolean().optional(),
    /** An administrator's reset: signs the user out everywhere and revokes their API tokens. */
    password: newPasswordSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, "send at least one field to change");
export type UpdateUserInput = z.input<typeof updateUserInput>;

export const listUsersQuery = z.strictObject({
  ...paginationQuery,
  q: z.string().max(100).optional(),
  teamId: z.uuid().optional(),
});
export type ListUsersQuery = z.output<typeof listUsersQuery>;

export const userPageSchema = pageOf(userSchema);
