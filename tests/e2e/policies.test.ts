// Editing a policy in the browser: a project lead starts a draft of an API's policy,
// sees a schema error next to the field and an error the API finds (loosening the
// baseline) next to another, fixes both, sees a YAML syntax error with its line, saves,
// submits, and reads the diff. A security officer then approves and publishes it.
// Each test makes the application, policy and draft it needs through the API, so the
// tests pass in any order (vitest --sequence.shuffle).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, baseUrl, launchBrowser, publishViaConfirmation, signedInPage, uniqueSuffix } from "./support/browser";
import { ensureBaselineForEveryEnvironment, portalApi, publishWithFourEyes, signInCookie, type PortalApi } from "./support/portal-api";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let browser: Browser;
let lead: PortalApi;
let security: PortalApi;
let reviewer: PortalApi;

beforeAll(async () => {
  browser = await launchBrowser();
  await ensureBaselineForEveryEnvironment(baseUrl());
  const sessions = await Promise.all(
    [ACCOUNTS.lead, ACCOUNTS.security, ACCOUNTS.securityReviewer].map(async (email) => portalApi(baseUrl(), await signInCookie(baseUrl(), email))),
  );
  [lead, security, reviewer] = sessions as [PortalApi, PortalApi, PortalApi];
});
afterAll(async () => {
  await browser?.close();
});

type VersionRef = { id: string; version: number };
const policyContent = (slug: string, maxBodyBytes: number) => ({
  apiVersion: "rampart.dev/v1alpha1",
  kind: "ApplicationPolicy",
  metadata: { application: slug, applicationVersion: "3.2.0" },
  methods: { allowed: ["GET", "HEAD", "POST", "OPTIONS"] },
  limits: { maxBodyBytes },
});

/** An application of the payments team of its own, with a published policy (64 KiB bodies). */
async function publishedPolicy(): Promise<{ name: string; slug: string; applicationId: string; policyId: string }> {
  const slug = `payments-${uniqueSuffix()}`;
  const name = `Payments ${slug}`;
  const teams = await lead<{ items: { id: string; slug: string }[] }>("GET", "/teams");
  const payments = teams.items.find((t) => t.slug === "payments")!;
  const application = await lead<{ id: string }>("POST", "/applications", {
    teamId: payments.id,
    name,
    slug,
    exposure: "internal",
    upstreamUrl: "http://127.0.0.1:9400",
  });
  const created = await lead<{ id: string; draft: { id: string } }>("POST", "/policies", { content: policyContent(slug, 65536) });
  await publishWithFourEyes({ author: lead, reviewer, publisher: reviewer }, created.id, created.draft.id, "Policy for the payments API.");
  return { name, slug, applicationId: application.id, policyId: created.id };
}

