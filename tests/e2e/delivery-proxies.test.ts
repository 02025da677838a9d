// Delivery end to end with real proxy processes against the real, built portal: two proxy
// targets for the payments API (one with two instances, one with a single instance), three
// `proxy/cli.ts` processes connected with their target's token and the pinned signing key,
// in front of a small origin. A version drafted, approved (four eyes) and published in the
// browser reaches every proxy within seconds, which the Delivery page shows per target and
// per instance and real requests through each proxy prove; rolling back on the policy page
// does the same. Faults with real processes: a revoked target's proxy keeps enforcing its
// last good set while the page flags the target; a proxy killed and restarted converges on
// what was published while it was down; a proxy pinned to the wrong key refuses the set.
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { startOrigin, type Origin } from "../../proxy/test-support/origin-server";
import { ACCOUNTS, baseUrl, launchBrowser, signedInPage, uniqueSuffix, publishViaConfirmation } from "./support/browser";
import {
  draftApplicationPolicy,
  ensureBaselineForEveryEnvironment,
  examplePolicy,
  portalApi,
  publishWithFourEyes,
  signInCookie,
  type PortalApi,
} from "./support/portal-api";
import { httpGet, spawnConnectedProxy, startConnectedProxy, stopAllProxies, type ConnectedProxyOptions, type ProxyProcess } from "./support/proxy-processes";

vi.setConfig({ testTimeout: 90_000, hookTimeout: 120_000 });

const APPLICATION = "payments-api";
// What the versions differ in, observable through the proxies: an admin path the
// application adds to the baseline's. /payments/internal is blocked by every version.
const ALWAYS_BLOCKED = "/payments/internal";
const TOGGLED = "/payments/export";
/**
 * Only names the failure: a proxy that never converges. How soon proxies enforce a
 * publication is measured by bench:delivery, and that a publication wakes a waiting poll
 * is proven in tests/integration/delivery/bundle.test.ts (a wait longer than its timeout).
 */
const ENFORCED_WITHIN_MS = 30_000;

const suffix = uniqueSuffix();
const SIDECARS = `payments-sidecars-${suffix}`;
const EDGE = `payments-edge-${suffix}`;

let browser: Browser;
let officer: Page;
let security: PortalApi;
let lead: PortalApi;
let origin: Origin;
let workDir = "";
let policyId = "";
/** The version prepared through the API: blocks only ALWAYS_BLOCKED. */
const versionA = { id: "", number: 0 };
/** The version made in the browser: blocks TOGGLED as well. */
const versionB = { id: "", number: 0 };
const targets: Record<string, { id: string; token: string }> = {};
const proxies: Record<"sidecar1" | "sidecar2" | "edge", ProxyProcess> = {} as never;
let proxyOptions: Record<keyof typeof proxies, ConnectedProxyOptions>;

