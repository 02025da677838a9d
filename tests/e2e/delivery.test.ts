// Delivery in the browser and over real HTTP: a security officer registers a proxy target
// and copies its token once; a "proxy" (this test, over real HTTP against the built portal)
// fetches its signed set, verifies it with the served public key, long-polls, and is woken
// within a second when a new baseline is published; its heartbeat shows up live on the
// Delivery page as in sync; and rolling back in the policy page's version list rolls out
// the same way.
import { createHash, createPublicKey, verify } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, baseUrl, fetchFromPage, launchBrowser, signedInPage, uniqueSuffix } from "./support/browser";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let browser: Browser;
let officer: Page;
let reviewer: Page;
const environment = `e2e-delivery-${uniqueSuffix()}`;
const targetName = `edge-${uniqueSuffix()}`;

beforeAll(async () => {
  browser = await launchBrowser();
  officer = (await signedInPage(browser, ACCOUNTS.security)).page;
  reviewer = (await signedInPage(browser, "security2@rampart.local")).page;
});
afterAll(async () => {
  await browser?.close();
});

const baseline = (name: string) => ({ apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name, environment } });

/** Submitted by the officer, approved and published by the second officer (four eyes). */
async function publish(policyId: string, versionId: string) {
  const submitted = await fetchFromPage(officer, `/api/v1/policies/${policyId}/versions/${versionId}/submit`, {
    method: "POST",
    headers: { "if-match": '"1"' },
    body: { summary: "e2e delivery" },
  });
  expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
  const approved = await fetchFromPage(reviewer, `/api/v1/policies/${policyId}/versions/${versionId}/approve`, {
    method: "POST",
    headers: { "if-match": `"${submitted.json.version}"` },
    body: { note: "Second pair of eyes." },
  });
  expect(approved.status, JSON.stringify(approved.json)).toBe(200);
  const published = await fetchFromPage(reviewer, `/api/v1/policies/${policyId}/versions/${versionId}/publish`, {
    method: "POST",
    headers: { "if-match": `"${approved.json.version}"` },
  });
  expect(published.status, JSON.stringify(published.json)).toBe(200);
}

async function proxyGet(token: string, query = "") {
  const response = await fetch(`${baseUrl()}/api/v1/delivery/bundle${query}`, {
    headers: { authorization: `Bearer ${token}`, "x-rampart-instance": "e2e-proxy-1" },
  });
  return {
    status: response.status,
    etag: response.headers.get("etag"),
    body: response.status === 200 ? ((await response.json()) as { payload: string; contentHash: string; signature: { value: string; keyId: string } }) : null,
  };
}

