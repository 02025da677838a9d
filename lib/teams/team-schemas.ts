import { z } from "zod";
import { patchOf } from "@/lib/shared/patch-schema";
import { paginationQuery, pageOf } from "@/lib/shared/pagination";
import { slugSchema } from "@/lib/applications/application-schemas";
import { roleSchema } from "@/lib/auth/roles";
import { membershipSourceSchema } from "@/lib/users/user-schemas";
import { webhookUrlSchema } from "@/lib/webhooks/webhook-url";

export const teamSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
  memberCount: z.number().int(),
  applicationCount: z.number().int(),
  /** Whether the team's notices also go to a webhook (the URL itself only to its administrators). */
  webhookConfigured: z.boolean(),
  /** Whether its deliveries carry an X-Rampart-Signature (a signing secret has been generated). */
  webhookSigned: z.boolean(),
});
export type TeamView = z.output<typeof teamSchema>;

export const teamMemberSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.string(),
  })
  .extend(membershipSourceSchema.shape);

export const teamDetailSchema = teamSchema.extend({
  members: z.array(teamMemberSchema),
  // Webhook URLs often carry the receiver's secret in their path: only callers who may
  // manage teams see it; for everyone else the field is absent.
  webhookUrl: z.string().nullable().optional(),
});
export type TeamDetailView = z.output<typeof teamDetailSchema>;

/** The answer to generating a signing secret: the only time the secret is shown. */
export const teamWebhookSecretSchema = teamDetailSchema.extend({ webhookSecret: z.string() });

export const createTeamInput = z.strictObject({
  slug: slugSchema,
  name: z.string().trim().min(1, "is required").max(120),
  description: z.string().max(2000).default(""),
});
export type CreateTeamInput = z.input<typeof createTeamInput>;

// null removes the webhook.
export const updateTeamInput = patchOf(createTeamInput.omit({ slug: true }).extend({ webhookUrl: webhookUrlSchema.nullable() }));
export type UpdateTeamInput = z.input<typeof updateTeamInput>;

export const listTeamsQuery = z.strictObject({ ...paginationQuery, q: z.string().max(100).optional() });
export type ListTeamsQuery = z.output<typeof listTeamsQuery>;

export const addMembershipInput = z.strictObject({ userId: z.uuid(), role: roleSchema });
export type AddMembershipInput = z.input<typeof addMembershipInput>;

export const membershipParams = z.strictObject({ id: z.uuid(), membershipId: z.uuid() });

export const teamPageSchema = pageOf(teamSchema);