/** Everything the story does not care about, through the API as the people would do it. */
beforeAll(async () => {
  const url = baseUrl();
  security = portalApi(url, await signInCookie(url, ACCOUNTS.security));
  lead = portalApi(url, await signInCookie(url, ACCOUNTS.lead));

  // The targets take the baseline for every environment; publish the standard one unless one is.
  await ensureBaselineForEveryEnvironment(url, examplePolicy("baseline-standard.yaml"));

  // The payments API's policy (other browser tests may have made it): version A in force.
  const content = policyContent([ALWAYS_BLOCKED]);
  let draftId: string;
  ({ policyId, draftId } = await draftApplicationPolicy(lead, APPLICATION, content));
  versionA.id = await publishWithFourEyes({ author: lead, reviewer: security, publisher: security }, policyId, draftId, `Block ${ALWAYS_BLOCKED} only.`);
  versionA.number = (await lead<{ number: number }>("GET", `/policies/${policyId}/versions/${versionA.id}`)).number;

  // Two proxy targets for the payments API, and the signing key the proxies pin.
  const apps = await security<{ items: Array<{ id: string; slug: string }> }>("GET", `/applications?q=${APPLICATION}`);
  const app = apps.items.find((a) => a.slug === APPLICATION);
  if (!app) throw new Error(`the seeded ${APPLICATION} application is missing`);
  for (const name of [SIDECARS, EDGE]) {
    const target = await security<{ id: string; token: string }>("POST", "/delivery/targets", {
      kind: "proxy",
      name,
      mode: "microgateway",
      applicationIds: [app.id],
    });
    targets[name] = { id: target.id, token: target.token };
  }
  workDir = mkdtempSync(path.join(os.tmpdir(), "rampart-e2e-proxies-"));
  const portalKey = path.join(workDir, "portal-signing-key.pem");
  writeFileSync(portalKey, (await security<{ publicKeyPem: string }>("GET", "/delivery/signing-key")).publicKeyPem);

  origin = await startOrigin();
  const options = (name: keyof typeof proxies, target: string, instanceId: string): ConnectedProxyOptions => ({
    name: `delivery-${name}`,
    portalUrl: url,
    token: targets[target]!.token,
    portalKey,
    upstream: origin.url,
    stateDir: path.join(workDir, name),
    instanceId,
  });
  proxyOptions = {
    sidecar1: options("sidecar1", SIDECARS, "sidecar-1"),
    sidecar2: options("sidecar2", SIDECARS, "sidecar-2"),
    edge: options("edge", EDGE, "edge-1"),
  };
  // The three start together (each compiles TypeScript on start: on two cores that takes a while).
  const started = await Promise.all((Object.keys(proxyOptions) as Array<keyof typeof proxies>).map((name) => startConnectedProxy(proxyOptions[name])));
  [proxies.sidecar1, proxies.sidecar2, proxies.edge] = started as [ProxyProcess, ProxyProcess, ProxyProcess];

  browser = await launchBrowser();
  officer = (await signedInPage(browser, ACCOUNTS.security)).page;
});