/** A new draft of that policy, saved by the lead with a 32 KiB body limit unless told to leave it as it is. */
async function leadsDraft(policy: { slug: string; policyId: string }, change = true): Promise<{ path: string; version: VersionRef }> {
  let version = await lead<VersionRef>("POST", `/policies/${policy.policyId}/versions`, {});
  const path = `/policies/${policy.policyId}/versions/${version.id}`;
  if (change) version = await lead<VersionRef>("PUT", path, { content: policyContent(policy.slug, 32768) }, version.version);
  return { path, version };
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

describe("a project lead edits an API's policy", () => {
  it("starts a draft from the version in force", async () => {
    const policy = await publishedPolicy();
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(`/policies?q=${policy.slug}`);
    await page.getByRole("link", { name: policy.name }).click();
    await page.waitForURL(`**/policies/${policy.policyId}`);
    await page.getByRole("button", { name: "Start a new draft" }).click();
    await page.waitForURL(/\/policies\/[0-9a-f-]{36}\/versions\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: /Edit draft version 2/ }).waitFor();
    await context.close();
  });

  it("shows a schema error next to the field as it is typed, and an error only the API finds next to another", async () => {
    const draft = await leadsDraft(await publishedPolicy(), false);
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draft.path);
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
    const draft = await leadsDraft(await publishedPolicy());
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draft.path);
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
    const draft = await leadsDraft(await publishedPolicy());
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draft.path);
    await page.getByLabel("Why this change?").fill("Smaller request bodies: the API takes no uploads.");
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.getByText("Submitted for review").first().waitFor();
    await expect.poll(() => page.getByRole("button", { name: "Save draft" }).count()).toBe(0);
    await page.getByText(/its content can no longer change/).waitFor();
    await context.close();
  });

  it("shows the diff in words and side by side", async () => {
    const draft = await leadsDraft(await publishedPolicy());
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draft.path);
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
    const policy = await publishedPolicy();
    const draft = await leadsDraft(policy);
    await lead("POST", `${draft.path}/submit`, { summary: "Smaller request bodies: the API takes no uploads." }, draft.version.version);
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto(draft.path);
    await page.getByRole("button", { name: "Approve…" }).click();
    await page.getByLabel("Comment").fill("Tightens the body limit; fits the baseline.");
    await page.getByRole("button", { name: /^Approve version \d+$/ }).click();
    await publishViaConfirmation(page);
    await expect.poll(() => page.getByText("This is the version in force.").count()).toBe(1);
    await page.goto(`/policies/${policy.policyId}`);
    expect(await page.getByRole("table", { name: "Version history" }).getByText("Superseded").count()).toBeGreaterThan(0);
    await context.close();
  });

  it("shows the effective policy with each setting's origin", async () => {
    const policy = await publishedPolicy();
    const draft = await leadsDraft(policy);
    await publishWithFourEyes({ author: lead, reviewer: security, publisher: security }, policy.policyId, draft.version.id, "Smaller request bodies.");
    const { context, page } = await signedInPage(browser, ACCOUNTS.developer);
    await page.goto(`/policies/${policy.policyId}`);
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

describe("the list of policies", () => {
  it("pages application policies 25 at a time, keeping the search", async () => {
    const teams = await lead<{ items: { id: string; slug: string }[] }>("GET", "/teams");
    const payments = teams.items.find((t) => t.slug === "payments")!;
    const prefix = `paged-${uniqueSuffix()}`;
    // 27 application policies whose names share a prefix: two pages of that search. Their
    // applications are archived afterwards: other files find the demo's applications on the
    // first page of /applications, which 27 more in the payments team would push off it.
    const applications: { id: string; version: number }[] = [];
    try {
      for (let i = 0; i < 27; i++) {
        const slug = `${prefix}-${i}`;
        applications.push(
          await lead<{ id: string; version: number }>("POST", "/applications", {
            teamId: payments.id,
            name: `Paged ${slug}`,
            slug,
            exposure: "internal",
            upstreamUrl: "http://127.0.0.1:9400",
          }),
        );
        await lead("POST", "/policies", { content: policyContent(slug, 65536) });
      }
      await pagesThrough(prefix);
    } finally {
      for (const application of applications) await lead("POST", `/applications/${application.id}/archive`, undefined, application.version);
    }
  });
});

async function pagesThrough(prefix: string) {
  const { context, page } = await signedInPage(browser, ACCOUNTS.security);
  await page.goto(`/policies?q=${prefix}`);
  const section = page.getByRole("region", { name: /Application policies/ });
  const pages = page.getByRole("navigation", { name: "Application policy pages" });
  expect(await pages.textContent()).toContain("Showing 1–25 of 27");
  expect(await section.getByRole("row").count()).toBe(26);
  await pages.getByRole("link", { name: /Next/ }).click();
  await page.waitForURL(/page=2/);
  expect(new URL(page.url()).searchParams.get("q")).toBe(prefix);
  await expect.poll(() => section.getByRole("row").count()).toBe(3);
  expect(await page.getByRole("navigation", { name: "Application policy pages" }).textContent()).toContain("Showing 26–27 of 27");
  await context.close();
}
