import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell/app-shell";
import type { NavGroup } from "@/components/app-shell/nav-links";
import { RedirectToSignIn } from "@/components/auth/redirect-to-sign-in";
import { Providers } from "@/components/providers";
import { can, type Actor } from "@/lib/auth/actor";
import { currentActor } from "@/lib/next/current-actor";
import type { Permission } from "@/lib/auth/permissions";
import { isRole, ROLE_LABELS } from "@/lib/auth/roles";
import { countUnreadNotifications } from "@/lib/notifications/find-notifications";

// Navigation shows what the user may use; hiding an entry is a courtesy, not a control.
// Every page checks its own permission on the server (requirePagePermission).
// Entries without a permission are areas every signed-in user may open.
const NAVIGATION: { label?: string; items: { href: string; label: string; permission?: Permission }[] }[] = [
  {
    items: [
      { href: "/", label: "Overview" },
      { href: "/architecture", label: "Architecture" },
      { href: "/applications", label: "Applications", permission: "applications:read" },
      { href: "/policies", label: "Policies" },
      { href: "/approvals", label: "Approvals", permission: "policies:review" },
      { href: "/approvals/mine", label: "My changes", permission: "policies:edit" },
      { href: "/exceptions", label: "Exceptions", permission: "policies:read" },
      { href: "/security-events", label: "Security events", permission: "security-events:read" },
      { href: "/delivery", label: "Delivery" },
      { href: "/audit", label: "Audit", permission: "audit:read" },
    ],
  },
  {
    label: "Administration",
    items: [
      { href: "/teams", label: "Teams", permission: "teams:read" },
      { href: "/users", label: "Users", permission: "users:read" },
      { href: "/sso", label: "Single sign-on", permission: "sso:read" },
    ],
  },
];

function navigationFor(actor: Actor): NavGroup[] {
  return NAVIGATION.map((group) => ({
    label: group.label,
    items: group.items.filter((i) => !i.permission || can(actor, i.permission)).map(({ href, label }) => ({ href, label })),
  }));
}

function roleSummary(actor: Actor): string[] {
  return actor.memberships.map((m) => `${isRole(m.role) ? ROLE_LABELS[m.role] : m.role} · ${m.teamName}`);
}

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  // Without a session the page itself is not rendered at all (children are dropped).
  if (!actor) return <RedirectToSignIn />;
  return (
    <Providers>
      <AppShell
        account={{ name: actor.user.name, email: actor.user.email, roles: roleSummary(actor) }}
        navigation={navigationFor(actor)}
        unreadNotifications={await countUnreadNotifications({ actor })}
      >
        {children}
      </AppShell>
    </Providers>
  );
}
