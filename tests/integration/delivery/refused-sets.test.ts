// A proxy that refuses a delivered set names it (refusedHash): the portal stores the name and
// the rollout view tells "refused the set it should run" (failing) from an error about an
// earlier set (rolling out), accepts reports of proxies that predate the field, and keeps a
// proxy that gave up on the desired set (refused it, runs nothing, went silent) failing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { signedBundleSchema, type ProxyStatusReport } from "@/lib/policy-spec";
import { statusReport } from "../../helpers/status-report";
import { applicationDocument, createPolicyFixture } from "../policies/policy-fixtures";
import { call, callApi, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let app: { id: string; slug: string };

const OLD_HASH = `sha256:${"b".repeat(64)}`;
const OTHER_RUNNING = `sha256:${"c".repeat(64)}`;

beforeAll(async () => {
  cast = await createCast();
  await createPolicyFixture(db, { kind: "baseline", authorId: cast.ids.officer, versions: [{ state: "published" }] });
  app = await paymentsApp(cast);
  await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer,
    versions: [{ state: "published", content: applicationDocument(app.slug, { denyRules: { sqli: { level: "strict" } } }) }],
  });
});
afterAll(async () => {
  await stopDeliveryListener();
});

async function proxyTarget(name: string) {
  const created = await call({
    method: "POST",
    path: "/api/v1/delivery/targets",
    cookie: cast.cookies.officer,
    body: { kind: "proxy", name, mode: "gateway", applicationIds: [app.id] },
  });
  expect(created.status).toBe(201);
  const response = await callApi({ method: "GET", path: "/api/v1/delivery/bundle", bearer: created.body.token, headers: { "x-rampart-instance": "probe" } });
  expect(response.status).toBe(200);
  const desiredHash = signedBundleSchema.parse(await response.json()).contentHash;
  return { id: created.body.id as string, token: created.body.token as string, desiredHash };
}

const report = (instanceId: string, overrides: Partial<ProxyStatusReport> = {}): ProxyStatusReport =>
  statusReport(instanceId, { proxyVersion: "0.1.0", runningHash: OTHER_RUNNING, ...overrides });
const send = (token: string, body: unknown) => call({ method: "POST", path: "/api/v1/delivery/status", bearer: token, body });
const error = (message: string, refusedHash?: string | null) => ({
  at: new Date().toISOString(),
  message,
  ...(refusedHash !== undefined ? { refusedHash } : {}),
});

async function rolloutOf(targetId: string) {
  const rollout = await call({ method: "GET", path: "/api/v1/delivery/rollout", cookie: cast.cookies.officer });
  expect(rollout.status).toBe(200);
  return rollout.body.targets.find((t: { id: string }) => t.id === targetId);
}

describe("refused sets in status reports and the rollout view", () => {
  it("stores refusedHash and marks an instance that refused the desired set as failing, naming it", async () => {
    const target = await proxyTarget("refusing-gw");
    expect((await send(target.token, report("refuses-desired", { reloadErrors: [error("portal: bad signature", target.desiredHash)] }))).status).toBe(204);
    expect((await send(target.token, report("refused-earlier", { reloadErrors: [error("portal: bad signature", OLD_HASH)] }))).status).toBe(204);
    // A proxy of an earlier release sends no refusedHash at all: accepted, and (unable to tell) failing as before.
    expect((await send(target.token, report("older-proxy", { reloadErrors: [error("portal: bad signature")] }))).status).toBe(204);

    const rows = await db.proxyInstanceStatus.findMany({ where: { targetId: target.id }, orderBy: { instanceId: "asc" } });
    expect(rows.map((r) => [r.instanceId, (r.reloadErrors as { refusedHash: string | null }[])[0]!.refusedHash])).toEqual([
      ["older-proxy", null],
      ["refused-earlier", OLD_HASH],
      ["refuses-desired", target.desiredHash],
    ]);

    const view = await rolloutOf(target.id);
    expect(view.desiredHash).toBe(target.desiredHash);
    const byId = Object.fromEntries(view.instances.map((i: { instanceId: string }) => [i.instanceId, i]));
    expect(byId["refuses-desired"]).toMatchObject({
      state: "failing",
      refusedDesired: { hash: target.desiredHash, message: "portal: bad signature" },
      reloadErrors: [{ refusedHash: target.desiredHash }],
    });
    expect(byId["refused-earlier"]).toMatchObject({ state: "rolling-out", refusedDesired: null, reloadErrors: [{ refusedHash: OLD_HASH }] });
    expect(byId["older-proxy"]).toMatchObject({ state: "failing", refusedDesired: null, reloadErrors: [{ refusedHash: null }] });
    expect(view.state).toBe("failing");

    // Once it runs the desired set, the refusal is history.
    const running = report("refuses-desired", { runningHash: target.desiredHash, reloadErrors: [error("portal: bad signature", target.desiredHash)] });
    expect((await send(target.token, running)).status).toBe(204);
    const after = await rolloutOf(target.id);
    expect(after.instances.find((i: { instanceId: string }) => i.instanceId === "refuses-desired")).toMatchObject({ state: "in-sync", refusedDesired: null });
  });

  it("refuses a malformed refusedHash with its field path", async () => {
    const target = await proxyTarget("strict-gw");
    const bad = await send(target.token, report("bad", { reloadErrors: [error("x", "nope")] }));
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain("body.reloadErrors.0.refusedHash");
  });

  it("keeps a proxy that refused the desired set and exited failing once silent, but not one whose error is about an earlier set", async () => {
    const gaveUp = await proxyTarget("gave-up-gw");
    expect((await send(gaveUp.token, report("exited", { runningHash: null, reloadErrors: [error("start: compile failed", gaveUp.desiredHash)] }))).status).toBe(
      204,
    );
    const silent = await proxyTarget("silent-gw");
    expect((await send(silent.token, report("exited-earlier", { runningHash: null, reloadErrors: [error("start: compile failed", OLD_HASH)] }))).status).toBe(
      204,
    );
    // Both went silent a minute ago (longer than the stale threshold).
    await db.proxyInstanceStatus.updateMany({ where: { targetId: { in: [gaveUp.id, silent.id] } }, data: { lastSeenAt: new Date(Date.now() - 60_000) } });

    const failing = await rolloutOf(gaveUp.id);
    expect(failing.state).toBe("failing");
    expect(failing.instances[0]).toMatchObject({ instanceId: "exited", state: "failing", refusedDesired: { hash: gaveUp.desiredHash } });
    expect(failing.applications[0]).toMatchObject({ instancesLive: 0 });

    const stale = await rolloutOf(silent.id);
    expect(stale.state).toBe("stale");
    expect(stale.instances[0]).toMatchObject({ instanceId: "exited-earlier", state: "stale", refusedDesired: null });

    // A restart under a new id that runs the set supersedes the one that gave up.
    expect((await send(gaveUp.token, report("restarted", { runningHash: gaveUp.desiredHash }))).status).toBe(204);
    expect((await rolloutOf(gaveUp.id)).state).toBe("in-sync");
  });
});
