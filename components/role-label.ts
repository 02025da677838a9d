import { isRole, ROLE_LABELS } from "@/lib/auth/roles";

/** The human name of a role; an unknown role is shown as stored, never hidden. */
export function roleLabel(role: string): string {
  return isRole(role) ? ROLE_LABELS[role] : role;
}
