// Single sign-on against a real OpenID provider (oidc-provider on loopback): accounts
// created on first sign-in, group mappings re-applied at every sign-in, API tokens that
// follow the current role, administrators' mappings, sign-out with RP-initiated logout,
// and single-sign-on-only mode with its break-glass account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createTeam, createUser } from "@/prisma/factories";
import { callApi, json } from "../../helpers/call-api";
import { sessionCookieFor } from "../../helpers/sign-in-as";
import { finishSso, nextClientIp, setEnv, signInWithSso, startSso, startSsoProvider } from "../../helpers/sso";

const idp = await startSsoProvider({
  mappings: [
    { group: "rampart-admins", team: "platform", role: "admin" },
    { group: "payments-leads", team: "payments", role: "project-lead" },
    // Bootstrapping may name a team before it exists: it grants nothing until then.
    { group: "future", team: "not-yet-a-team", role: "developer" },
  ],
});
afterAll(() => idp.stop());

let platformId: string;
let paymentsId: string;
beforeAll(async () => {
  platformId = (await createTeam(db, { slug: "platform", name: "Platform" })).id;
  paymentsId = (await createTeam(db, { slug: "payments", name: "Payments" })).id;
});

let people = 0;
/** A person at the provider, unknown to Rampart. */
function newPerson(groups: string[], extra: { emailVerified?: boolean; name?: string } = {}) {
  people += 1;
  const sub = `person-${people}-${Math.random().toString(36).slice(2, 8)}`;
  const account = { sub, email: `${sub}@corp.test`, name: extra.name ?? `Person ${people}`, emailVerified: extra.emailVerified ?? true, groups };
  idp.setAccount(account);
  return account;
}

async function me(cookie: string) {
  return json(await callApi({ method: "GET", path: "/api/v1/me", cookie }));
}