afterAll(async () => {
  await stopAllProxies();
  await origin?.close();
  await browser?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function policyContent(blockedPaths: string[]) {
  return {
    apiVersion: "rampart.dev/v1alpha1",
    kind: "ApplicationPolicy",
    metadata: { application: APPLICATION, applicationVersion: "3.2.0" },
    methods: { allowed: ["GET", "HEAD", "POST", "OPTIONS"] },
    limits: { maxBodyBytes: 65536 },
    adminBlocking: { paths: blockedPaths },
  };
}

type Expectation = { blocks: string[]; passes: string[] };

/** What one proxy does now with each path: 403 (blocked by the policy) or what the origin answers. */
async function behaviour(proxy: ProxyProcess, expectation: Expectation): Promise<string> {
  const paths = [...expectation.blocks, ...expectation.passes];
  const statuses = await Promise.all(paths.map(async (p) => (await httpGet(`${proxy.url}${p}`)).status));
  return paths.map((p, i) => `${p} ${statuses[i]}`).join(", ");
}

const wanted = (expectation: Expectation) => [...expectation.blocks.map((p) => `${p} 403`), ...expectation.passes.map((p) => `${p} 200`)].join(", ");

/** Polls every proxy with real requests until each behaves as expected; returns how long each took from `since` (a figure, not a bound). */
async function expectEnforced(list: ProxyProcess[], expectation: Expectation, since: number, withinMs = ENFORCED_WITHIN_MS): Promise<number[]> {
  return Promise.all(
    list.map(async (proxy) => {
      let seen = "";
      while (performance.now() - since < withinMs) {
        seen = await behaviour(proxy, expectation);
        if (seen === wanted(expectation)) return Math.round(performance.now() - since);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`proxy ${proxy.name} did not enforce [${wanted(expectation)}] within ${withinMs} ms; it answers [${seen}]\n${proxy.tail()}`);
    }),
  );
}

/** performance.now() when the portal answers the page's POST to a path ending so (it must succeed). */
async function answeredAt(page: Page, pathEnd: string): Promise<number> {
  const response = await page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith(pathEnd));
  const at = performance.now();
  expect(response.status(), await response.text()).toBeLessThan(300);
  return at;
}

/** The target's card on the Delivery page. */
const card = (page: Page, target: string): Locator => page.locator(`article[data-target="${target}"]`);

/**
 * The Delivery page shows the target in sync at the given policy version: the heading's
 * badge, the application's desired version and live-proxy count, and each instance's row
 * (in sync, running exactly the desired set).
 */
async function expectTargetInSync(page: Page, target: string, instanceIds: string[], policyVersion: number) {
  const article = card(page, target);
  await article.getByRole("heading", { name: new RegExp(`^${target}\\s+In sync$`) }).waitFor({ timeout: 20_000 });
  const application = article.getByRole("region", { name: `Applications of ${target}` }).getByRole("row", { name: new RegExp(APPLICATION) });
  await expect.poll(() => application.textContent(), { timeout: 10_000 }).toContain(`policy v${policyVersion}`);
  expect(await application.textContent()).toContain(`${instanceIds.length} of ${instanceIds.length} live proxies`);
  const desiredSet = (await article.locator("p code").first().textContent())!;
  expect(desiredSet).toMatch(/^[0-9a-f]{12}…$/);
  const rows = article.getByRole("region", { name: `Proxy instances of ${target}` }).getByRole("row");
  for (const instanceId of instanceIds) {
    const row = rows.filter({ hasText: `(${instanceId})` });
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain("In sync");
    expect(await row.textContent()).toContain(desiredSet);
  }
}

describe("delivery to real proxy processes, published and rolled back in the browser", () => {
  it("starts three connected proxies that enforce the version in force", async () => {
    const all = Object.values(proxies);
    await expectEnforced(all, { blocks: [ALWAYS_BLOCKED], passes: [TOGGLED] }, performance.now());
    for (const proxy of all) {
      expect(
        proxy.events().some((e) => e.event === "policy-applied" && e.reason === "start"),
        proxy.tail(),
      ).toBe(true);
    }
    await officer.goto("/delivery");
    await expectTargetInSync(officer, SIDECARS, ["sidecar-1", "sidecar-2"], versionA.number);
    await expectTargetInSync(officer, EDGE, ["edge-1"], versionA.number);
  });

  it("a version drafted, approved and published in the browser reaches every proxy, and the Delivery page shows each target in sync", async () => {
    // The project lead drafts it: one more blocked path.
    const leadSession = await signedInPage(browser, ACCOUNTS.lead);
    const page = leadSession.page;
    await page.goto(`/policies/${policyId}`);
    await page.getByRole("button", { name: "Start a new draft" }).click();
    await page.waitForURL(/\/policies\/[0-9a-f-]{36}\/versions\/[0-9a-f-]{36}$/);
    const draftPath = new URL(page.url()).pathname;
    versionB.id = draftPath.split("/").at(-1)!;
    versionB.number = Number(/Edit draft version (\d+)/.exec((await page.getByRole("heading", { name: /Edit draft version \d+/ }).textContent()) ?? "")![1]);
    await page.getByRole("tab", { name: "YAML" }).click();
    const source = page.getByLabel("Policy document (YAML)");
    const document = parseYaml(await source.inputValue()) as { adminBlocking: { paths: string[] } };
    expect(document.adminBlocking.paths).toEqual([ALWAYS_BLOCKED]);
    document.adminBlocking.paths.push(TOGGLED);
    await source.fill(toYaml(document));
    await expect.poll(() => source.getAttribute("aria-invalid")).toBe("false");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Saved\. The draft is now at revision/ })
      .waitFor();
    await page.getByLabel("Why this change?").fill(`Block ${TOGGLED}: exports go through the reporting service.`);
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.getByText("Submitted for review").first().waitFor();
    await leadSession.context.close();

    // A security officer approves it (four eyes: not the author)…
    const reviewerSession = await signedInPage(browser, ACCOUNTS.securityReviewer);
    await reviewerSession.page.goto(draftPath);
    await reviewerSession.page.getByRole("button", { name: "Approve…" }).click();
    await reviewerSession.page.getByLabel("Comment").fill("One more admin path blocked; fits the baseline.");
    await reviewerSession.page.getByRole("button", { name: `Approve version ${versionB.number}` }).click();
    // Approved: the next step offered is publishing.
    await reviewerSession.page.getByRole("button", { name: "Publish…" }).waitFor();
    await reviewerSession.context.close();

    // …and another publishes it. The clock starts when the portal answers the page's publish request.
    await officer.goto(draftPath);
    const publishing = answeredAt(officer, `/versions/${versionB.id}/publish`);
    await publishViaConfirmation(officer);
    const publishedAt = await publishing;
    const took = await expectEnforced(Object.values(proxies), { blocks: [ALWAYS_BLOCKED, TOGGLED], passes: ["/payments"] }, publishedAt);
    console.log(`[delivery-proxies] published in the browser: enforced by the 3 proxies ${took.join(", ")} ms after the publish answer`);
    await officer.getByText("This is the version in force.").waitFor();

    await officer.goto("/delivery");
    await expectTargetInSync(officer, SIDECARS, ["sidecar-1", "sidecar-2"], versionB.number);
    await expectTargetInSync(officer, EDGE, ["edge-1"], versionB.number);
  });

  it("rolls back on the policy page: every proxy enforces the earlier content again, and the page converges", async () => {
    await officer.goto(`/policies/${policyId}`);
    await officer.getByRole("button", { name: `Roll back to version ${versionA.number}` }).click();
    const rollingBack = answeredAt(officer, `/versions/${versionA.id}/rollback`);
    await officer
      .getByRole("group", { name: `Roll back to version ${versionA.number}` })
      .getByRole("button", { name: "Roll back", exact: true })
      .click();
    const publishedAt = await rollingBack;
    const took = await expectEnforced(Object.values(proxies), { blocks: [ALWAYS_BLOCKED], passes: [TOGGLED] }, publishedAt);
    console.log(`[delivery-proxies] rolled back in the browser: enforced by the 3 proxies ${took.join(", ")} ms after the rollback answer`);
    // The rollback is a new version, published.
    const rolledBack = versionB.number + 1;
    await officer
      .getByRole("row", { name: new RegExp(`^Version ${rolledBack}\\b`) })
      .getByText("Published", { exact: true })
      .waitFor();

    await officer.goto("/delivery");
    await expectTargetInSync(officer, SIDECARS, ["sidecar-1", "sidecar-2"], rolledBack);
    await expectTargetInSync(officer, EDGE, ["edge-1"], rolledBack);
  });
});

