// A real OpenID provider on loopback for tests: panva's oidc-provider (a certified
// implementation) with its own login page (the library's development interactions: any
// login name, any password), accounts the test controls (email, verification, groups),
// PKCE required, RP-initiated logout. For the failure-mode tests it can tamper with the
// ID token it issues (re-signed with its own key, another key or none), the only way a
// conforming provider produces a wrong audience, issuer or nonce.
//
// A small admin endpoint (PUT /test-admin/accounts/{sub}) lets a test in another process
// (the browser tests' portal runs beside this one) change an account's groups.
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as jose from "jose";
import Provider, { type Configuration, type KoaContextWithOIDC } from "oidc-provider";

export type TestAccount = {
  sub: string;
  email?: string;
  emailVerified?: boolean;
  name?: string;
  groups?: string[];
  /** Further claims, e.g. Entra ID's `_claim_names` for a groups overage. */
  extraClaims?: Record<string, unknown>;
};

export type TestClient = {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** The algorithm this provider signs the client's ID tokens with (default RS256). */
  idTokenAlg?: "RS256" | "ES256";
};

/** Rewrites an issued ID token: `payload` changes re-sign it with the provider's key unless `sign` says otherwise. */
export type IdTokenTamper = (token: { header: jose.ProtectedHeaderParameters; payload: jose.JWTPayload }) => {
  payload?: jose.JWTPayload;
  sign?: "provider-rsa" | "provider-ec" | "foreign-rsa" | "none";
};

export type TestIdentityProvider = {
  issuer: string;
  setAccount(account: TestAccount): void;
  /** Tampers with every ID token from the token endpoint until called with null. */
  tamperIdTokens(tamper: IdTokenTamper | null): void;
  /** Refuses every request (503) until called with false: the provider is down. */
  setDown(down: boolean): void;
  /**
   * Plays the browser at the provider: follows the authorization URL, signs in on the
   * login page as `login` and returns the URL the provider redirects back to.
   */
  signIn(authorizationUrl: string, login: string, options?: { jar?: CookieJar; cancel?: boolean }): Promise<URL>;
  /** Plays the browser through RP-initiated logout (confirming it) and returns where the provider sends it back. */
  endSession(endSessionUrl: string, jar?: CookieJar): Promise<URL>;
  stop(): Promise<void>;
};

export type CookieJar = Map<string, string>;

/** How long an authorization code may wait for its exchange (oidc-provider's default). */
export const CODE_TTL_SECONDS = 60;

