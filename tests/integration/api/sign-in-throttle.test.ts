// Sign-in throttling on real PostgreSQL (issue 12): every attempt is counted before the
// password is checked, so parallel guesses cannot outrun the count; the lockout is keyed on
// account + client address with a growing delay, so a stranger guessing elsewhere does not
// lock the owner out, while guessing spread over many addresses stays bounded.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { createTeam, createUser } from "@/prisma/factories";
import { callApi, json } from "../../helpers/call-api";

const PASSWORD = "correct-horse-battery";
const LIMIT = 5; // LOGIN_MAX_FAILURES_PER_ACCOUNT's default
// LOGIN_MAX_FAILURES_PER_EMAIL, lowered from its default (50) so the test checks fewer passwords.
const PER_EMAIL = 12;
let teamId: string;
// scrypt at OWASP's parameters costs 128 MiB and a fraction of a second per check; CI shares two cores.
vi.setConfig({ testTimeout: 120_000 });

beforeAll(async () => {
  process.env.LOGIN_MAX_FAILURES_PER_EMAIL = String(PER_EMAIL);
  resetEnvCache();
  teamId = (await createTeam(db, { slug: "throttle-team" })).id;
});

const unique = () => Math.random().toString(36).slice(2, 9);
const newUser = () => createUser(db, { email: `t-${unique()}@throttle.test`, password: PASSWORD, memberships: [{ teamId, role: "developer" }] });
const login = (email: string, password: string, ip: string) =>
  callApi({ method: "POST", path: "/api/v1/auth/login", body: { email, password }, headers: { "x-forwarded-for": ip } });
/** Attempts whose password was actually checked: each wrong one is audited as a failure. */
const evaluatedFailures = (email: string) => db.auditEvent.count({ where: { action: "auth.login", outcome: "failure", actorLabel: email } });

describe("sign-in throttling", () => {
  it("evaluates at most the limit of 40 parallel wrong passwords for one account", async () => {
    const user = await newUser();
    const answers = await Promise.all(Array.from({ length: 40 }, () => login(user.email, "wrong-password", "198.51.100.10")));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LIMIT);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    expect(await evaluatedFailures(user.email)).toBeLessThanOrEqual(LIMIT);
    // Locked at that address even with the right password.
    const blocked = await login(user.email, PASSWORD, "198.51.100.10");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("throttles an email that has no account the same way", async () => {
    const email = `nobody-${unique()}@throttle.test`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => login(email, "wrong-password", "198.51.100.11")));
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(LIMIT);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(20 - LIMIT);
    expect(await evaluatedFailures(email)).toBeLessThanOrEqual(LIMIT);
  });

  it("does not lock the owner out from their own address while someone guesses elsewhere", async () => {
    const user = await newUser();
    expect((await login(user.email, PASSWORD, "198.51.100.20")).status).toBe(200);
    for (let i = 0; i < LIMIT; i++) expect((await login(user.email, "wrong-password", "203.0.113.66")).status).toBe(401);
    expect((await login(user.email, PASSWORD, "203.0.113.66")).status).toBe(429);
    expect((await login(user.email, PASSWORD, "198.51.100.20")).status).toBe(200);
    // A fresh address is not the guesser's either.
    expect((await login(user.email, PASSWORD, "198.51.100.21")).status).toBe(200);
  });

  it("locks an address out for longer each time", async () => {
    const user = await newUser();
    const ip = "203.0.113.77";
    const retryAfter = async () => {
      for (let i = 0; i < LIMIT; i++) expect((await login(user.email, "wrong-password", ip)).status).toBe(401);
      const locked = await login(user.email, "wrong-password", ip);
      expect(locked.status).toBe(429);
      return Number(locked.headers.get("retry-after"));
    };
    const first = await retryAfter();
    // The first lockout has run out (moved into the past rather than waited for).
    await db.rateLimitBucket.update({ where: { key: `login:account-ip:${user.email}|${ip}` }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    const second = await retryAfter();
    expect(second).toBeGreaterThan(1.5 * first);
    expect(await evaluatedFailures(user.email)).toBe(2 * LIMIT);
  });

  it("bounds guessing spread over many addresses, while the owner still signs in from theirs", async () => {
    const user = await newUser();
    expect((await login(user.email, PASSWORD, "198.51.100.30")).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: PER_EMAIL + 8 }, (_, i) => login(user.email, "wrong-password", `10.9.${i >> 8}.${i & 255}`)));
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(PER_EMAIL);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(8);
    expect(await evaluatedFailures(user.email)).toBeLessThanOrEqual(PER_EMAIL);
    const owner = await login(user.email, PASSWORD, "198.51.100.30");
    expect(owner.status, JSON.stringify(await json(owner.clone()))).toBe(200);
  });
});
