import "server-only";
import { safeNext } from "@/lib/auth/safe-next";
import * as oidc from "openid-client";
import type { RequestContext } from "@/lib/auth/actor";
import { createSession } from "@/lib/auth/session";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db, type DbTransaction } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/unique-violation";
import { env } from "@/lib/env";
import { emailSchema } from "@/lib/users/user-schemas";
import { oidcConfiguration } from "./oidc-configuration";
import type { OidcProviderConfig } from "./sso-env";
import { classifyOidcError, SsoFailure } from "./sso-failure";
import { flowSecrets, isStateOf, stateHash } from "./sso-flow-secrets";
import { findSsoProvider, ssoRedirectUri } from "./sso-providers";
import { hitSsoCallback, settleSsoCallback } from "./sso-throttle";
import { syncIdpMemberships } from "./sync-idp-memberships";

// What is kept of a provider's groups claim (Entra ID sends up to 200 before it switches
// to a reference; more than this is a misconfigured claim, not a person).
const MAX_GROUPS = 1000;
const MAX_GROUP_LENGTH = 256;

/** Where a user without any role lands after signing in: it tells them whom to ask. */
export const NO_ROLE_PATH = "/no-role";

type Identity = { subject: string; email: string | null; name: string | null; groups: string[] };

/**
 * Finishes a single sign-on: checks the browser's flow against the recorded attempt and
 * uses it up (a replayed state finds it used), lets openid-client exchange the code (PKCE
 * verifier, state, nonce; ID token signature through the provider's JWKS, algorithm,
 * issuer, audience, expiry), then in one transaction finds or creates the account,
 * re-applies the group mappings, creates the session and audits it all. Any failure
 * throws SsoFailure before that transaction, or rolls it back: nothing is half-created.
 */
export async function completeSsoSignIn({
  ctx,
  providerId,
  callbackUrl,
  flowSecret,
}: {
  ctx: RequestContext;
  providerId: string;
  /** The URL the provider sent the browser to (its query is the authorization response). */
  callbackUrl: URL;
  /** The browser's flow cookie, if it sent one. */
  flowSecret: string | null;
}) {
  // Counted first; the caller settles a failure (ssoFailureLocation with counted), a success is settled below.
  if (await hitSsoCallback(ctx.ip)) throw new SsoFailure("throttled", "Too many failed sign-ins from this address.");
  const provider = findSsoProvider(providerId);
  if (!provider) throw new SsoFailure("unknown-provider", `No single sign-on provider is called ${JSON.stringify(providerId)}.`);

  const state = callbackUrl.searchParams.get("state");
  if (!state) throw new SsoFailure("state-invalid", "The response carries no state.");
  if (!flowSecret || !isStateOf(flowSecret, state)) {
    throw new SsoFailure("state-invalid", "The state does not belong to a sign-in started in this browser.");
  }
  const nextPath = await consumeAttempt(provider.id, state);

  // The response as the provider addressed it: openid-client derives the redirect_uri of
  // the code exchange from it, and behind a reverse proxy the request URL is not that.
  const currentUrl = new URL(ssoRedirectUri(provider.id));
  currentUrl.search = callbackUrl.search;
  const { nonce, codeVerifier } = flowSecrets(flowSecret);
  let identity: Identity;
  let idToken: string | null;
  try {
    const config = await oidcConfiguration(provider);
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new SsoFailure("token-invalid", "The provider returned no ID token.");
    idToken = tokens.id_token ?? null;
    identity = await identityFrom(provider, config, claims, tokens.access_token);
  } catch (error) {
    throw error instanceof SsoFailure ? error : new SsoFailure(classifyOidcError(error), "The provider's response was refused.", { cause: error });
  }

  const signIn = () => db.$transaction((tx) => signInIdentity(tx, { ctx, provider, identity, idToken }));
  let result: Awaited<ReturnType<typeof signIn>>;
  try {
    result = await signIn();
  } catch (error) {
    // Two first sign-ins of one person at once: the loser finds the winner's account.
    if (!isUniqueViolation(error)) throw error;
    result = await signIn();
  }
  await settleSsoCallback(ctx.ip, null);
  // Checked when stored and again on the way out: the row may predate today's rules.
  return { ...result, next: result.hasRole ? safeNext(nextPath) : NO_ROLE_PATH };
}

/** Uses up the attempt of this state; a second use, an expired one or a stranger's is refused. */
async function consumeAttempt(providerId: string, state: string): Promise<string> {
  const hash = stateHash(state);
  const consumed = await db.ssoLoginAttempt.updateMany({
    where: { stateHash: hash, provider: providerId, consumedAt: null, expiresAt: { gt: new Date() } },
    data: { consumedAt: new Date() },
  });
  const attempt = await db.ssoLoginAttempt.findUnique({ where: { stateHash: hash } });
  if (consumed.count === 1 && attempt) return attempt.nextPath;
  if (!attempt || attempt.provider !== providerId) throw new SsoFailure("state-invalid", "No sign-in was started with this state.");
  if (attempt.consumedAt) throw new SsoFailure("state-replayed", "This state was already used.");
  throw new SsoFailure("state-expired", "The sign-in took too long.");
}