describe("signing in through the provider", () => {
  it("lands on this origin whatever `next` says: tab, newline, backslash and protocol-relative tricks go home", async () => {
    for (const next of ["/\t/evil.example", "/\n/x", "/\\evil.example", "/.//evil.example", "//evil.example"]) {
      const person = newPerson(["rampart-admins"]);
      const result = await signInWithSso(idp, person.sub, { next });
      expect(result.response.status, JSON.stringify(next)).toBe(303);
      expect(result.location, JSON.stringify(next)).toBe("/");
    }
    // Stored by an earlier version of the rules: checked again on the way out.
    const person = newPerson(["rampart-admins"]);
    const start = await startSso({ next: "/applications" });
    await db.ssoLoginAttempt.updateMany({ where: { nextPath: "/applications" }, data: { nextPath: "/\t/evil.example" } });
    const finished = await finishSso(await idp.signIn(start.location, person.sub), start);
    expect(finished.location).toBe("/");
  });

  it("creates the account on first sign-in from the verified email, gives the mapped role and lands where the user was going", async () => {
    const alice = newPerson(["rampart-admins", "unmapped-group"], { name: "Alice Example" });
    const before = new Date();
    const result = await signInWithSso(idp, alice.sub, { next: "/applications?team=x" });
    expect(result.response.status).toBe(303);
    expect(result.location).toBe("/applications?team=x");
    expect(result.sessionCookie).toMatch(/^rampart_session=/);
    expect(result.response.headers.get("set-cookie")).toContain("HttpOnly");

    const user = await db.user.findUniqueOrThrow({ where: { email: alice.email }, include: { memberships: true, ssoIdentities: true } });
    expect(user).toMatchObject({ name: "Alice Example", passwordHash: null });
    expect(user.memberships).toEqual([
      expect.objectContaining({ teamId: platformId, role: "admin", source: "idp", provider: "corp", idpGroup: "rampart-admins" }),
    ]);
    expect(user.ssoIdentities).toEqual([expect.objectContaining({ provider: "corp", subject: alice.sub, groups: ["rampart-admins", "unmapped-group"] })]);

    const profile = await me(result.sessionCookie!);
    expect(profile).toMatchObject({ email: alice.email, authenticatedBy: "session" });
    expect(profile.permissions).toContain("users:manage");
    expect(profile.memberships).toEqual([expect.objectContaining({ teamSlug: "platform", role: "admin", source: "idp", provider: "corp" })]);

    const events = await db.auditEvent.findMany({ where: { createdAt: { gte: before } } });
    expect(events.map((e) => `${e.action} by ${e.actorLabel}`).sort()).toEqual(
      [`auth.login by ${alice.email}`, "membership.add by sso:corp", "sso.identity.link by sso:corp", "user.create by sso:corp"].sort(),
    );
    const session = await db.session.findFirstOrThrow({ where: { userId: user.id } });
    expect(session).toMatchObject({ ssoProvider: "corp" });
    expect(session.idTokenHint).toMatch(/^ey/);
  });

  it("re-applies the mappings at every sign-in: a group removed at the provider takes its role away, a manual membership stays", async () => {
    const bob = newPerson(["rampart-admins", "payments-leads"]);
    await signInWithSso(idp, bob.sub);
    const user = await db.user.findUniqueOrThrow({ where: { email: bob.email } });
    await db.membership.create({ data: { userId: user.id, teamId: paymentsId, role: "developer" } });
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(3);

    idp.setAccount({ ...bob, groups: ["payments-leads"] });
    const again = await signInWithSso(idp, bob.sub);
    expect(again.location).toBe("/");
    const memberships = await db.membership.findMany({ where: { userId: user.id }, orderBy: { role: "asc" } });
    expect(memberships.map((m) => [m.role, m.source])).toEqual([
      ["developer", "manual"],
      ["project-lead", "idp"],
    ]);
    expect(
      await db.auditEvent.count({
        where: { action: "membership.remove", actorLabel: "sso:corp", teamId: platformId, summary: { path: ["before", "user"], equals: bob.email } },
      }),
    ).toBe(1);
    expect((await me(again.sessionCookie!)).permissions).not.toContain("users:manage");
  });

  it("does not duplicate a role the user already holds manually, and leaves it when the group goes", async () => {
    const carol = newPerson([]);
    await signInWithSso(idp, carol.sub);
    const user = await db.user.findUniqueOrThrow({ where: { email: carol.email } });
    await db.membership.create({ data: { userId: user.id, teamId: platformId, role: "admin" } });
    idp.setAccount({ ...carol, groups: ["rampart-admins"] });
    await signInWithSso(idp, carol.sub);
    idp.setAccount({ ...carol, groups: [] });
    await signInWithSso(idp, carol.sub);
    expect(await db.membership.findMany({ where: { userId: user.id }, select: { role: true, source: true } })).toEqual([{ role: "admin", source: "manual" }]);
  });

  it("signs in a user whose groups map to nothing without any role, and sends them to the page that says whom to ask", async () => {
    const dora = newPerson(["nobody-maps-this"]);
    const result = await signInWithSso(idp, dora.sub, { next: "/applications" });
    expect(result.location).toBe("/no-role");
    const profile = await me(result.sessionCookie!);
    expect(profile.memberships).toEqual([]);
    expect(profile.permissions).toEqual([]);
  });

  it("links a first sign-in to the existing account with the same verified email, which keeps its password and roles", async () => {
    const existing = await createUser(db, {
      email: "erin@corp.test",
      password: "erins-old-password",
      memberships: [{ teamId: paymentsId, role: "developer" }],
    });
    idp.setAccount({ sub: "erin-at-corp", email: "Erin@Corp.test", emailVerified: true, groups: [] });
    const result = await signInWithSso(idp, "erin-at-corp");
    expect(result.location).toBe("/");
    expect((await me(result.sessionCookie!)).id).toBe(existing.id);
    expect(await db.ssoIdentity.count({ where: { userId: existing.id } })).toBe(1);
    expect(await db.user.count({ where: { email: "erin@corp.test" } })).toBe(1);
    const login = await callApi({
      method: "POST",
      path: "/api/v1/auth/login",
      body: { email: "erin@corp.test", password: "erins-old-password" },
      headers: { "x-forwarded-for": nextClientIp() },
    });
    expect(login.status).toBe(200);
  });

  it("keeps no password for an account made by single sign-on: password sign-in and password change are refused", async () => {
    const finn = newPerson([]);
    const result = await signInWithSso(idp, finn.sub);
    const login = await callApi({
      method: "POST",
      path: "/api/v1/auth/login",
      body: { email: finn.email, password: "anything-at-all" },
      headers: { "x-forwarded-for": nextClientIp() },
    });
    expect(login.status).toBe(401);
    const change = await callApi({
      method: "POST",
      path: "/api/v1/me/password",
      cookie: result.sessionCookie!,
      body: { currentPassword: "x", newPassword: "a-new-long-password" },
    });
    expect(change.status).toBe(409);
  });

  it("keeps the flow's state in the database and the browser only: the sign-in finishes after the process forgets everything it cached", async () => {
    const gus = newPerson(["payments-leads"]);
    const { startSso, finishSso } = await import("../../helpers/sso");
    const { forgetOidcConfigurations } = await import("@/lib/auth/sso/oidc-configuration");
    const start = await startSso({});
    expect(await db.ssoLoginAttempt.count({ where: { consumedAt: null } })).toBeGreaterThan(0);
    const callback = await idp.signIn(start.location, gus.sub);
    // What another replica would have: nothing of this process, the same database, the browser's cookie.
    forgetOidcConfigurations();
    const finished = await finishSso(callback, start);
    expect(finished.location).toBe("/");
    expect((await me(finished.sessionCookie!)).memberships).toEqual([expect.objectContaining({ role: "project-lead", teamSlug: "payments" })]);
  });
});

