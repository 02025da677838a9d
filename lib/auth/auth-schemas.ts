import { z } from "zod";
import { emailSchema, newPasswordSchema, userSchema } from "@/lib/users/user-schemas";

export const loginInput = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, "is required").max(256),
});
export type LoginInput = z.input<typeof loginInput>;

export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1, "is required").max(256),
  newPassword: newPasswordSchema,
  /** Also revoke the caller's API tokens (a password thought known to someone else may have made them). */
  revokeApiTokens: z.boolean().default(false),
});
export type ChangePasswordInput = z.input<typeof changePasswordInput>;

export const meSchema = userSchema.extend({
  authenticatedBy: z.enum(["session", "token"]),
  tokenRole: z.string().optional(),
  permissions: z.array(z.string()),
});