/** Subject, verified email, name and groups from the ID token (and userinfo for what it lacks). */
async function identityFrom(provider: OidcProviderConfig, config: oidc.Configuration, idClaims: oidc.IDToken, accessToken: string): Promise<Identity> {
  let claims: Record<string, unknown> = idClaims;
  const lacks = (name: string) => claims[name] === undefined && !hasClaimReference(claims, name);
  if ((lacks("email") || lacks(provider.groupsClaim)) && config.serverMetadata().userinfo_endpoint) {
    // openid-client checks that userinfo is about the ID token's subject.
    const info = await oidc.fetchUserInfo(config, accessToken, idClaims.sub);
    claims = { ...info, ...idClaims };
  }
  if (hasClaimReference(claims, provider.groupsClaim)) {
    throw new SsoFailure("groups-overage", "The provider sent a reference to the groups instead of the groups.");
  }
  const email = typeof claims.email === "string" ? emailSchema.safeParse(claims.email) : null;
  const verified = claims[provider.emailVerifiedClaim] === true || claims[provider.emailVerifiedClaim] === "true";
  return {
    subject: idClaims.sub,
    email: email?.success && verified ? email.data : null,
    name: displayName(claims),
    groups: groupsOf(claims[provider.groupsClaim]),
  };
}

// Entra ID's "groups overage": _claim_names.groups points at a Graph query instead of the list.
function hasClaimReference(claims: Record<string, unknown>, name: string): boolean {
  const names = claims._claim_names;
  return typeof names === "object" && names !== null && Object.prototype.hasOwnProperty.call(names, name);
}

function groupsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
  const groups = list.filter((g): g is string => typeof g === "string" && g.length > 0 && g.length <= MAX_GROUP_LENGTH);
  return [...new Set(groups)].slice(0, MAX_GROUPS);
}

function displayName(claims: Record<string, unknown>): string | null {
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
  const joined = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(" ");
  return (text(claims.name) ?? (joined || null) ?? text(claims.preferred_username))?.slice(0, 120) ?? null;
}

async function signInIdentity(
  tx: DbTransaction,
  { ctx, provider, identity, idToken }: { ctx: RequestContext; provider: OidcProviderConfig; identity: Identity; idToken: string | null },
) {
  // The provider acts here, on behalf of the person signing in.
  const providerCtx: RequestContext = { ...ctx, actor: null, anonymousLabel: `sso:${provider.id}` };
  const user = await findOrCreateUser(tx, { ctx: providerCtx, provider, identity });
  await syncIdpMemberships(tx, { ctx: providerCtx, userId: user.id, userEmail: user.email, providerId: provider.id, groups: identity.groups });
  const { token, session } = await createSession(
    { userId: user.id, ip: ctx.ip, userAgent: ctx.userAgent ?? null, sso: { provider: provider.id, idTokenHint: idToken } },
    tx,
  );
  await recordAuditEvent(
    tx,
    { ...ctx, actor: null, anonymousLabel: user.email },
    { action: "auth.login", target: { type: "session", id: session.id }, summary: { method: "sso", provider: provider.id } },
  );
  const hasRole = (await tx.membership.count({ where: { userId: user.id } })) > 0;
  return { token, session, userId: user.id, hasRole };
}

async function findOrCreateUser(tx: DbTransaction, { ctx, provider, identity }: { ctx: RequestContext; provider: OidcProviderConfig; identity: Identity }) {
  const known = await tx.ssoIdentity.findUnique({
    where: { provider_subject: { provider: provider.id, subject: identity.subject } },
    include: { user: true },
  });
  if (known) {
    if (known.user.disabledAt) throw new SsoFailure("account-disabled", "The account is disabled.");
    await tx.ssoIdentity.update({ where: { id: known.id }, data: { groups: identity.groups, lastSignInAt: new Date() } });
    return known.user;
  }
  // A first sign-in: the email, vouched for by the provider, finds or names the account.
  if (!identity.email) throw new SsoFailure("email-unverified", "The provider did not vouch for an email address.");
  if (identity.email === env().sso.breakGlassEmail) {
    throw new SsoFailure("account-conflict", "The break-glass account signs in with its password only.");
  }
  let user = await tx.user.findUnique({ where: { email: identity.email } });
  if (user) {
    if (user.disabledAt) throw new SsoFailure("account-disabled", "The account is disabled.");
    const linked = await tx.ssoIdentity.findFirst({ where: { userId: user.id, provider: provider.id } });
    if (linked) throw new SsoFailure("account-conflict", "The account is linked to another identity at this provider.");
  } else {
    user = await tx.user.create({ data: { email: identity.email, name: identity.name ?? identity.email.split("@")[0]!, passwordHash: null } });
    await recordAuditEvent(tx, ctx, {
      action: "user.create",
      target: { type: "user", id: user.id },
      summary: { after: { email: user.email, name: user.name }, source: "sso", provider: provider.id },
    });
  }
  const created = await tx.ssoIdentity.create({
    data: { provider: provider.id, subject: identity.subject, userId: user.id, email: identity.email, groups: identity.groups },
  });
  await recordAuditEvent(tx, ctx, {
    action: "sso.identity.link",
    target: { type: "user", id: user.id },
    summary: { provider: provider.id, subject: identity.subject, email: identity.email, identityId: created.id },
  });
  return user;
}
