import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { hashSecret } from "@/lib/auth/secret-token";
import { createTeam, createUser } from "@/prisma/factories";
import { callApi, json } from "../../helpers/call-api";

const PASSWORD = "correct-horse-battery";
let teamId: string;
// scrypt at OWASP's parameters costs 128 MiB and a fraction of a second per check; CI shares two cores.
vi.setConfig({ testTimeout: 120_000 });

beforeAll(async () => {
  teamId = (await createTeam(db, { slug: "auth-team" })).id;
});

async function newUser(role = "project-lead") {
  return createUser(db, { email: `u-${Math.random().toString(36).slice(2, 9)}@auth.test`, password: PASSWORD, memberships: [{ teamId, role }] });
}

function login(email: string, password: string, ip = "198.51.100.1") {
  return callApi({ method: "POST", path: "/api/v1/auth/login", body: { email, password }, headers: { "x-forwarded-for": ip } });
}

function cookieOf(res: Response): string {
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

describe("sign-in and sessions", () => {
  it("sets an HttpOnly, SameSite=Lax session cookie and stores only its hash", async () => {
    const user = await newUser();
    const res = await login(user.email, PASSWORD);
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^rampart_session=[\w-]{40,};/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Lax");
    const token = cookieOf(res).split("=")[1]!;
    expect(await db.session.count({ where: { tokenHash: token } })).toBe(0);
    expect(await db.session.count({ where: { tokenHash: hashSecret(token) } })).toBe(1);
    const me = await json(await callApi({ method: "GET", path: "/api/v1/me", cookie: cookieOf(res) }));
    expect(me).toMatchObject({ email: user.email, authenticatedBy: "session" });
    expect(me.permissions).toContain("applications:create");
    expect(JSON.stringify(me)).not.toContain("scrypt");
  });

  it("marks the cookie Secure when not plain http on loopback", async () => {
    const user = await newUser();
    const res = await callApi({
      method: "POST",
      path: "/api/v1/auth/login",
      body: { email: user.email, password: PASSWORD },
      headers: { host: "rampart.example.com", "x-forwarded-proto": "https" },
    });
    expect(res.headers.get("set-cookie")).toContain("Secure");
  });

  it("refuses a wrong password and an unknown email the same way", async () => {
    const user = await newUser();
    const wrong = await login(user.email, "not-the-password");
    const unknown = await login("nobody@auth.test", "whatever-password");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect((await json(wrong)).detail).toBe((await json(unknown)).detail);
    expect(await db.auditEvent.count({ where: { action: "auth.login", outcome: "failure", actorLabel: user.email } })).toBe(1);
  });

  // The parameters are this run's (RAMPART_TEST_SCRYPT_N, vitest.config.ts); that they are
  // OWASP's outside tests is lib/auth/password.test.ts's to prove, at the real cost.
  it("hashes with the configured scrypt parameters, stored per hash, and rehashes an older hash at the next sign-in", async () => {
    const { randomBytes, scryptSync } = await import("node:crypto");
    const { SCRYPT_PARAMS } = await import("@/lib/auth/password");
    const current = new RegExp(`^scrypt\\$${SCRYPT_PARAMS.N}\\$8\\$1\\$`);
    const user = await newUser();
    expect(user.passwordHash).toMatch(current);
    const salt = randomBytes(16);
    const weaker = SCRYPT_PARAMS.N / 4;
    const old = `scrypt$${weaker}$8$1$${salt.toString("base64url")}$${scryptSync(PASSWORD, salt, 32, { N: weaker, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString("base64url")}`;
    await db.user.update({ where: { id: user.id }, data: { passwordHash: old } });
    expect((await login(user.email, PASSWORD)).status).toBe(200);
    const rehashed = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash!;
    expect(rehashed).toMatch(current);
    expect((await login(user.email, PASSWORD)).status).toBe(200);
  });

  it("throttles an IP that tries many accounts", async () => {
    const ip = "192.0.2.200";
    for (let i = 0; i < 30; i++) await login(`spray-${i}@auth.test`, "wrong-password", ip);
    const user = await newUser();
    expect((await login(user.email, PASSWORD, ip)).status).toBe(429);
    expect((await login(user.email, PASSWORD, "192.0.2.201")).status).toBe(200);
  });

  it("sign-out revokes the session: the same cookie no longer works", async () => {
    const user = await newUser();
    const cookie = cookieOf(await login(user.email, PASSWORD));
    expect((await callApi({ method: "GET", path: "/api/v1/me", cookie })).status).toBe(200);
    const out = await callApi({ method: "POST", path: "/api/v1/auth/logout", cookie });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await callApi({ method: "GET", path: "/api/v1/me", cookie })).status).toBe(401);
  });

  it("changing the password signs out other sessions and needs the current password", async () => {
    const user = await newUser();
    const a = cookieOf(await login(user.email, PASSWORD));
    const b = cookieOf(await login(user.email, PASSWORD));
    const wrong = await callApi({
      method: "POST",
      path: "/api/v1/me/password",
      cookie: a,
      body: { currentPassword: "nope", newPassword: "a-brand-new-password" },
    });
    expect(wrong.status).toBe(422);
    expect((await json(wrong)).errors[0].path).toBe("body.currentPassword");
    const short = await callApi({ method: "POST", path: "/api/v1/me/password", cookie: a, body: { currentPassword: PASSWORD, newPassword: "short" } });
    expect(short.status).toBe(422);
    const ok = await callApi({
      method: "POST",
      path: "/api/v1/me/password",
      cookie: a,
      body: { currentPassword: PASSWORD, newPassword: "a-brand-new-password" },
    });
    expect(ok.status).toBe(204);
    expect((await callApi({ method: "GET", path: "/api/v1/me", cookie: a })).status).toBe(200);
    expect((await callApi({ method: "GET", path: "/api/v1/me", cookie: b })).status).toBe(401);
    expect((await login(user.email, "a-brand-new-password")).status).toBe(200);
  });

  it("changing the password offers to revoke API tokens, and throttles the current-password check", async () => {
    const user = await newUser();
    const cookie = cookieOf(await login(user.email, PASSWORD));
    const token = await json(await callApi({ method: "POST", path: "/api/v1/tokens", cookie, body: { name: "ci", role: "auditor" } }));
    const kept = await callApi({
      method: "POST",
      path: "/api/v1/me/password",
      cookie,
      body: { currentPassword: PASSWORD, newPassword: "second-password-here" },
    });
    expect(kept.status).toBe(204);
    expect((await callApi({ method: "GET", path: "/api/v1/me", bearer: token.token })).status).toBe(200);
    const revoked = await callApi({
      method: "POST",
      path: "/api/v1/me/password",
      cookie,
      body: { currentPassword: "second-password-here", newPassword: "third-password-here", revokeApiTokens: true },
    });
    expect(revoked.status).toBe(204);
    expect((await callApi({ method: "GET", path: "/api/v1/me", bearer: token.token })).status).toBe(401);

    // A stolen session is no way to guess the password: five wrong answers, then locked, even for the right one.
    for (let i = 0; i < 5; i++) {
      expect(
        (await callApi({ method: "POST", path: "/api/v1/me/password", cookie, body: { currentPassword: `guess-${i}`, newPassword: "fourth-password-here" } }))
          .status,
      ).toBe(422);
    }
    const locked = await callApi({
      method: "POST",
      path: "/api/v1/me/password",
      cookie,
      body: { currentPassword: "third-password-here", newPassword: "fourth-password-here" },
    });
    expect(locked.status).toBe(429);
    expect((await login(user.email, "third-password-here")).status).toBe(200);
  });

  it("an administrator's password reset signs the user out everywhere and revokes their API tokens", async () => {
    const admin = await createUser(db, { password: PASSWORD, memberships: [{ teamId, role: "admin" }] });
    const adminCookie = cookieOf(await login(admin.email, PASSWORD));
    const user = await newUser();
    const userCookie = cookieOf(await login(user.email, PASSWORD));
    const token = await json(await callApi({ method: "POST", path: "/api/v1/tokens", cookie: userCookie, body: { name: "ci", role: "auditor" } }));
    const reset = await callApi({
      method: "PATCH",
      path: `/api/v1/users/${user.id}`,
      cookie: adminCookie,
      body: { password: "set-by-the-administrator" },
      headers: { "if-match": '"1"' },
    });
    expect(reset.status).toBe(200);
    expect((await callApi({ method: "GET", path: "/api/v1/me", cookie: userCookie })).status).toBe(401);
    expect((await callApi({ method: "GET", path: "/api/v1/me", bearer: token.token })).status).toBe(401);
    expect((await login(user.email, PASSWORD)).status).toBe(401);
    expect((await login(user.email, "set-by-the-administrator")).status).toBe(200);
    expect(await db.auditEvent.count({ where: { action: "user.reset-password", targetId: user.id } })).toBe(1);
  });

  it("a disabled user cannot sign in and loses existing sessions", async () => {
    const admin = await createUser(db, { password: PASSWORD, memberships: [{ teamId, role: "admin" }] });
    const adminCookie = cookieOf(await login(admin.email, PASSWORD));
    const user = await newUser();
    const userCookie = cookieOf(await login(user.email, PASSWORD));
    const res = await callApi({
      method: "PATCH",
      path: `/api/v1/users/${user.id}`,
      cookie: adminCookie,
      body: { disabled: true },
      headers: { "if-match": '"1"' },
    });
    expect(res.status).toBe(200);
    expect((await callApi({ method: "GET", path: "/api/v1/me", cookie: userCookie })).status).toBe(401);
    expect((await login(user.email, PASSWORD)).status).toBe(401);
    const self = await callApi({
      method: "PATCH",
      path: `/api/v1/users/${admin.id}`,
      cookie: adminCookie,
      body: { disabled: true },
      headers: { "if-match": '"1"' },
    });
    expect(self.status).toBe(409);
  });

  it("refuses a cross-origin state change made with the session cookie", async () => {
    const user = await newUser();
    const cookie = cookieOf(await login(user.email, PASSWORD));
    const res = await callApi({ method: "POST", path: "/api/v1/auth/logout", cookie, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
  });
});

describe("API tokens", () => {
  async function tokenFor(cookie: string, role: string, expiresInDays = 30) {
    return callApi({ method: "POST", path: "/api/v1/tokens", cookie, body: { name: "ci", role, expiresInDays } });
  }

  it("shows the secret once, stores it hashed, authenticates Bearer calls, and stops at revocation", async () => {
    const user = await newUser();
    const cookie = cookieOf(await login(user.email, PASSWORD));
    const created = await tokenFor(cookie, "project-lead");
    expect(created.status).toBe(201);
    const { token, id } = await json(created);
    expect(token).toMatch(/^rpt_/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(hashSecret(token));
    const list = await json(await callApi({ method: "GET", path: "/api/v1/tokens", cookie }));
    expect(JSON.stringify(list)).not.toContain(token);
    const me = await callApi({ method: "GET", path: "/api/v1/me", bearer: token });
    expect((await json(me)).authenticatedBy).toBe("token");
    expect((await callApi({ method: "DELETE", path: `/api/v1/tokens/${id}`, cookie })).status).toBe(200);
    expect((await callApi({ method: "GET", path: "/api/v1/me", bearer: token })).status).toBe(401);
  });

  it("caps a token at its role: a project lead's auditor token cannot create applications", async () => {
    const user = await newUser("project-lead");
    const cookie = cookieOf(await login(user.email, PASSWORD));
    const { token } = await json(await tokenFor(cookie, "auditor"));
    const res = await callApi({
      method: "POST",
      path: "/api/v1/applications",
      bearer: token,
      body: { teamId, slug: "via-token", name: "X", exposure: "internal", upstreamUrl: "http://127.0.0.1:1" },
    });
    expect(res.status).toBe(403);
    // …and the auditor token still only reads the creator's team, not the organisation
    const me = await json(await callApi({ method: "GET", path: "/api/v1/me", bearer: token }));
    expect(me.permissions).toContain("applications:read");
    expect(me.permissions).not.toContain("users:read");
  });

  it("refuses a token role higher than the creator's, tokens minting tokens, and bad bearer values", async () => {
    const user = await newUser("developer");
    const cookie = cookieOf(await login(user.email, PASSWORD));
    const higher = await tokenFor(cookie, "admin");
    expect(higher.status).toBe(403);
    const { token } = await json(await tokenFor(cookie, "developer"));
    expect((await callApi({ method: "POST", path: "/api/v1/tokens", bearer: token, body: { name: "x", role: "developer" } })).status).toBe(403);
    expect((await callApi({ method: "GET", path: "/api/v1/me", bearer: "rpt_forged" })).status).toBe(401);
    expect((await callApi({ method: "GET", path: "/api/v1/me", headers: { authorization: "Basic abc" } })).status).toBe(401);
  });

  it("refuses an expired token", async () => {
    const user = await newUser();
    const cookie = cookieOf(await login(user.email, PASSWORD));
    const { token, id } = await json(await tokenFor(cookie, "developer"));
    await db.apiToken.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await callApi({ method: "GET", path: "/api/v1/me", bearer: token })).status).toBe(401);
  });
});

describe("audit trail", () => {
  it("has no API that edits or deletes events, and filters by action and actor", async () => {
    const user = await newUser();
    await login(user.email, PASSWORD);
    const auditor = await createUser(db, { password: PASSWORD, memberships: [{ teamId, role: "auditor" }] });
    const cookie = cookieOf(await login(auditor.email, PASSWORD));
    const page = await json(await callApi({ method: "GET", path: `/api/v1/audit-events?action=auth.login&actor=${encodeURIComponent(user.email)}`, cookie }));
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ action: "auth.login", outcome: "success", actorLabel: user.email });
    const bad = await callApi({ method: "GET", path: "/api/v1/audit-events?from=yesterday", cookie });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors[0].path).toBe("query.from");
  });
});