describe("API tokens of single sign-on users", () => {
  it("follow the user's current role: a role lost at the next sign-in is lost by the token too", async () => {
    const hana = newPerson(["rampart-admins"]);
    const first = await signInWithSso(idp, hana.sub);
    const created = await callApi({ method: "POST", path: "/api/v1/tokens", cookie: first.sessionCookie!, body: { name: "ci", role: "admin" } });
    expect(created.status).toBe(201);
    const { token } = await json(created);
    expect((await callApi({ method: "GET", path: "/api/v1/users", bearer: token })).status).toBe(200);

    idp.setAccount({ ...hana, groups: [] });
    await signInWithSso(idp, hana.sub);
    const after = await callApi({ method: "GET", path: "/api/v1/users", bearer: token });
    expect(after.status).toBe(403);
    expect((await json(await callApi({ method: "GET", path: "/api/v1/me", bearer: token }))).permissions).toEqual([]);
  });
});

describe("group mappings in the portal", () => {
  async function adminCookie() {
    const admin = await createUser(db, { memberships: [{ teamId: platformId, role: "admin" }] });
    return sessionCookieFor(admin.id);
  }

  it("lists the providers (no secrets) and every mapping with where it comes from", async () => {
    const response = await callApi({ method: "GET", path: "/api/v1/sso", cookie: await adminCookie() });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.providers).toEqual([
      expect.objectContaining({
        id: "corp",
        displayName: "Corp SSO",
        issuer: idp.issuer,
        redirectUri: "http://127.0.0.1:3000/api/v1/auth/sso/corp/callback",
        postLogoutRedirectUri: "http://127.0.0.1:3000/sign-in/signed-out",
      }),
    ]);
    expect(JSON.stringify(body)).not.toContain("rampart-test-client-secret");
    expect(body.mappings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: null, group: "rampart-admins", teamId: platformId, role: "admin", source: "environment" }),
        expect.objectContaining({ id: null, group: "future", teamSlug: "not-yet-a-team", teamId: null, source: "environment" }),
      ]),
    );
    expect(body).toMatchObject({ ssoOnly: false, breakGlassEmail: null });
  });

  it("applies an administrator's new mapping at once to everyone who signed in with the group, and takes it away on removal", async () => {
    const cookie = await adminCookie();
    const ivan = newPerson(["payments-devs"]);
    await signInWithSso(idp, ivan.sub);
    const user = await db.user.findUniqueOrThrow({ where: { email: ivan.email } });
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(0);

    const created = await callApi({
      method: "POST",
      path: "/api/v1/sso/mappings",
      cookie,
      body: { provider: "corp", group: "payments-devs", teamId: paymentsId, role: "developer" },
    });
    expect(created.status).toBe(201);
    const change = await json(created);
    expect(change).toMatchObject({ membershipsAdded: 1, membershipsRemoved: 0, mapping: { group: "payments-devs", source: "portal", teamSlug: "payments" } });
    expect(await db.membership.findMany({ where: { userId: user.id }, select: { role: true, source: true, idpGroup: true } })).toEqual([
      { role: "developer", source: "idp", idpGroup: "payments-devs" },
    ]);
    expect(await db.auditEvent.count({ where: { action: "sso.mapping.create", targetId: change.mapping.id, teamId: paymentsId } })).toBe(1);

    const duplicate = await callApi({
      method: "POST",
      path: "/api/v1/sso/mappings",
      cookie,
      body: { provider: "corp", group: "payments-devs", teamId: paymentsId, role: "developer" },
    });
    expect(duplicate.status).toBe(409);

    const removed = await callApi({ method: "DELETE", path: `/api/v1/sso/mappings/${change.mapping.id}`, cookie });
    expect(removed.status).toBe(200);
    expect(await json(removed)).toEqual({ membershipsAdded: 0, membershipsRemoved: 1 });
    expect(await db.membership.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "sso.mapping.delete", targetId: change.mapping.id } })).toBe(1);
    expect((await callApi({ method: "DELETE", path: `/api/v1/sso/mappings/${change.mapping.id}`, cookie })).status).toBe(404);
  });

  it("refuses a mapping for an unknown provider or team with the field's path", async () => {
    const cookie = await adminCookie();
    const badProvider = await callApi({
      method: "POST",
      path: "/api/v1/sso/mappings",
      cookie,
      body: { provider: "nope", group: "g", teamId: paymentsId, role: "developer" },
    });
    expect(badProvider.status).toBe(422);
    expect((await json(badProvider)).errors).toEqual([expect.objectContaining({ path: "body.provider" })]);
    const badTeam = await callApi({
      method: "POST",
      path: "/api/v1/sso/mappings",
      cookie,
      body: { provider: "corp", group: "g", teamId: crypto.randomUUID(), role: "developer" },
    });
    expect(badTeam.status).toBe(422);
    expect((await json(badTeam)).errors).toEqual([expect.objectContaining({ path: "body.teamId" })]);
    const badRole = await callApi({
      method: "POST",
      path: "/api/v1/sso/mappings",
      cookie,
      body: { provider: "corp", group: "g", teamId: paymentsId, role: "overlord" },
    });
    expect(badRole.status).toBe(422);
    expect((await json(badRole)).errors).toEqual([expect.objectContaining({ path: "body.role" })]);
  });

  it("shows on each membership where it came from", async () => {
    const cookie = await adminCookie();
    const jana = newPerson(["payments-leads"]);
    await signInWithSso(idp, jana.sub);
    const team = await json(await callApi({ method: "GET", path: `/api/v1/teams/${paymentsId}`, cookie }));
    expect(team.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: jana.email, role: "project-lead", source: "idp", provider: "corp", idpGroup: "payments-leads" }),
      ]),
    );
  });
});

