import { isRole, ROLE_LABELS, ROLES } from "@/lib/auth/roles";

/** The human name of a role; an unknown role is shown as stored, never hidden. */
export function roleLabel(role: string): string {
  return isRole(role) ? ROLE_LABELS[role] : role;
}

/** Every role as a select option, the most privileged first (the pickers for new memberships). */
export const ROLE_OPTIONS = [...ROLES].reverse().map((r) => ({ value: r, label: roleLabel(r) }));
