import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/actor";
import { currentRequestContext, requireSignedIn } from "@/lib/next/current-actor";
import { findAttentionItems } from "@/lib/overview/find-attention-items";
import { isRole, ROLE_LABELS } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requireSignedIn();
  const attention = await findAttentionItems({ ctx: await currentRequestContext(), actor });
  const areas = [
    can(actor, "applications:read") && {
      href: "/applications",
      title: "Applications",
      text: can(actor, "applications:create")
        ? "Register your team's applications and keep their details current."
        : "The applications you can see, their team and exposure.",
    },
    can(actor, "security-events:read") && {
      href: "/security-events",
      title: "Security events",
      text: "What the proxies blocked, and turning a false positive into an exception.",
    },
    can(actor, "audit:read") && { href: "/audit", title: "Audit log", text: "Who did what, when, and whether it was allowed." },
    can(actor, "teams:read") && {
      href: "/teams",
      title: "Teams",
      text: can(actor, "teams:manage") ? "Create teams and manage who holds which role." : "Your teams and their members.",
    },
    can(actor, "users:read") && {
      href: "/users",
      title: "Users",
      text: can(actor, "users:manage") ? "Create accounts, disable and re-enable them." : "Everyone with an account.",
    },
    { href: "/account", title: "Your account", text: "Change your password and manage your API tokens." },
  ].filter((a) => a !== false);

  return (
    <>
      <PageHeader
        title={`Welcome, ${actor.user.name}`}
        description="Rampart protects your web applications with a gateway and a microgateway per application."
      />
      <section aria-labelledby="attention-heading" className="panel">
        <h2 id="attention-heading">What needs you now</h2>
        {attention.length > 0 ? (
          <ul className="plain-list">
            {attention.map((item) => (
              <li key={item.key}>
                <Link href={item.href}>{item.text}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing waits for you: no reviews, expiring exceptions, failing proxies or block spikes.</p>
        )}
      </section>
      <section aria-labelledby="roles-heading" className="panel">
        <h2 id="roles-heading">Your roles</h2>
        {actor.memberships.length > 0 ? (
          <ul className="plain-list">
            {actor.memberships.map((m) => (
              <li key={`${m.teamId}:${m.role}`}>
                <strong>{isRole(m.role) ? ROLE_LABELS[m.role] : m.role}</strong> in {m.teamName}
              </li>
            ))}
          </ul>
        ) : (
          <p>
            You have no team roles yet. <Link href="/no-role">See whom to ask.</Link>
          </p>
        )}
      </section>
      <section aria-labelledby="areas-heading">
        <h2 id="areas-heading" className="section-heading">
          Where to go
        </h2>
        <ul className="card-grid">
          {areas.map((area) => (
            <li key={area.href} className="card">
              <h3>
                <Link href={area.href}>{area.title}</Link>
              </h3>
              <p>{area.text}</p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
