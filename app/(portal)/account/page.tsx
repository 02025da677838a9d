import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { ApiTokensPanel } from "@/components/account/api-tokens-panel";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { PageHeader } from "@/components/page-header";
import { roleLabel } from "@/components/role-label";
import { can } from "@/lib/auth/actor";
import { currentRequestContext, requireSignedIn } from "@/lib/next/current-actor";
import { describeSignInMethods } from "@/lib/auth/describe-sign-in-methods";
import { ROLES, roleRank } from "@/lib/auth/roles";
import { createQueryClient } from "@/lib/query/create-query-client";
import { queryKeys } from "@/lib/query/query-keys";
import { toWire } from "@/lib/shared/to-wire";
import { findOwnApiTokens } from "@/lib/tokens/api-tokens";
import { apiTokenListSchema } from "@/lib/tokens/token-schemas";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const actor = await requireSignedIn();
  const mayManageTokens = can(actor, "tokens:manage-own");
  const queryClient = createQueryClient();
  if (mayManageTokens) {
    const ctx = await currentRequestContext();
    queryClient.setQueryData(queryKeys.tokens, toWire(apiTokenListSchema, await findOwnApiTokens({ ctx })));
  }
  // A token's role may not rank above the creator's best role (the API enforces it too).
  const highest = Math.max(-1, ...actor.memberships.map((m) => roleRank(m.role)));
  const allowedRoles = ROLES.filter((r) => roleRank(r) <= highest);
  const signInMethods = await describeSignInMethods(actor.user.id);

  return (
    <>
      <PageHeader title="Your account" description={`${actor.user.name} · ${actor.user.email}`} />
      <section className="panel" aria-labelledby="roles-heading">
        <h2 id="roles-heading">Roles</h2>
        {actor.memberships.length === 0 ? (
          <p className="muted">You have no team roles.</p>
        ) : (
          <ul className="plain-list">
            {actor.memberships.map((m) => (
              <li key={`${m.teamId}:${m.role}`}>
                <strong>{roleLabel(m.role)}</strong> in {m.teamName}
              </li>
            ))}
          </ul>
        )}
      </section>
      {signInMethods.password ? (
        <section className="panel" aria-labelledby="password-heading">
          <h2 id="password-heading">Change password</h2>
          <ChangePasswordForm />
        </section>
      ) : null}
      {signInMethods.providers.length > 0 ? (
        <section className="panel" aria-labelledby="sso-heading">
          <h2 id="sso-heading">Single sign-on</h2>
          <p>
            You sign in through {signInMethods.providers.map((p) => p.displayName).join(" and ")}
            {signInMethods.password ? " or with your password" : "; your password is kept there, not in Rampart"}. Roles marked as coming from your identity
            provider are renewed from your groups each time you sign in.
          </p>
        </section>
      ) : null}
      <section className="panel" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">API tokens</h2>
        <p className="muted">
          Tokens let scripts and pipelines call the Rampart API as you, limited to the role you choose. Send one as{" "}
          <code>Authorization: Bearer &lt;token&gt;</code>.
        </p>
        {mayManageTokens && allowedRoles.length > 0 ? (
          <HydrationBoundary state={dehydrate(queryClient)}>
            <ApiTokensPanel allowedRoles={[...allowedRoles]} />
          </HydrationBoundary>
        ) : (
          <p>You need a team role before you can create API tokens.</p>
        )}
      </section>
    </>
  );
}
