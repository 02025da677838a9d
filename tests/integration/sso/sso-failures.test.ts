// Every way a single sign-on can go wrong ends on its own page, audited, with nothing
// created: no user, identity, membership or session. The provider is real (oidc-provider
// on loopback); a forged ID token (wrong audience, issuer, nonce, algorithm, key) is made
// the only way it can be, by the provider's token endpoint being tampered with.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { createTeam, createUser } from "@/prisma/factories";
import { CODE_TTL_SECONDS } from "../../oidc-provider/start-test-identity-provider";
import { allowLoopbackEgress, disallowLoopbackEgress } from "../../helpers/allow-loopback-egress";
import { finishSso, nextClientIp, setEnv, signInWithSso, startSso, startSsoProvider } from "../../helpers/sso";

const idp = await startSsoProvider({ mappings: [{ group: "admins", team: "platform", role: "admin" }] });
afterAll(() => idp.stop());
afterEach(() => {
  idp.tamperIdTokens(null);
  idp.setDown(false);
  vi.useRealTimers();
});
beforeAll(async () => {
  await createTeam(db, { slug: "platform" });
});

let people = 0;
function newPerson(extra: { emailVerified?: boolean; email?: string; extraClaims?: Record<string, unknown> } = {}) {
  people += 1;
  const sub = `failing-${people}-${Math.random().toString(36).slice(2, 8)}`;
  idp.setAccount({
    sub,
    email: extra.email ?? `${sub}@corp.test`,
    emailVerified: extra.emailVerified ?? true,
    groups: ["admins"],
    extraClaims: extra.extraClaims,
  });
  return sub;
}

async function counts() {
  const [users, identities, memberships, sessions] = await Promise.all([db.user.count(), db.ssoIdentity.count(), db.membership.count(), db.session.count()]);
  return { users, identities, memberships, sessions };
}

const errorPage = (reason: string) => `/sign-in/sso-error?reason=${reason}&provider=corp`;

/** Expects a failure page for `reason`, no session cookie, nothing new in the database and an audited failure. */
async function expectRefused(attempt: () => Promise<{ location: string; sessionCookie?: string | null }>, reason: string) {
  const before = await counts();
  const since = new Date();
  const result = await attempt();
  expect(result.location).toBe(errorPage(reason));
  expect(result.sessionCookie ?? null).toBeNull();
  expect(await counts()).toEqual(before);
  const audited = await db.auditEvent.findMany({ where: { action: "auth.login", createdAt: { gte: since }, summary: { path: ["reason"], equals: reason } } });
  expect(audited).toHaveLength(1);
  expect(audited[0]).toMatchObject({ outcome: reason === "throttled" ? "denied" : "failure", actorLabel: "sso:corp" });
}

