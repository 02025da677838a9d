import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { effectiveGroupMappings, type EffectiveGroupMapping } from "./effective-group-mappings";
import type { SsoConfigurationView, SsoGroupMappingView } from "./sso-schemas";
import { ssoPostLogoutRedirectUri, ssoProviders, ssoRedirectUri } from "./sso-providers";

/** The providers (no secrets), every mapping in force and the sign-in mode, for administrators. */
export async function getSsoConfiguration(): Promise<SsoConfigurationView> {
  const providers = ssoProviders();
  const [mappings, counts] = await Promise.all([effectiveGroupMappings(db), db.ssoIdentity.groupBy({ by: ["provider"], _count: { _all: true } })]);
  const identities = new Map(counts.map((c) => [c.provider, c._count._all]));
  const { sso } = env();
  return {
    providers: providers.map((p) => ({
      id: p.id,
      displayName: p.displayName,
      issuer: p.issuer,
      clientId: p.clientId,
      scopes: p.scopes,
      groupsClaim: p.groupsClaim,
      emailVerifiedClaim: p.emailVerifiedClaim,
      idTokenAlg: p.idTokenAlg,
      redirectUri: ssoRedirectUri(p.id),
      postLogoutRedirectUri: ssoPostLogoutRedirectUri(),
      identityCount: identities.get(p.id) ?? 0,
    })),
    mappings: mappings.map(toSsoGroupMappingView),
    ssoOnly: sso.ssoOnly,
    breakGlassEmail: sso.breakGlassEmail,
  };
}

export function toSsoGroupMappingView(m: EffectiveGroupMapping): SsoGroupMappingView {
  return { ...m, createdAt: m.createdAt?.toISOString() ?? null };
}
