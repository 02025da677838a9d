// The targets registry: security officers register, rescope, rotate and revoke targets;
// secrets are encrypted at rest, never returned, and refuse to decrypt when tampered with.
import pg from "pg";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { getDeliveryTargetSecrets } from "@/lib/delivery/get-delivery-target-secrets";
import { call, callApi, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster: { server: "https://kube.prod.example:6443" }
users:
  - name: rampart
    user: { token: "super-secret-cluster-token-0123456789" }
contexts:
  - name: prod
    context: { cluster: prod, user: rampart }
current-context: prod
`;

let cast: Cast;
const raw = new pg.Client({ connectionString: process.env.DATABASE_URL });

beforeAll(async () => {
  cast = await createCast();
  await raw.connect();
});
afterAll(async () => {
  await raw.end();
  await stopDeliveryListener();
});

const create = (body: unknown, cookie = cast.cookies.officer) => call({ method: "POST", path: "/api/v1/delivery/targets", cookie, body });

describe("proxy targets", () => {
  it("are created with a token shown once and stored only as its hash", async () => {
    const app = await paymentsApp(cast);
    const created = await create({ kind: "proxy", name: "edge-gateway", mode: "gateway", applicationIds: [app.id] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.token).toMatch(/^rdt_[A-Za-z0-9_-]{40,}$/);
    expect(created.body.tokenPrefix).toBe(created.body.token.slice(0, 10));
    expect(created.body.applications.map((a: { id: string }) => a.id)).toEqual([app.id]);

    const row = await db.deliveryTarget.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(created.body.token);

    const read = await call({ method: "GET", path: `/api/v1/delivery/targets/${created.body.id}`, cookie: cast.cookies.auditor });
    expect(read.status).toBe(200);
    expect(read.body.token).toBeUndefined();
    expect(JSON.stringify(read.body)).not.toContain(created.body.token);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "delivery.target.create", targetId: created.body.id } });
    expect(JSON.stringify(audit.summary)).not.toContain(created.body.token);
  });

  it("rotate the token (the old one stops working) and revoke, with If-Match", async () => {
    const created = await create({ kind: "proxy", name: "rotating", mode: "microgateway" });
    const old = created.body.token as string;
    const poll = (token: string) => call({ method: "GET", path: "/api/v1/delivery/bundle", bearer: token });
    expect((await poll(old)).status).toBe(200);

    const stale = await call({
      method: "POST",
      path: `/api/v1/delivery/targets/${created.body.id}/rotate-token`,
      cookie: cast.cookies.officer,
      headers: { "if-match": '"99"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.currentVersion).toBe(1);

    const rotated = await call({
      method: "POST",
      path: `/api/v1/delivery/targets/${created.body.id}/rotate-token`,
      cookie: cast.cookies.officer,
      headers: { "if-match": '"1"' },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.token).not.toBe(old);
    expect((await poll(old)).status).toBe(401);
    expect((await poll(rotated.body.token)).status).toBe(200);

    const revoked = await call({
      method: "POST",
      path: `/api/v1/delivery/targets/${created.body.id}/revoke`,
      cookie: cast.cookies.officer,
      headers: { "if-match": '"2"' },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await poll(rotated.body.token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");

    const actions = (await db.auditEvent.findMany({ where: { targetId: created.body.id }, orderBy: { createdAt: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["delivery.target.create", "delivery.target.rotate-token", "delivery.target.revoke"]);
  });

  it("refuse bad input with field paths, duplicate names and applications that do not exist", async () => {
    const bad = await create({ kind: "proxy", name: "", mode: "sidecar", applicationIds: ["not-a-uuid"] });
    expect(bad.status).toBe(422);
    const paths = bad.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["body.name", "body.mode", "body.applicationIds.0"]));

    const missing = await create({ kind: "proxy", name: "ghost", mode: "gateway", applicationIds: [crypto.randomUUID()] });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ path: "body.applicationIds.0", message: "is not an application" }]);
    expect(await db.deliveryTarget.count({ where: { name: "ghost" } })).toBe(0);

    await create({ kind: "proxy", name: "twice", mode: "gateway" });
    const duplicate = await create({ kind: "proxy", name: "twice", mode: "gateway" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors[0].path).toBe("body.name");
  });

  it("are managed by security officers only; teams see the targets of their own applications", async () => {
    expect((await create({ kind: "proxy", name: "by-lead", mode: "gateway" }, cast.cookies.lead)).status).toBe(403);
    const mine = await paymentsApp(cast);
    const theirs = await paymentsApp(cast, { teamId: cast.storefront.id });
    const shared = await create({ kind: "proxy", name: "shared-gw", mode: "gateway", applicationIds: [mine.id, theirs.id] });
    const foreign = await create({ kind: "proxy", name: "storefront-gw", mode: "gateway", applicationIds: [theirs.id] });

    const list = await call({ method: "GET", path: "/api/v1/delivery/targets", cookie: cast.cookies.developer });
    expect(list.status).toBe(200);
    const names = list.body.items.map((t: { name: string }) => t.name);
    expect(names).toContain("shared-gw");
    expect(names).not.toContain("storefront-gw");
    const visible = list.body.items.find((t: { name: string }) => t.name === "shared-gw");
    expect(visible.applications.map((a: { id: string }) => a.id)).toEqual([mine.id]);
    expect((await call({ method: "GET", path: `/api/v1/delivery/targets/${foreign.body.id}`, cookie: cast.cookies.developer })).status).toBe(404);
    expect(shared.status).toBe(201);
  });
});

describe("Kubernetes and Git targets", () => {
  it("store the kubeconfig encrypted, never return it, and decrypt it for server-side delivery", async () => {
    const created = await create({
      kind: "kubernetes",
      name: "prod-cluster",
      kubeconfig: KUBECONFIG,
      namespaces: ["payments"],
      renders: ["rampart", "kyverno"],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // An HMAC under a server key (not a plain hash anyone could test guesses against), to those who manage delivery.
    expect(created.body.secret).toEqual({ present: true, fingerprint: expect.stringMatching(/^hmac-sha256:[0-9a-f]{32}$/) });
    expect(created.body.secret.fingerprint).not.toContain(createHash("sha256").update(KUBECONFIG).digest("hex").slice(0, 16));
    expect(created.body.token).toBeNull();
    expect(JSON.stringify(created.body)).not.toContain("super-secret-cluster-token");

    const { rows } = await raw.query<{ secret_ciphertext: Buffer }>("SELECT secret_ciphertext FROM delivery_targets WHERE id = $1", [created.body.id]);
    const stored = rows[0]!.secret_ciphertext;
    expect(stored.length).toBeGreaterThan(KUBECONFIG.length);
    expect(stored.toString("utf8")).not.toContain("super-secret-cluster-token");
    expect(stored.toString("latin1")).not.toContain("clusters:");

    const list = await call({ method: "GET", path: "/api/v1/delivery/targets?kind=kubernetes", cookie: cast.cookies.auditor });
    expect(JSON.stringify(list.body)).not.toContain("super-secret-cluster-token");
    // A reader (the auditor holds delivery:read, not delivery:manage) learns that a secret is stored, not which.
    const asReader = list.body.items.find((t: { id: string }) => t.id === created.body.id);
    expect(asReader.secret).toEqual({ present: true, fingerprint: null });
    // Nor does the audit trail, which more people read than manage delivery.
    const audited = await db.auditEvent.findFirstOrThrow({ where: { action: "delivery.target.create", targetId: created.body.id } });
    expect(JSON.stringify(audited.summary)).not.toContain(created.body.secret.fingerprint);
    expect((audited.summary as { after: { secretStored: boolean } }).after.secretStored).toBe(true);

    const withSecret = await getDeliveryTargetSecrets({ targetId: created.body.id });
    expect(withSecret.kubeconfig).toBe(KUBECONFIG);
    expect(withSecret.namespaces).toEqual(["payments"]);
    expect(withSecret.renders).toEqual(["rampart", "kyverno"]);
  });

  it("fail closed when the ciphertext is tampered with or moved to another target", async () => {
    const a = await create({ kind: "kubernetes", name: "cluster-a", kubeconfig: KUBECONFIG, namespaces: ["a"], renders: ["rbac"] });
    const b = await create({ kind: "kubernetes", name: "cluster-b", kubeconfig: KUBECONFIG, namespaces: ["b"], renders: ["rbac"] });
    // One flipped bit in the ciphertext.
    const { rows } = await raw.query<{ secret_ciphertext: Buffer }>("SELECT secret_ciphertext FROM delivery_targets WHERE id = $1", [a.body.id]);
    const bytes = Buffer.from(rows[0]!.secret_ciphertext);
    bytes[40] = bytes[40]! ^ 1;
    await raw.query("UPDATE delivery_targets SET secret_ciphertext = $2 WHERE id = $1", [a.body.id, bytes]);
    await expect(getDeliveryTargetSecrets({ targetId: a.body.id })).rejects.toThrow(/integrity/);
    // B's (intact) ciphertext copied onto C: bound to B's id, it does not decrypt as C's.
    const c = await create({ kind: "kubernetes", name: "cluster-c", kubeconfig: KUBECONFIG, namespaces: ["c"], renders: ["rbac"] });
    await raw.query("UPDATE delivery_targets SET secret_ciphertext = (SELECT secret_ciphertext FROM delivery_targets WHERE id = $2) WHERE id = $1", [
      c.body.id,
      b.body.id,
    ]);
    await expect(getDeliveryTargetSecrets({ targetId: c.body.id })).rejects.toThrow(/integrity/);
    expect((await getDeliveryTargetSecrets({ targetId: b.body.id })).kubeconfig).toBe(KUBECONFIG);
  });

  it("store Git credentials encrypted; fields of another kind are refused by path", async () => {
    const created = await create({
      kind: "git",
      name: "gitops-repo",
      repository: "https://git.example.com/platform/policies.git",
      branch: "main",
      folder: "rampart/prod",
      credentials: { username: "rampart", password: "ghp_secretvalue123" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain("ghp_secretvalue123");
    expect((await getDeliveryTargetSecrets({ targetId: created.body.id })).gitCredentials).toEqual({ username: "rampart", password: "ghp_secretvalue123" });

    const wrong = await call({
      method: "PATCH",
      path: `/api/v1/delivery/targets/${created.body.id}`,
      cookie: cast.cookies.officer,
      headers: { "if-match": '"1"' },
      body: { namespaces: ["x"], mode: "gateway" },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["body.mode", "body.namespaces"]);

    const withPassword = await create({ kind: "git", name: "leaky", repository: "https://user:pw@git.example.com/x.git", branch: "main" });
    expect(withPassword.status).toBe(422);
    expect(withPassword.body.errors[0].path).toBe("body.repository");

    const renamed = await call({
      method: "PATCH",
      path: `/api/v1/delivery/targets/${created.body.id}`,
      cookie: cast.cookies.officer,
      headers: { "if-match": '"1"' },
      body: { branch: "release", credentials: { sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----" } },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body.version).toBe(2);
    expect(renamed.body.secret.fingerprint).not.toBe(created.body.secret.fingerprint);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "delivery.target.update", targetId: created.body.id } });
    expect(JSON.stringify(audit.summary)).not.toContain("OPENSSH");
  });

  it("refuse a kubeconfig that is not one", async () => {
    const bad = await create({ kind: "kubernetes", name: "bad-kube", kubeconfig: "just: text", namespaces: ["Bad_NS"], renders: [] });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(["body.kubeconfig", "body.namespaces.0", "body.renders"]));
  });
});

describe("onboarding and upkeep of proxy targets", () => {
  it("serves the signing key as a PEM file to download for --portal-key", async () => {
    const json = await call({ method: "GET", path: "/api/v1/delivery/signing-key" });
    const file = await callApi({ method: "GET", path: "/api/v1/delivery/signing-key.pem" });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/x-pem-file");
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="rampart-portal-key.pem"');
    expect((await file.text()).trim()).toBe(json.body.publicKeyPem.trim());
  });

  it("removes a stale instance from the rollout, audited, and refuses to remove a live one", async () => {
    const created = await create({ kind: "proxy", name: "upkeep-gateway", mode: "gateway", applicationIds: [] });
    const targetId = created.body.id as string;
    const old = new Date(Date.now() - 600_000);
    const counters = { requests: 0, blocked: 0, upstreamErrors: 0, reloads: 0 };
    await db.proxyInstanceStatus.create({ data: { targetId, instanceId: "old-pod", mode: "gateway", startedAt: old, lastSeenAt: old, counters } });
    await db.proxyInstanceStatus.create({ data: { targetId, instanceId: "live-pod", mode: "gateway", startedAt: old, lastSeenAt: new Date(), counters } });
    const remove = (instanceId: string, cookie = cast.cookies.officer) =>
      call({ method: "DELETE", path: `/api/v1/delivery/targets/${targetId}/instances/${instanceId}`, cookie });

    expect((await remove("old-pod", cast.cookies.lead)).status).toBe(403);
    expect((await remove("old-pod")).status).toBe(204);
    const live = await remove("live-pod");
    expect(live.status).toBe(409);
    expect(live.body.detail).toMatch(/only a stale instance can be removed/);
    expect((await remove("no-such-pod")).status).toBe(404);
    expect((await db.proxyInstanceStatus.findMany({ where: { targetId } })).map((i) => i.instanceId)).toEqual(["live-pod"]);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "delivery.target.remove-instance", targetId } });
    expect(audit.summary).toMatchObject({ instanceId: "old-pod" });
  });
});