describe("signing out", () => {
  it("ends a single sign-on session in Rampart and hands back the provider's end-session URL, which the provider accepts", async () => {
    const kai = newPerson([]);
    const { sessionCookie } = await signInWithSso(idp, kai.sub);
    const out = await callApi({ method: "POST", path: "/api/v1/auth/logout", cookie: sessionCookie! });
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    const { endSessionUrl } = await json(out);
    const url = new URL(endSessionUrl);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe("http://127.0.0.1:3000/sign-in/signed-out");
    expect(url.searchParams.get("id_token_hint")).toMatch(/^ey/);
    expect((await callApi({ method: "GET", path: "/api/v1/me", cookie: sessionCookie! })).status).toBe(401);
    // The provider accepts the hint and sends the browser back to the registered page.
    expect((await idp.endSession(endSessionUrl)).href).toBe("http://127.0.0.1:3000/sign-in/signed-out");
  });

  it("gives no end-session URL for a password session", async () => {
    const user = await createUser(db, {});
    const out = await callApi({ method: "POST", path: "/api/v1/auth/logout", cookie: await sessionCookieFor(user.id) });
    expect(await json(out)).toEqual({ endSessionUrl: null });
  });
});

describe("single-sign-on-only mode", () => {
  const breakGlassPassword = "break-glass-password-1";
  let breakGlassEmail: string;
  let regularEmail: string;
  beforeAll(async () => {
    breakGlassEmail = (
      await createUser(db, { email: "break-glass@rampart.test", password: breakGlassPassword, memberships: [{ teamId: platformId, role: "admin" }] })
    ).email;
    regularEmail = (await createUser(db, { email: "regular@rampart.test", password: "regular-password-1" })).email;
    setEnv({ RAMPART_SSO_ONLY: "true", RAMPART_BREAK_GLASS_EMAIL: breakGlassEmail });
  });
  afterAll(() => setEnv({ RAMPART_SSO_ONLY: undefined, RAMPART_BREAK_GLASS_EMAIL: undefined }));

  const login = (email: string, password: string) =>
    callApi({ method: "POST", path: "/api/v1/auth/login", body: { email, password }, headers: { "x-forwarded-for": nextClientIp() } });

  it("refuses password sign-in for everyone but the break-glass account, without telling strangers which that is", async () => {
    const right = await login(regularEmail, "regular-password-1");
    expect(right.status).toBe(403);
    expect((await json(right)).detail).toBe("Password sign-in is switched off: sign in with single sign-on.");
    const wrong = await login(regularEmail, "not-the-password");
    expect(wrong.status).toBe(401);
    const wrongBreakGlass = await login(breakGlassEmail, "not-the-password");
    expect(wrongBreakGlass.status).toBe(401);
    expect((await json(wrongBreakGlass)).detail).toBe((await json(wrong)).detail);

    const breakGlass = await login(breakGlassEmail, breakGlassPassword);
    expect(breakGlass.status).toBe(200);
    expect(
      await db.auditEvent.count({
        where: { action: "auth.login", outcome: "success", actorLabel: breakGlassEmail, summary: { path: ["breakGlass"], equals: true } },
      }),
    ).toBe(1);
    expect(
      await db.auditEvent.count({
        where: { action: "auth.login", outcome: "denied", actorLabel: regularEmail, summary: { path: ["reason"], equals: "sso-only" } },
      }),
    ).toBe(1);
  });

  it("still signs people in through the provider, and never links the break-glass account to it", async () => {
    const lena = newPerson(["payments-leads"]);
    expect((await signInWithSso(idp, lena.sub)).location).toBe("/");
    idp.setAccount({ sub: "impostor", email: breakGlassEmail, emailVerified: true, groups: ["rampart-admins"] });
    const impostor = await signInWithSso(idp, "impostor");
    expect(impostor.location).toBe("/sign-in/sso-error?reason=account-conflict&provider=corp");
    expect(impostor.sessionCookie).toBeNull();
    expect(await db.ssoIdentity.count({ where: { subject: "impostor" } })).toBe(0);
  });

  it("is reported to administrators", async () => {
    const admin = await createUser(db, { memberships: [{ teamId: platformId, role: "admin" }] });
    const body = await json(await callApi({ method: "GET", path: "/api/v1/sso", cookie: await sessionCookieFor(admin.id) }));
    expect(body).toMatchObject({ ssoOnly: true, breakGlassEmail: "break-glass@rampart.test" });
  });
});
