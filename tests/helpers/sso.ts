// Single sign-on in integration tests: a real OpenID provider on loopback
// (tests/oidc-provider), the portal's environment pointed at it, and a sign-in played
// through the real route handlers and the provider's real login page.
import { resetEnvCache } from "@/lib/env";
import { callApi } from "./call-api";
import { startTestIdentityProvider, type TestIdentityProvider } from "../oidc-provider/start-test-identity-provider";
import { allowLoopbackEgress } from "./allow-loopback-egress";

/** What callApi's requests look like to the portal: the public URL the provider redirects to. */
export const TEST_PUBLIC_URL = "http://127.0.0.1:3000";
export const TEST_CLIENT = { clientId: "rampart-portal", clientSecret: "rampart-test-client-secret" };

export type EnvGroupMapping = { group: string; team: string; role: string };

/**
 * Starts a provider and configures the portal with it as `providerId` (plus whatever else
 * `extraEnv` sets), with group mappings from the environment. The portal re-reads its
 * environment, as at start-up.
 */
export async function startSsoProvider({
  providerId = "corp",
  mappings = [],
  extraEnv = {},
}: { providerId?: string; mappings?: EnvGroupMapping[]; extraEnv?: Record<string, string> } = {}) {
  // The test provider listens on 127.0.0.1, which the portal calls only when the operator allows it.
  allowLoopbackEgress();
  const idp = await startTestIdentityProvider({
    clients: [
      {
        ...TEST_CLIENT,
        redirectUris: [`${TEST_PUBLIC_URL}/api/v1/auth/sso/${providerId}/callback`],
        postLogoutRedirectUris: [`${TEST_PUBLIC_URL}/sign-in/signed-out`],
      },
    ],
  });
  const prefix = `RAMPART_OIDC_${providerId.toUpperCase().replaceAll("-", "_")}_`;
  setEnv({
    RAMPART_PUBLIC_URL: TEST_PUBLIC_URL,
    RAMPART_OIDC_PROVIDERS: providerId,
    [`${prefix}ISSUER`]: idp.issuer,
    [`${prefix}CLIENT_ID`]: TEST_CLIENT.clientId,
    [`${prefix}CLIENT_SECRET`]: TEST_CLIENT.clientSecret,
    [`${prefix}DISPLAY_NAME`]: "Corp SSO",
    [`${prefix}SCOPES`]: "openid email profile groups",
    [`${prefix}GROUP_MAPPINGS`]: JSON.stringify(mappings),
    ...extraEnv,
  });
  return idp;
}

/** Sets (or, with undefined, removes) environment variables and makes the portal re-read them. */
export function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
}

let addressSequence = 0;
/** A client address of its own per sign-in, so the per-address throttle of one test never meets another's. */
export function nextClientIp(): string {
  addressSequence += 1;
  return `198.51.${100 + Math.floor(addressSequence / 250)}.${(addressSequence % 250) + 1}`;
}

export function cookiePair(response: Response, name: string): string | null {
  for (const setCookie of response.headers.getSetCookie()) {
    const pair = setCookie.split(";")[0]!;
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return null;
}

export type SsoStart = { response: Response; location: string; flowCookie: string; ip: string };

/** GET …/start as a browser would: the provider's authorization URL and the flow cookie. */
export async function startSso({
  providerId = "corp",
  next,
  ip = nextClientIp(),
}: { providerId?: string; next?: string; ip?: string } = {}): Promise<SsoStart> {
  const query = next === undefined ? "" : `?next=${encodeURIComponent(next)}`;
  const response = await callApi({ method: "GET", path: `/api/v1/auth/sso/${providerId}/start${query}`, headers: { "x-forwarded-for": ip } });
  return { response, location: response.headers.get("location") ?? "", flowCookie: cookiePair(response, "rampart_sso_flow") ?? "", ip };
}

/** GET the callback URL the provider redirected to, with the browser's flow cookie. */
export async function finishSso(callback: URL, { flowCookie, ip }: { flowCookie: string | null; ip: string }) {
  const response = await callApi({
    method: "GET",
    path: `${callback.pathname}${callback.search}`,
    cookie: flowCookie ?? undefined,
    headers: { "x-forwarded-for": ip },
  });
  return { response, location: response.headers.get("location") ?? "", sessionCookie: cookiePair(response, "rampart_session") };
}

/** The whole round trip: start, sign in at the provider as `login`, come back. */
export async function signInWithSso(idp: TestIdentityProvider, login: string, options: { providerId?: string; next?: string; ip?: string } = {}) {
  const start = await startSso(options);
  if (start.response.status !== 303) throw new Error(`start answered ${start.response.status}: ${start.location}`);
  const callback = await idp.signIn(start.location, login);
  const finished = await finishSso(callback, start);
  return { start, callback, ...finished };
}
