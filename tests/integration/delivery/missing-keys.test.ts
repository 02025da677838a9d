// Without RAMPART_SIGNING_KEY and RAMPART_ENCRYPTION_KEY delivery fails closed: no bundle
// (503, never an unsigned one), no public key, and a kubeconfig is not stored at all.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { call, createCast, type Cast } from "../policies/policy-test-kit";

// Before anything reads the environment (lib/env.ts validates it once per process).
delete process.env.RAMPART_SIGNING_KEY;
delete process.env.RAMPART_ENCRYPTION_KEY;

let cast: Cast;
beforeAll(async () => {
  cast = await createCast();
});
afterAll(async () => {
  await stopDeliveryListener();
});

describe("delivery without keys", () => {
  it("answers the bundle endpoint with 503 problem+json, never an unsigned set", async () => {
    const created = await call({
      method: "POST",
      path: "/api/v1/delivery/targets",
      cookie: cast.cookies.officer,
      body: { kind: "proxy", name: "no-key-gw", mode: "gateway" },
    });
    expect(created.status).toBe(201);
    const bundle = await call({ method: "GET", path: "/api/v1/delivery/bundle", bearer: created.body.token });
    expect(bundle.status).toBe(503);
    expect(bundle.headers.get("content-type")).toBe("application/problem+json");
    expect(bundle.body).toMatchObject({ code: "SERVICE_UNAVAILABLE", missing: "RAMPART_SIGNING_KEY" });
    expect(bundle.body.payload).toBeUndefined();

    const key = await call({ method: "GET", path: "/api/v1/delivery/signing-key" });
    expect(key.status).toBe(503);

    const rollout = await call({ method: "GET", path: "/api/v1/delivery/rollout", cookie: cast.cookies.officer });
    expect(rollout.status).toBe(200);
    expect(rollout.body.signingKeyId).toBeNull();
  });

  it("stores no kubeconfig or credentials without an encryption key", async () => {
    const kube = await call({
      method: "POST",
      path: "/api/v1/delivery/targets",
      cookie: cast.cookies.officer,
      body: {
        kind: "kubernetes",
        name: "no-key-cluster",
        kubeconfig:
          'clusters:\n  - name: x\n    cluster: { server: "https://kube.example.com" }\nusers:\n  - name: u\n    user: { token: t }\ncontexts:\n  - name: c\n    context: { cluster: x, user: u }\ncurrent-context: c\n',
        namespaces: ["a"],
        renders: ["rampart"],
      },
    });
    expect(kube.status).toBe(503);
    expect(kube.body.detail).toMatch(/RAMPART_ENCRYPTION_KEY/);
    const git = await call({
      method: "POST",
      path: "/api/v1/delivery/targets",
      cookie: cast.cookies.officer,
      body: { kind: "git", name: "no-key-repo", repository: "https://git.example.com/policies.git", branch: "main", credentials: { password: "x" } },
    });
    expect(git.status).toBe(503);
    expect(await db.deliveryTarget.count({ where: { name: { in: ["no-key-cluster", "no-key-repo"] } } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "delivery.target.create", summary: { path: ["after", "name"], equals: "no-key-cluster" } } })).toBe(0);
  });
});
