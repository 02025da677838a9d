import { z } from "zod";

// The five roles. Order matters: it is the rank used to check that an API token
// is scoped no higher than its creator ("no higher" = rank <= creator's best rank).
export const ROLES = ["auditor", "developer", "project-lead", "security-officer", "admin"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Rank of a role; an unknown role ranks below every known one (fail closed). */
export function roleRank(role: string): number {
  return (ROLES as readonly string[]).indexOf(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Administrator",
  "security-officer": "Security officer",
  "project-lead": "Project lead",
  developer: "Developer",
  auditor: "Auditor",
};