export async function startTestIdentityProvider({ clients, port = 0 }: { clients: TestClient[]; port?: number }): Promise<TestIdentityProvider> {
  const accounts = new Map<string, TestAccount>();
  let tamper: IdTokenTamper | null = null;
  let down = false;

  const rsa = await jose.generateKeyPair("RS256", { extractable: true });
  const ec = await jose.generateKeyPair("ES256", { extractable: true });
  const foreign = await jose.generateKeyPair("RS256", { extractable: true });
  const jwks = {
    keys: [
      { ...(await jose.exportJWK(rsa.privateKey)), kid: "test-rsa", alg: "RS256", use: "sig" },
      { ...(await jose.exportJWK(ec.privateKey)), kid: "test-ec", alg: "ES256", use: "sig" },
    ],
  };

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris ?? [],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: c.idTokenAlg ?? "RS256",
    })),
    jwks: jwks as Configuration["jwks"],
    cookies: { keys: ["rampart-test-identity-provider"] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    // Claims in the ID token itself, as Entra ID, Okta and Keycloak are set up to send them.
    conformIdTokenClaims: false,
    features: { rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    ttl: {
      AuthorizationCode: CODE_TTL_SECONDS,
      AccessToken: 3600,
      IdToken: 3600,
      Grant: 3600,
      Interaction: 600,
      Session: 3600,
    },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            ...(account.email !== undefined ? { email: account.email, email_verified: account.emailVerified ?? true } : {}),
            ...(account.name !== undefined ? { name: account.name } : {}),
            groups: account.groups ?? [],
            ...account.extraClaims,
          };
        },
      };
    },
    // First-party application, consented by the organisation: no consent screen.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, params } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(params?.scope ?? "openid"));
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);

  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: unknown } | undefined;
    if (tamper && ctx.path === "/token" && body && typeof body.id_token === "string") {
      ctx.body = { ...body, id_token: await rewrite(body.id_token, tamper) };
    }
  });

  async function rewrite(token: string, change: IdTokenTamper): Promise<string> {
    const header = jose.decodeProtectedHeader(token);
    const original = jose.decodeJwt(token);
    const { payload = original, sign = "provider-rsa" } = change({ header, payload: original });
    if (sign === "none") {
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
      return `${part({ alg: "none", typ: "JWT" })}.${part(payload)}.`;
    }
    const [alg, key, kid] =
      sign === "provider-ec"
        ? (["ES256", ec.privateKey, "test-ec"] as const)
        : sign === "foreign-rsa"
          ? (["RS256", foreign.privateKey, "test-rsa"] as const)
          : (["RS256", rsa.privateKey, "test-rsa"] as const);
    return new jose.SignJWT(payload).setProtectedHeader({ alg, kid, typ: "JWT" }).sign(key);
  }

  const callback = provider.callback();
  server.on("request", (req, res) => {
    if (down) {
      res.writeHead(503).end();
      return;
    }
    const admin = /^\/test-admin\/accounts\/([^/]+)$/.exec(req.url ?? "");
    if (admin && req.method === "PUT") {
      let text = "";
      req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      req.on("end", () => {
        accounts.set(decodeURIComponent(admin[1]!), { ...(JSON.parse(text) as TestAccount), sub: decodeURIComponent(admin[1]!) });
        res.writeHead(204).end();
      });
      return;
    }
    callback(req, res);
  });

  return {
    issuer,
    setAccount: (account) => accounts.set(account.sub, account),
    tamperIdTokens: (next) => {
      tamper = next;
    },
    setDown: (value) => {
      down = value;
    },
    signIn: (authorizationUrl, login, { jar = new Map(), cancel = false } = {}) => signInAtProvider(issuer, authorizationUrl, login, jar, cancel),
    endSession: (endSessionUrl, jar = new Map()) => endSessionAtProvider(issuer, endSessionUrl, jar),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sets an account at a provider started by another process (the browser tests' global setup). */
export async function putTestAccount(issuer: string, account: TestAccount): Promise<void> {
  const response = await fetch(`${issuer}/test-admin/accounts/${encodeURIComponent(account.sub)}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(account),
  });
  if (response.status !== 204) throw new Error(`the test provider refused the account: ${response.status}`);
}

function signInAtProvider(issuer: string, authorizationUrl: string, login: string, jar: CookieJar, cancel: boolean): Promise<URL> {
  return browse(issuer, new URL(authorizationUrl), jar, (html, url) => {
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html)?.[1];
    if (!action || !html.includes('name="login"')) return null;
    const submit = new URL(action.replaceAll("&amp;", "&"), url);
    // The login page's "cancel": the provider answers the application with access_denied.
    if (cancel) return { url: new URL(`${submit.pathname}/abort`, submit), init: {} };
    return { url: submit, init: formPost({ prompt: "login", login, password: "any-password" }) };
  });
}

function endSessionAtProvider(issuer: string, endSessionUrl: string, jar: CookieJar): Promise<URL> {
  return browse(issuer, new URL(endSessionUrl), jar, (html, url) => {
    // The logout page: a form to confirm (shown, or submitted by script when there is no session).
    const action = /<form[^>]*action="([^"]+)"/i.exec(html)?.[1];
    if (!action) return null;
    const fields: Record<string, string> = { logout: "yes" };
    for (const input of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[input[1]!] = input[2]!;
    return { url: new URL(action.replaceAll("&amp;", "&"), url), init: formPost(fields) };
  });
}

/**
 * Plays a browser at the provider: follows its redirects and answers each of its pages with
 * `answer` (the form to submit), until the provider sends the browser elsewhere.
 */
async function browse(issuer: string, start: URL, jar: CookieJar, answer: (html: string, url: URL) => { url: URL; init: RequestInit } | null): Promise<URL> {
  const origin = new URL(issuer).origin;
  let url = start;
  let init: RequestInit = {};
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetchWithJar(url, init, jar);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, url);
      if (next.origin !== origin) return next;
      url = next;
      init = {};
      continue;
    }
    const step = response.status === 200 ? answer(await response.text(), url) : null;
    if (!step) throw new Error(`unexpected page at the test provider (${response.status} ${url.pathname})`);
    ({ url, init } = step);
  }
  throw new Error("too many redirects at the test provider");
}

function formPost(fields: Record<string, string>): RequestInit {
  return { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() };
}

async function fetchWithJar(url: URL, init: RequestInit, jar: CookieJar): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), cookie: cookieHeader(jar) } });
  for (const setCookie of response.headers.getSetCookie()) {
    const [pair] = setCookie.split(";");
    const eq = pair!.indexOf("=");
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(setCookie) || value === "") jar.delete(name);
    else jar.set(name, value);
  }
  return response;
}

function cookieHeader(jar: CookieJar): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}