describe("faults, with real processes", () => {
  /** A rollback through the API (one call): the publication the fault cases need. */
  async function rollBackTo(version: { id: string }): Promise<number> {
    const policy = await security<{ version: number }>("GET", `/policies/${policyId}`);
    const published = await security<{ number: number }>(
      "POST",
      `/policies/${policyId}/versions/${version.id}/rollback`,
      { note: "e2e fault case" },
      policy.version,
    );
    return published.number;
  }

  it("a revoked target's proxy keeps enforcing its last good set, and the Delivery page flags the target", async () => {
    const edge = await security<{ version: number }>("GET", `/delivery/targets/${targets[EDGE]!.id}`);
    await security("POST", `/delivery/targets/${targets[EDGE]!.id}/revoke`, undefined, edge.version);
    // Revocation wakes the proxy's waiting poll with a 401.
    await expect.poll(() => proxies.edge.events().some((e) => e.event === "portal-unauthorized"), { timeout: 15_000 }).toBe(true);

    const number = await rollBackTo(versionB);
    const publishedAt = performance.now();
    await expectEnforced([proxies.sidecar1, proxies.sidecar2], { blocks: [ALWAYS_BLOCKED, TOGGLED], passes: ["/payments"] }, publishedAt);
    // The revoked target's proxy received nothing: it still enforces what it had, and serves.
    expect(await behaviour(proxies.edge, { blocks: [ALWAYS_BLOCKED], passes: [TOGGLED] })).toBe(`${ALWAYS_BLOCKED} 403, ${TOGGLED} 200`);
    expect((await httpGet(`${proxies.edge.adminUrl}/readyz`)).status).toBe(200);

    await officer.goto("/delivery");
    await expectTargetInSync(officer, SIDECARS, ["sidecar-1", "sidecar-2"], number);
    const revoked = card(officer, EDGE);
    await revoked.getByRole("heading", { name: new RegExp(`^${EDGE}\\s+Revoked$`) }).waitFor();
    await revoked.getByText(/the portal refuses its token \(401\)/).waitFor();
    expect(await revoked.getByRole("region", { name: `Applications of ${EDGE}` }).textContent()).toContain("Not delivered: the target is revoked.");
    const instance = revoked
      .getByRole("region", { name: `Proxy instances of ${EDGE}` })
      .getByRole("row")
      .filter({ hasText: "(edge-1)" });
    expect(await instance.textContent()).toContain("Revoked");
    expect(await instance.textContent()).not.toContain("In sync");
    // Nothing to revoke or rotate any more.
    expect(await revoked.getByRole("button").count()).toBe(0);
  });

  it("a proxy killed while a version is published converges on it when it restarts", async () => {
    await proxies.sidecar2.kill();
    const stateFiles = readdirSync(proxyOptions.sidecar2.stateDir);
    expect(stateFiles.length, "the last good set is kept on disk").toBeGreaterThan(0);

    const number = await rollBackTo(versionA);
    const publishedAt = performance.now();
    await expectEnforced([proxies.sidecar1], { blocks: [ALWAYS_BLOCKED], passes: [TOGGLED] }, publishedAt);

    proxies.sidecar2 = await startConnectedProxy(proxyOptions.sidecar2);
    // Ready means a verified set is in force: the portal's newer one, asked for at start. So
    // it enforces it at once, with no wait at all.
    const restarted = { blocks: [ALWAYS_BLOCKED], passes: [TOGGLED] };
    expect(await behaviour(proxies.sidecar2, restarted), proxies.sidecar2.tail()).toBe(wanted(restarted));
    expect(
      proxies.sidecar2.events().some((e) => e.event === "policy-applied" && e.reason === "start"),
      proxies.sidecar2.tail(),
    ).toBe(true);

    await officer.goto("/delivery");
    await expectTargetInSync(officer, SIDECARS, ["sidecar-1", "sidecar-2"], number);
  });

  it("a proxy pinned to another key refuses the portal's set and does not start without a policy it can trust", async () => {
    const wrongKey = path.join(workDir, "wrong-key.pem");
    writeFileSync(wrongKey, generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }));
    const stateDir = path.join(workDir, "wrong-key");
    const proxy = await spawnConnectedProxy({
      ...proxyOptions.sidecar1,
      name: "delivery-wrong-key",
      instanceId: "sidecar-wrong-key",
      portalKey: wrongKey,
      stateDir,
    });
    expect(await proxy.exited).toBe(1);
    const refused = proxy.events().find((e) => e.event === "reload-refused");
    expect(JSON.stringify(refused?.problems), proxy.tail()).toContain("does not verify with the pinned portal key");
    expect(proxy.tail()).toContain("no policy to enforce");
    expect(existsSync(stateDir) ? readdirSync(stateDir) : []).toEqual([]);
  });
});
