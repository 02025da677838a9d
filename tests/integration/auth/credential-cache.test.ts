// The short-lived authentication cache (lib/auth/credential-cache.ts) on real PostgreSQL:
// a change made by ANOTHER database client (as another portal process would) reaches this
// process through the delivery channel's notification, and the next request sees it. The
// tests wait for the notification (an event), never for time.
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authenticateRequest } from "@/lib/auth/authenticate-request";
import { CredentialCache, authCacheSeconds, credentialCache, resetCredentialCache } from "@/lib/auth/credential-cache";
import { generateSecret, hashSecret } from "@/lib/auth/secret-token";
import { can } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { deliveryListener, stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { AppError } from "@/lib/errors/app-error";
import { createTeam, createUser } from "@/prisma/factories";
import { sessionCookieFor } from "../../helpers/sign-in-as";

// Another portal process's connection: it makes the changes, never this process's client.
let other: pg.Client;

beforeAll(async () => {
  process.env.RAMPART_AUTH_CACHE_SECONDS = "60";
  resetCredentialCache();
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});

afterAll(async () => {
  delete process.env.RAMPART_AUTH_CACHE_SECONDS;
  resetCredentialCache();
  await other.end();
  await stopDeliveryListener();
});

/** Resolves once the listener is connected (entries are only trusted while it listens). */
async function listening(): Promise<void> {
  const listener = deliveryListener();
  if (listener.connected) return;
  await new Promise<void>((resolve) => {
    const off = listener.onAuthChange(() => {
      if (!listener.connected) return;
      off();
      resolve();
    });
  });
}

/** Runs `change` on the other client and resolves once this process heard of it. */
async function changeElsewhere(sql: string, params: unknown[]): Promise<void> {
  const heard = new Promise<void>((resolve) => {
    const off = deliveryListener().onAuthChange(() => {
      off();
      resolve();
    });
  });
  await other.query(sql, params);
  await heard;
}

/**
 * Resolves once this process has heard every notification committed before the call:
 * PostgreSQL delivers them in commit order, so a marker of our own (not an "auth" payload:
 * it bumps the listener's generation) arriving means everything before it has too.
 */
async function heardEverythingSoFar(): Promise<void> {
  const listener = deliveryListener();
  const since = listener.generation;
  await other.query("SELECT pg_notify('rampart_delivery', 'marker')");
  await listener.wait({ since, timeoutMs: 60_000 });
}

async function userWithToken(role = "security-officer") {
  const team = await createTeam(db);
  const user = await createUser(db, { memberships: [{ teamId: team.id, role }] });
  const token = `rpt_${generateSecret()}`;
  await db.apiToken.create({
    data: { name: "cache", prefix: token.slice(0, 8), tokenHash: hashSecret(token), role, userId: user.id, expiresAt: new Date(Date.now() + 86_400_000) },
  });
  return { team, user, token, headers: new Headers({ authorization: `Bearer ${token}` }) };
}

const refused = (headers: Headers) =>
  authenticateRequest(headers).then(
    () => false,
    (error: unknown) => error instanceof AppError && error.code === "UNAUTHENTICATED",
  );

describe("the authentication cache", () => {
  beforeEach(async () => {
    await listening();
  });

  it("serves a second request from the cache, until a notification says otherwise", async () => {
    const { headers, token, user } = await userWithToken();
    // Creating the user notified "auth" too: once that has arrived, it cannot empty the cache below.
    await heardEverythingSoFar();
    const cache = credentialCache()!;
    const before = cache.size;
    expect((await authenticateRequest(headers))?.user.id).toBe(user.id);
    expect(cache.size).toBe(before + 1);
    // Revoked without triggers (replica role): nobody is told, and the cached result stands.
    // It is the notification, not luck, that makes a revocation take effect at once.
    await other.query("SET session_replication_role = replica");
    await other.query("UPDATE api_tokens SET revoked_at = now() WHERE token_hash = $1", [hashSecret(token)]);
    await other.query("SET session_replication_role = origin");
    expect((await authenticateRequest(headers))?.user.id).toBe(user.id);
    await changeElsewhere("SELECT pg_notify('rampart_delivery', 'auth')", []);
    expect(await refused(headers)).toBe(true);
  });

  it("refuses a token revoked by another process as soon as the notification arrives", async () => {
    const { headers, token } = await userWithToken();
    expect(await authenticateRequest(headers)).not.toBeNull();
    await changeElsewhere("UPDATE api_tokens SET revoked_at = now() WHERE token_hash = $1", [hashSecret(token)]);
    expect(await refused(headers)).toBe(true);
  });

  it("refuses a user disabled by another process", async () => {
    const { headers, user } = await userWithToken();
    expect(await authenticateRequest(headers)).not.toBeNull();
    await changeElsewhere("UPDATE users SET disabled_at = now() WHERE id = $1", [user.id]);
    expect(await refused(headers)).toBe(true);
  });

  it("applies a role changed by another process", async () => {
    const { headers, user } = await userWithToken("project-lead");
    const cookie = new Headers({ cookie: await sessionCookieFor(user.id) });
    expect(can(await authenticateRequest(cookie), "policies:edit")).toBe(true);
    await changeElsewhere("UPDATE memberships SET role = 'auditor' WHERE user_id = $1", [user.id]);
    expect(can(await authenticateRequest(cookie), "policies:edit")).toBe(false);
    // The token keeps its role but never exceeds its creator's, who is an auditor now.
    expect(can(await authenticateRequest(headers), "policies:edit")).toBe(false);
  });

  it("ends a session revoked by another process", async () => {
    const { user } = await userWithToken();
    const cookie = await sessionCookieFor(user.id);
    const headers = new Headers({ cookie });
    expect(await authenticateRequest(headers)).not.toBeNull();
    await changeElsewhere("UPDATE sessions SET revoked_at = now() WHERE user_id = $1", [user.id]);
    expect(await authenticateRequest(headers)).toBeNull();
  });

  it("does not notify for the once-a-minute lastUsedAt write, nor for new sign-ins", async () => {
    const notified: string[] = [];
    const probe = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await probe.connect();
    probe.on("notification", (n) => notified.push(n.payload ?? ""));
    await probe.query("LISTEN rampart_delivery");
    const { user, token } = await userWithToken();
    await sessionCookieFor(user.id);
    await other.query("UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1", [hashSecret(token)]);
    await other.query("UPDATE sessions SET last_seen_at = now() WHERE user_id = $1", [user.id]);
    // A notification of our own as the end marker: everything sent before it has arrived by then.
    await other.query("SELECT pg_notify('rampart_delivery', 'marker')");
    await new Promise<void>((resolve) => {
      const check = () => (notified.includes("marker") ? resolve() : probe.once("notification", check));
      check();
    });
    await probe.end();
    // Creating the user's membership (the factory) notified; the touches after it did not.
    expect(notified.slice(notified.lastIndexOf("auth") + 1)).toEqual(["marker"]);
  });
});

describe("CredentialCache", () => {
  it("keeps entries no longer than its time to live", async () => {
    const cache = new CredentialCache<string>(5_000, () => true);
    let reads = 0;
    const read = async () => `value ${++reads}`;
    expect(await cache.load("k", read, 1_000)).toBe("value 1");
    expect(await cache.load("k", read, 5_999)).toBe("value 1");
    expect(await cache.load("k", read, 6_000)).toBe("value 2");
  });

  it("serves nothing while it cannot hear of changes", async () => {
    let trusted = false;
    const cache = new CredentialCache<string>(5_000, () => trusted);
    let reads = 0;
    const read = async () => `value ${++reads}`;
    await cache.load("k", read);
    await cache.load("k", read);
    expect(reads).toBe(2);
    trusted = true;
    await cache.load("k", read);
    await cache.load("k", read);
    expect(reads).toBe(3);
  });

  it("does not keep a value read while a change was being notified", async () => {
    const cache = new CredentialCache<string>(5_000, () => true);
    let reads = 0;
    await cache.load("k", async () => {
      cache.clear();
      return `value ${++reads}`;
    });
    await cache.load("k", async () => `value ${++reads}`);
    expect(reads).toBe(2);
  });

  it("is off unless configured, on for 5 seconds in production, and refuses nonsense", () => {
    expect(authCacheSeconds({ NODE_ENV: "test" } as NodeJS.ProcessEnv)).toBe(0);
    expect(authCacheSeconds({ NODE_ENV: "production" } as NodeJS.ProcessEnv)).toBe(5);
    expect(authCacheSeconds({ NODE_ENV: "production", RAMPART_AUTH_CACHE_SECONDS: "0" } as NodeJS.ProcessEnv)).toBe(0);
    expect(() => authCacheSeconds({ NODE_ENV: "test", RAMPART_AUTH_CACHE_SECONDS: "forever" } as NodeJS.ProcessEnv)).toThrow(/RAMPART_AUTH_CACHE_SECONDS/);
  });
});
