// Editing a policy in the browser: a project lead starts a draft of the payments API's
// policy, sees a schema error next to the field and an error the API finds (loosening the
// baseline) next to another, fixes both, sees a YAML syntax error with its line, saves,
// submits, and reads the diff. A security officer then approves and publishes it.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, baseUrl, fetchFromPage, launchBrowser, publishViaConfirmation, signedInPage } from "./support/browser";
import { ensureBaselineForEveryEnvironment } from "./support/portal-api";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let browser: Browser;
let policyId = "";

beforeAll(async () => {
  browser = await launchBrowser();
  policyId = await ensureDemoPolicies();
});
afterAll(async () => {
  await browser?.close();
});

/** The payments API's policy, published on top of a published baseline; made through the API unless the seed made it. */
async function ensureDemoPolicies(): Promise<string> {
  const officer = await signedInPage(browser, ACCOUNTS.security);
  const reviewer = await signedInPage(browser, "security2@rampart.local");
  const lead = await signedInPage(browser, ACCOUNTS.lead);
  try {
    const publish = async (id: string, version: { id: string; version: number }, author: Page) => {
      const submitted = await fetchFromPage(author, `/api/v1/policies/${id}/versions/${version.id}/submit`, {
        method: "POST",
        headers: { "if-match": `"${version.version}"` },
        body: { summary: "Demo policy for the payments API." },
      });
      expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
      const approved = await fetchFromPage(reviewer.page, `/api/v1/policies/${id}/versions/${version.id}/approve`, {
        method: "POST",
        headers: { "if-match": `"${submitted.json.version}"` },
        body: { note: "Reviewed by a second security officer." },
      });
      expect(approved.status, JSON.stringify(approved.json)).toBe(200);
      const published = await fetchFromPage(reviewer.page, `/api/v1/policies/${id}/versions/${version.id}/publish`, {
        method: "POST",
        headers: { "if-match": `"${approved.json.version}"` },
      });
      expect(published.status, JSON.stringify(published.json)).toBe(200);
    };
    await ensureBaselineForEveryEnvironment(baseUrl());
    const existing = await fetchFromPage(lead.page, "/api/v1/policies?kind=application&q=payments-api");
    const found = existing.json.items.find((p: { name: string }) => p.name === "payments-api");
    if (found) return found.id;
    const content = {
      apiVersion: "rampart.dev/v1alpha1",
      kind: "ApplicationPolicy",
      metadata: { application: "payments-api", applicationVersion: "3.2.0" },
      methods: { allowed: ["GET", "HEAD", "POST", "OPTIONS"] },
      limits: { maxBodyBytes: 65536 },
    };
    const created = await fetchFromPage(lead.page, "/api/v1/policies", { method: "POST", body: { content } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    await publish(created.json.id, { id: created.json.draft.id, version: 1 }, lead.page);
    return created.json.id;
  } finally {
    await Promise.all([officer.context.close(), reviewer.context.close(), lead.context.close()]);
  }
}

/** The error text an input points at with aria-describedby, once it is marked invalid. */
async function fieldError(page: Page, label: string): Promise<string> {
  const field = page.getByLabel(label);
  await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(" ");
}

async function openSection(page: Page, title: string) {
  const section = page.locator("details", { has: page.locator("summary", { hasText: title }) }).first();
  if ((await section.getAttribute("open")) === null) await section.locator("summary").click();
}

describe("a project lead edits the payments API's policy", () => {
  let draftPath = "";

  it("starts a draft from the version in force", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto("/policies");
    await page.getByRole("link", { name: "Payments API" }).click();
    await page.waitForURL(`**/policies/${policyId}`);
    const edit = page.getByRole("link", { name: /Edit draft version/ });
    if (await edit.count()) await edit.click();
    else await page.getByRole("button", { name: "Start a new draft" }).click();
    await page.waitForURL(/\/policies\/[0-9a-f-]{36}\/versions\/[0-9a-f-]{36}$/);
    draftPath = new URL(page.url()).pathname;
    await page.getByRole("heading", { name: /Edit draft version \d+/ }).waitFor();
    await context.close();
  });

  it("shows a schema error next to the field as it is typed, and an error only the API finds next to another", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draftPath);
    await openSection(page, "Request limits");
    await page.getByLabel("Max body size (bytes)").fill("-5");
    expect(await fieldError(page, "Max body size (bytes)")).toContain("must be at least 1");
    await expect.poll(() => page.getByText(/1 problem in this policy/).count()).toBe(1);

    // The schema is happy with TRACE; the API refuses it because the baseline forbids it.
    await page.getByLabel("Max body size (bytes)").fill("32768");
    await expect.poll(() => page.getByLabel("Max body size (bytes)").getAttribute("aria-invalid")).toBe("false");
    await openSection(page, "Methods");
    await page.getByRole("checkbox", { name: "TRACE" }).check();
    await page.getByRole("button", { name: "Save draft" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: /nothing was saved/ })
      .waitFor();
    await expect.poll(() => page.getByText(/allows method TRACE, which the baseline forbids/).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole("checkbox", { name: "TRACE" }).getAttribute("aria-invalid")).toBe("true");

    // Fixed, it saves.
    await page.getByRole("checkbox", { name: "TRACE" }).uncheck();
    await page.getByRole("button", { name: "Save draft" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Saved\. The draft is now at revision/ })
      .waitFor();
    await context.close();
  });

  it("shows a YAML syntax error with its line and column", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draftPath);
    await page.getByRole("tab", { name: "YAML" }).click();
    const source = page.getByLabel("Policy document (YAML)");
    const yaml = await source.inputValue();
    expect(yaml).toContain("maxBodyBytes: 32768");
    await source.fill(yaml.replace("maxBodyBytes: 32768", "maxBodyBytes: [32768"));
    await expect.poll(() => source.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await source.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).toContain("policy-yaml-errors");
    expect(await page.locator("#policy-yaml-errors").textContent()).toMatch(/Line \d+, column \d+/);
    await source.fill(yaml);
    await expect.poll(() => source.getAttribute("aria-invalid")).toBe("false");
    await context.close();
  });

  it("submits the draft, which freezes it", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draftPath);
    await page.getByLabel("Why this change?").fill("Smaller request bodies: the API takes no uploads.");
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.getByText("Submitted for review").first().waitFor();
    await expect.poll(() => page.getByRole("button", { name: "Save draft" }).count()).toBe(0);
    await page.getByText(/its content can no longer change/).waitFor();
    await context.close();
  });

  it("shows the diff in words and side by side", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draftPath);
    await page.getByRole("link", { name: /Compare with version \d+/ }).click();
    await page.waitForURL(/\/diff\?/);
    const changes = page.getByRole("list", { name: "Changes" });
    await expect.poll(() => changes.textContent()).toContain("lowers the request body size limit from 64 KiB to 32 KiB");
    expect(await changes.textContent()).toContain("Tightens");
    const table = page.getByRole("table", { name: /side by side/ });
    expect(await table.locator("del").filter({ hasText: "maxBodyBytes: 65536" }).count()).toBe(1);
    expect(await table.locator("ins").filter({ hasText: "maxBodyBytes: 32768" }).count()).toBe(1);
    await context.close();
  });

  it("is approved and published by a security officer, superseding the version in force", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto(draftPath);
    await page.getByRole("button", { name: "Approve…" }).click();
    await page.getByLabel("Comment").fill("Tightens the body limit; fits the baseline.");
    await page.getByRole("button", { name: /^Approve version \d+$/ }).click();
    await publishViaConfirmation(page);
    await expect.poll(() => page.getByText("This is the version in force.").count()).toBe(1);
    await page.goto(`/policies/${policyId}`);
    expect(await page.getByRole("table", { name: "Version history" }).getByText("Superseded").count()).toBeGreaterThan(0);
    await context.close();
  });

  it("shows the effective policy with each setting's origin", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.developer);
    await page.goto(`/policies/${policyId}`);
    await page.getByRole("link", { name: "Effective policy" }).click();
    await page.waitForURL(/\/policies\/applications\//);
    const limits = page.getByRole("table", { name: "Request limits" });
    const bodyRow = limits.getByRole("row", { name: /Max body size/ });
    expect(await bodyRow.textContent()).toContain("32768");
    expect(await bodyRow.textContent()).toContain("Application");
    const headerRow = limits.getByRole("row", { name: /Max header size/ });
    expect(await headerRow.textContent()).toContain("Baseline");
    await context.close();
  });
});
