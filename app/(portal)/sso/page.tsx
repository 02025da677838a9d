import type { Metadata } from "next";
import Link from "next/link";
import { ACTIONS_HEADER, DataTable, EmptyState } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import { PageHeader } from "@/components/page-header";
import { roleLabel } from "@/components/role-label";
import { AddGroupMappingForm } from "@/components/sso/add-group-mapping-form";
import { RemoveGroupMappingButton } from "@/components/sso/remove-group-mapping-button";
import { can } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { getSsoConfiguration } from "@/lib/auth/sso/get-sso-configuration";
import { findTeamChoices } from "@/lib/teams/find-teams";

export const metadata: Metadata = { title: "Single sign-on" };

// The team picker lists at most this many teams (the API's page size limit).
const TEAM_PICKER_LIMIT = 100;

export default async function SsoPage() {
  const actor = await requirePagePermission("sso:read");
  const config = await getSsoConfiguration();
  const canManage = can(actor, "sso:manage");
  const teams = canManage ? await findTeamChoices({ actor, take: TEAM_PICKER_LIMIT }) : null;
  const providerNames = new Map(config.providers.map((p) => [p.id, p.displayName]));
  // Table rows need a key; a mapping from the environment has no stored id (and cannot be removed here).
  const mappings = config.mappings.map((m) => ({ ...m, id: m.id ?? `environment:${m.provider}:${m.group}:${m.teamSlug}:${m.role}`, storedId: m.id }));

  return (
    <>
      <PageHeader
        title="Single sign-on"
        description="Sign-in through your identity provider, and which of its groups give which roles. Mappings are applied at each sign-in; a change here applies at once to everyone who has signed in."
      />
      <section className="panel" aria-labelledby="mode-heading">
        <h2 id="mode-heading">Password sign-in</h2>
        {config.ssoOnly ? (
          <p>
            Switched off: only the break-glass account <strong>{config.breakGlassEmail}</strong> may sign in with a password (<code>RAMPART_SSO_ONLY</code>).
          </p>
        ) : (
          <p>
            On for everyone with a password. Set <code>RAMPART_SSO_ONLY=true</code> and <code>RAMPART_BREAK_GLASS_EMAIL</code> to keep it for one break-glass
            account only.
          </p>
        )}
      </section>
      <section className="panel" aria-labelledby="providers-heading">
        <h2 id="providers-heading">Providers</h2>
        <DataTable
          labelledBy="providers-heading"
          rows={config.providers}
          empty={
            <EmptyState title="No provider is configured">
              Providers are set in the environment (<code>RAMPART_OIDC_PROVIDERS</code> and <code>RAMPART_OIDC_&lt;ID&gt;_*</code>); the README explains Entra
              ID, Okta and Keycloak.
            </EmptyState>
          }
          columns={[
            {
              header: "Provider",
              cell: (p) => (
                <>
                  <strong>{p.displayName}</strong>
                  <div className="muted mono">{p.id}</div>
                </>
              ),
            },
            {
              header: "Issuer and client",
              cell: (p) => (
                <>
                  <div className="mono">{p.issuer}</div>
                  <div className="muted">
                    client <span className="mono">{p.clientId}</span> · {p.idTokenAlg} · groups from <span className="mono">{p.groupsClaim}</span>
                  </div>
                </>
              ),
            },
            {
              header: "Register at the provider",
              cell: (p) => (
                <>
                  <div>
                    Redirect URI <span className="mono">{p.redirectUri}</span>
                  </div>
                  <div>
                    Post-logout URI <span className="mono">{p.postLogoutRedirectUri}</span>
                  </div>
                </>
              ),
            },
            { header: "People", cell: (p) => p.identityCount },
          ]}
        />
      </section>
      <section className="panel" aria-labelledby="mappings-heading">
        <h2 id="mappings-heading">Group mappings</h2>
        <DataTable
          labelledBy="mappings-heading"
          rows={mappings}
          empty={<p className="muted">No group gives a role yet: people signing in through a provider get none.</p>}
          columns={[
            { header: "Provider", cell: (m) => providerNames.get(m.provider) ?? m.provider },
            { header: "Group", cell: (m) => <span className="mono">{m.group}</span> },
            {
              header: "Team",
              cell: (m) =>
                m.teamId ? (
                  <Link href={`/teams/${m.teamId}`}>{m.teamName}</Link>
                ) : (
                  <span className="badge badge-danger" title="This mapping grants nothing until the team exists">
                    No team {m.teamSlug}
                  </span>
                ),
            },
            { header: "Role", cell: (m) => roleLabel(m.role) },
            {
              header: "Source",
              cell: (m) =>
                m.source === "environment" ? (
                  <span className="badge badge-neutral" title="Set in RAMPART_OIDC_<ID>_GROUP_MAPPINGS; change it there">
                    Environment
                  </span>
                ) : (
                  <span>
                    Portal{m.createdBy ? ` · ${m.createdBy}` : ""}
                    {m.createdAt ? (
                      <>
                        {" "}
                        · <DateTime value={m.createdAt} />
                      </>
                    ) : null}
                  </span>
                ),
            },
            canManage && {
              header: ACTIONS_HEADER,
              cellClassName: "actions",
              cell: (m) =>
                m.storedId ? (
                  <RemoveGroupMappingButton id={m.storedId} description={`${m.group} to ${roleLabel(m.role)} in ${m.teamName ?? m.teamSlug}`} />
                ) : (
                  <span className="muted">—</span>
                ),
            },
          ]}
        />
      </section>
      {canManage && teams && config.providers.length > 0 ? (
        <section className="panel" aria-labelledby="add-mapping-heading">
          <h2 id="add-mapping-heading">Map a group</h2>
          <p className="muted">
            The group as the provider sends it in the groups claim: a name (Okta, Keycloak, where it may be a path such as /rampart/admins) or an object id
            (Entra ID). Matching is exact.
          </p>
          <AddGroupMappingForm
            providers={config.providers.map((p) => ({ id: p.id, displayName: p.displayName }))}
            teams={teams.map((t) => ({ id: t.id, label: `${t.name} (${t.slug})` }))}
          />
        </section>
      ) : null}
    </>
  );
}