describe("the state", () => {
  it("refuses a callback whose state is not the one this browser's sign-in made, and leaves that sign-in usable", async () => {
    const sub = newPerson();
    const start = await startSso();
    const callback = await idp.signIn(start.location, sub);
    const forged = new URL(callback);
    forged.searchParams.set("state", "a-state-from-somewhere-else");
    await expectRefused(() => finishSso(forged, start), "state-invalid");
    expect((await finishSso(callback, start)).location).toBe("/");
  });

  it("refuses a callback in a browser that did not start the sign-in (no flow cookie: login CSRF)", async () => {
    const sub = newPerson();
    const start = await startSso();
    const callback = await idp.signIn(start.location, sub);
    await expectRefused(() => finishSso(callback, { flowCookie: null, ip: start.ip }), "state-invalid");
  });

  it("refuses a replayed state: the second use of a response finds its sign-in used up", async () => {
    const sub = newPerson();
    const start = await startSso();
    const callback = await idp.signIn(start.location, sub);
    expect((await finishSso(callback, start)).location).toBe("/");
    await expectRefused(() => finishSso(callback, start), "state-replayed");
  });

  it("refuses a sign-in that took longer than ten minutes", async () => {
    const sub = newPerson();
    const start = await startSso();
    const callback = await idp.signIn(start.location, sub);
    await db.ssoLoginAttempt.updateMany({ where: { consumedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectRefused(() => finishSso(callback, start), "state-expired");
  });
});

describe("the ID token", () => {
  async function withTamperedToken(tamper: Parameters<typeof idp.tamperIdTokens>[0]) {
    const sub = newPerson();
    idp.tamperIdTokens(tamper);
    return signInWithSso(idp, sub);
  }

  it("refuses a nonce that is not this sign-in's", async () => {
    await expectRefused(() => withTamperedToken(({ payload }) => ({ payload: { ...payload, nonce: "someone-elses-nonce" } })), "nonce-mismatch");
  });

  it("refuses a token issued by another issuer", async () => {
    await expectRefused(() => withTamperedToken(({ payload }) => ({ payload: { ...payload, iss: "https://evil.example" } })), "wrong-issuer");
  });

  it("refuses a token issued for another application", async () => {
    await expectRefused(() => withTamperedToken(({ payload }) => ({ payload: { ...payload, aud: "another-client" } })), "wrong-audience");
  });

  it("refuses an expired token", async () => {
    const past = Math.floor(Date.now() / 1000) - 3600;
    await expectRefused(() => withTamperedToken(({ payload }) => ({ payload: { ...payload, iat: past - 60, exp: past } })), "token-invalid");
  });

  it("refuses an unsigned token (alg: none)", async () => {
    await expectRefused(() => withTamperedToken(() => ({ sign: "none" })), "token-invalid");
  });

  it("refuses a token signed with an algorithm other than the configured one, even with the provider's own key", async () => {
    await expectRefused(() => withTamperedToken(() => ({ sign: "provider-ec" })), "token-invalid");
  });

  it("refuses a token signed with a key that is not in the provider's JWKS", async () => {
    await expectRefused(() => withTamperedToken(() => ({ sign: "foreign-rsa" })), "token-invalid");
  });
});

describe("the code", () => {
  it("refuses an expired code: the provider will not exchange it", async () => {
    const sub = newPerson();
    const start = await startSso();
    const callback = await idp.signIn(start.location, sub);
    // The provider, in this process, sees the code's lifetime pass; Rampart's ten minutes have not.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + (CODE_TTL_SECONDS + 5) * 1000 });
    await expectRefused(() => finishSso(callback, start), "code-rejected");
  });

  it("refuses a sign-in the user cancelled at the provider", async () => {
    const sub = newPerson();
    const start = await startSso();
    const callback = await idp.signIn(start.location, sub, { cancel: true });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    await expectRefused(() => finishSso(callback, start), "provider-refused");
  });
});

describe("the account", () => {
  it("refuses to create an account from an email the provider does not vouch for", async () => {
    const sub = newPerson({ emailVerified: false });
    await expectRefused(() => signInWithSso(idp, sub), "email-unverified");
  });

  it("refuses groups sent as a reference instead of a list (Entra ID's overage)", async () => {
    const sub = newPerson({ extraClaims: { _claim_names: { groups: "src1" }, _claim_sources: { src1: { endpoint: "https://graph.example/groups" } } } });
    await expectRefused(() => signInWithSso(idp, sub), "groups-overage");
  });

  it("refuses a disabled account", async () => {
    const user = await createUser(db, { disabledAt: new Date() });
    const sub = newPerson({ email: user.email });
    await expectRefused(() => signInWithSso(idp, sub), "account-disabled");
  });

  it("rolls everything back when the last step fails: no account, identity or membership is left half-created", async () => {
    const sub = newPerson();
    // The session is written last, in the same transaction as the account and its memberships.
    await db.$executeRawUnsafe(`CREATE FUNCTION refuse_session() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no sessions today'; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_session BEFORE INSERT ON sessions FOR EACH ROW EXECUTE FUNCTION refuse_session()`);
    try {
      vi.spyOn(console, "error").mockImplementation(() => {});
      await expectRefused(() => signInWithSso(idp, sub), "unexpected");
    } finally {
      vi.restoreAllMocks();
      await db.$executeRawUnsafe(`DROP TRIGGER refuse_session ON sessions`);
      await db.$executeRawUnsafe(`DROP FUNCTION refuse_session()`);
    }
    expect(await db.ssoIdentity.count({ where: { subject: sub } })).toBe(0);
    expect((await signInWithSso(idp, sub)).location).toBe("/");
  });
});

describe("the provider", () => {
  it("down at the start: the failure page, and no sign-in recorded", async () => {
    setEnv({
      RAMPART_OIDC_PROVIDERS: "corp,gone",
      RAMPART_OIDC_GONE_ISSUER: "http://127.0.0.1:9",
      RAMPART_OIDC_GONE_CLIENT_ID: "x",
      RAMPART_OIDC_GONE_CLIENT_SECRET: "y",
    });
    try {
      const attempts = await db.ssoLoginAttempt.count();
      const start = await startSso({ providerId: "gone" });
      expect(start.location).toBe("/sign-in/sso-error?reason=provider-unavailable&provider=gone");
      expect(start.flowCookie).toBe("");
      expect(await db.ssoLoginAttempt.count()).toBe(attempts);
    } finally {
      setEnv({
        RAMPART_OIDC_PROVIDERS: "corp",
        RAMPART_OIDC_GONE_ISSUER: undefined,
        RAMPART_OIDC_GONE_CLIENT_ID: undefined,
        RAMPART_OIDC_GONE_CLIENT_SECRET: undefined,
      });
    }
  });

  it("on an address inside the portal's network the operator has not allowed: refused by the outbound guard, provider-unavailable", async () => {
    setEnv({
      RAMPART_OIDC_PROVIDERS: "corp,closed",
      RAMPART_OIDC_CLOSED_ISSUER: idp.issuer,
      RAMPART_OIDC_CLOSED_CLIENT_ID: "x",
      RAMPART_OIDC_CLOSED_CLIENT_SECRET: "y",
    });
    disallowLoopbackEgress();
    try {
      const start = await startSso({ providerId: "closed" });
      expect(start.location).toBe("/sign-in/sso-error?reason=provider-unavailable&provider=closed");
      expect(start.flowCookie).toBe("");
    } finally {
      allowLoopbackEgress();
      setEnv({
        RAMPART_OIDC_PROVIDERS: "corp",
        RAMPART_OIDC_CLOSED_ISSUER: undefined,
        RAMPART_OIDC_CLOSED_CLIENT_ID: undefined,
        RAMPART_OIDC_CLOSED_CLIENT_SECRET: undefined,
      });
    }
  });

  it("down between its login page and the code exchange", async () => {
    const sub = newPerson();
    const start = await startSso();
    const callback = await idp.signIn(start.location, sub);
    idp.setDown(true);
    await expectRefused(() => finishSso(callback, start), "provider-unavailable");
  });

  it("answering discovery for another issuer than the configured one", async () => {
    setEnv({ RAMPART_OIDC_CORP_ISSUER: idp.issuer.replace("127.0.0.1", "localhost") });
    try {
      const start = await startSso();
      expect(start.location).toBe(errorPage("wrong-issuer"));
    } finally {
      setEnv({ RAMPART_OIDC_CORP_ISSUER: idp.issuer });
    }
  });

  it("unknown to Rampart", async () => {
    const start = await startSso({ providerId: "nobody" });
    expect(start.location).toBe("/sign-in/sso-error?reason=unknown-provider");
  });
});

describe("throttling", () => {
  it("refuses sign-ins from an address after too many forged or replayed responses, as for passwords", async () => {
    setEnv({ LOGIN_MAX_FAILURES_PER_IP: "3" });
    try {
      const ip = nextClientIp();
      for (let i = 0; i < 3; i++) {
        const start = await startSso({ ip });
        const forged = new URL(`http://127.0.0.1:3000/api/v1/auth/sso/corp/callback?code=x&state=forged-${i}`);
        expect((await finishSso(forged, start)).location).toBe(errorPage("state-invalid"));
      }
      const sub = newPerson();
      await expectRefused(async () => {
        const start = await startSso({ ip });
        return { location: start.location };
      }, "throttled");
      // Another address is not affected.
      expect((await signInWithSso(idp, sub)).location).toBe("/");
    } finally {
      setEnv({ LOGIN_MAX_FAILURES_PER_IP: undefined });
    }
  });

  it("evaluates at most the limit of many parallel forged callbacks: each is counted before it is checked", async () => {
    const ip = nextClientIp();
    const start = await startSso({ ip });
    setEnv({ LOGIN_MAX_FAILURES_PER_IP: "3" });
    try {
      const since = new Date();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => finishSso(new URL(`http://127.0.0.1:3000/api/v1/auth/sso/corp/callback?code=x&state=parallel-${i}`), start)),
      );
      expect(results.filter((r) => r.location === errorPage("state-invalid")).length).toBeLessThanOrEqual(3);
      expect(results.filter((r) => r.location === errorPage("throttled")).length).toBeGreaterThanOrEqual(17);
      const evaluated = await db.auditEvent.count({
        where: { action: "auth.login", createdAt: { gte: since }, summary: { path: ["reason"], equals: "state-invalid" } },
      });
      expect(evaluated).toBeLessThanOrEqual(3);
    } finally {
      setEnv({ LOGIN_MAX_FAILURES_PER_IP: undefined });
    }
  });
});
