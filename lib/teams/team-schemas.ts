import { z } from "zod";
import { paginationQuery, pageOf } from "@/lib/api/pagination";
import { slugSchema } from "@/lib/applications/application-schemas";
import { roleSchema } from "@/lib/auth/roles";

export const teamSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  createdAt: z.iso.datetime(),
  version: z.number().int(),
  memberCount: z.number().int(),
  applicationCount: z.number().int(),
});
export type TeamView = z.output<typeof teamSchema>;

export const teamMemberSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
});

export const teamDetailSchema = teamSchema.extend({ members: z.array(teamMemberSchema) });

export const createTeamInput = z.strictObject({
  slug: slugSchema,
  name: z.string().trim().min(1, "is required").max(120),
  description: z.string().max(2000).default(""),
});
export type CreateTeamInput = z.input<typeof createTeamInput>;

export const updateTeamInput = createTeamInput
  .omit({ slug: true })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "send at least one field to change");
export type UpdateTeamInput = z.input<typeof updateTeamInput>;

export const listTeamsQuery = z.strictObject({ ...paginationQuery, q: z.string().max(100).optional() });
export type ListTeamsQuery = z.output<typeof listTeamsQuery>;

export const addMembershipInput = z.strictObject({ userId: z.uuid(), role: roleSchema });
export type AddMembershipInput = z.input<typeof addMembershipInput>;

export const membershipParams = z.strictObject({ id: z.uuid(), membershipId: z.uuid() });

export const teamPageSchema = pageOf(teamSchema);