describe("delivery to proxies", () => {
  let token = "";
  let policyId = "";

  it("registers a proxy target in the browser and shows its token once", async () => {
    const created = await fetchFromPage(officer, "/api/v1/policies", { method: "POST", body: { content: baseline("standard") } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    policyId = created.json.id;
    await publish(policyId, created.json.draft.id);

    await officer.goto("/delivery");
    await officer.getByRole("heading", { name: "Register a target" }).waitFor();
    await officer.getByLabel("Name", { exact: true }).fill(targetName);
    await officer.getByLabel("Environment").fill(environment);
    await officer.getByRole("checkbox", { name: "payments-worker" }).check();
    await officer.getByRole("button", { name: "Register target" }).click();
    const tokenField = officer.locator("#new-delivery-token-value");
    await tokenField.waitFor();
    token = await tokenField.inputValue();
    expect(token).toMatch(/^rdt_/);
    await officer.getByRole("button", { name: "I have stored it" }).click();
    await expect.poll(() => officer.locator("#new-delivery-token-value").count()).toBe(0);
    const card = officer.locator(`article[data-target="${targetName}"]`);
    await card.getByText("Never connected").waitFor();
  });

  it("serves a signed set over HTTP, long-polls, and wakes within a second of a publication", async () => {
    const first = await proxyGet(token);
    expect(first.status).toBe(200);
    const key = (await (await fetch(`${baseUrl()}/api/v1/delivery/signing-key`)).json()) as { keyId: string; publicKeyPem: string };
    expect(first.body!.signature.keyId).toBe(key.keyId);
    expect(verify(null, Buffer.from(first.body!.payload), createPublicKey(key.publicKeyPem), Buffer.from(first.body!.signature.value, "base64"))).toBe(true);
    expect(first.body!.contentHash).toBe(`sha256:${createHash("sha256").update(first.body!.payload).digest("hex")}`);
    expect(first.etag).toBe(`"${first.body!.contentHash}"`);
    expect(JSON.parse(first.body!.payload).applications.map((a: { name: string }) => a.name)).toEqual(["payments-worker"]);

    const unchanged = await proxyGet(token, `?hash=${first.body!.contentHash}&wait=1`);
    expect(unchanged.status).toBe(304);

    // The longest wait the portal allows: answered before it could end, the poll was woken
    // by the publication (a poll ended by its own wait comes 60 s or more after it began).
    const pollStartedAt = performance.now();
    const waiting = proxyGet(token, `?hash=${first.body!.contentHash}&wait=60`).then((r) => ({ ...r, at: performance.now() }));
    const draft = await fetchFromPage(officer, `/api/v1/policies/${policyId}/versions`, { method: "POST", body: { content: baseline("strict") } });
    expect(draft.status, JSON.stringify(draft.json)).toBe(201);
    await publish(policyId, draft.json.id);
    const woken = await waiting;
    expect(woken.status).toBe(200);
    expect(woken.body!.contentHash).not.toBe(first.body!.contentHash);
    expect(woken.at - pollStartedAt, "the poll ended by its own wait, not by the publication").toBeLessThan(60_000);

    // The proxy reports what it runs; the Delivery page shows it live.
    const set = JSON.parse(woken.body!.payload) as { applications: { applicationId: string; bundle: { contentHash: string } }[] };
    const status = await fetch(`${baseUrl()}/api/v1/delivery/status`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        instanceId: "e2e-proxy-1",
        hostname: "e2e-host",
        mode: "gateway",
        proxyVersion: "e2e",
        startedAt: new Date().toISOString(),
        runningHash: woken.body!.contentHash,
        running: set.applications.map((a) => ({ applicationId: a.applicationId, contentHash: a.bundle.contentHash })),
        reloadErrors: [],
        counters: { requests: 5, blocked: 1, upstreamErrors: 0, reloads: 2 },
      }),
    });
    expect(status.status).toBe(204);
    await officer.goto("/delivery");
    const card = officer.locator(`article[data-target="${targetName}"]`);
    await card.getByRole("heading", { name: new RegExp(`${targetName}\\s+In sync`) }).waitFor();
    await card.getByText("1 of 1 live proxies").waitFor();
  });

  it("rolls back from the policy page's version list, and the proxy receives it", async () => {
    const current = await proxyGet(token);
    const waiting = proxyGet(token, `?hash=${current.body!.contentHash}&wait=30`);
    await officer.goto(`/policies/${policyId}`);
    await officer.getByRole("button", { name: "Roll back to version 1" }).click();
    await officer.getByRole("button", { name: "Roll back", exact: true }).click();
    await officer
      .getByRole("row", { name: /Version 3/ })
      .getByText("Published", { exact: true })
      .waitFor();
    const woken = await waiting;
    expect(woken.status).toBe(200);
    const set = JSON.parse(woken.body!.payload) as { applications: { bundle: { sources: { baseline: { name: string } } } }[] };
    expect(set.applications[0]!.bundle.sources.baseline.name).toBe("standard");
    // The rollout shows the proxy behind until it reports the new set.
    await officer.goto("/delivery");
    await officer
      .locator(`article[data-target="${targetName}"]`)
      .getByRole("heading", { name: new RegExp(`${targetName}\\s+Rolling out`) })
      .waitFor();
  });
});
