import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, fetchFromPage, launchBrowser, navigationEntries, signedInPage } from "./support/browser";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const AREAS = ["Overview", "Architecture", "Applications", "Policies", "Exceptions", "Security events", "Delivery"];
// The approval queue is the reviewers'; whoever edits policy follows their own changes.
const OFFICER_AREAS = ["Overview", "Architecture", "Applications", "Policies", "Approvals", "My changes", "Exceptions", "Security events", "Delivery"];
const EDITOR_AREAS = ["Overview", "Architecture", "Applications", "Policies", "My changes", "Exceptions", "Security events", "Delivery"];
const ALL_APPS = ["payments-api", "payments-worker", "storefront-web"];

// What each demo account may see, straight from the permission table (lib/auth/permissions.ts).
const EXPECTATIONS = [
  { role: "admin", email: ACCOUNTS.admin, nav: [...AREAS, "Audit", "Teams", "Users", "Single sign-on"], apps: ALL_APPS, hidden: [] },
  { role: "security officer", email: ACCOUNTS.security, nav: [...OFFICER_AREAS, "Audit", "Teams", "Users", "Single sign-on"], apps: ALL_APPS, hidden: [] },
  { role: "auditor", email: ACCOUNTS.auditor, nav: [...AREAS, "Audit", "Teams", "Users", "Single sign-on"], apps: ALL_APPS, hidden: [] },
  {
    role: "project lead",
    email: ACCOUNTS.lead,
    nav: [...EDITOR_AREAS, "Audit", "Teams"],
    apps: ["payments-api", "payments-worker"],
    hidden: ["storefront-web"],
  },
  { role: "developer", email: ACCOUNTS.developer, nav: [...EDITOR_AREAS, "Teams"], apps: ["payments-api", "payments-worker"], hidden: ["storefront-web"] },
  {
    role: "storefront developer",
    email: ACCOUNTS.storefrontDeveloper,
    nav: [...EDITOR_AREAS, "Teams"],
    apps: ["storefront-web"],
    hidden: ["payments-api", "payments-worker"],
  },
] as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function visibleSlugs(page: Page): Promise<string[]> {
  await page.goto("/applications?pageSize=100");
  await page.getByRole("heading", { level: 1, name: "Applications" }).waitFor();
  return (await page.locator("table.data-table tbody td .mono").allTextContents()).map((s) => s.trim());
}

async function expectForbiddenPage(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), `status of ${path}`).toBe(403);
  expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("You don't have access to this page");
}

async function applicationIdBySlug(slug: string): Promise<string> {
  const { context, page } = await signedInPage(browser, ACCOUNTS.security);
  const response = await context.request.get(`/api/v1/applications?q=${slug}`);
  const body = (await response.json()) as { items: { id: string; slug: string }[] };
  await page.close();
  await context.close();
  const app = body.items.find((a) => a.slug === slug);
  if (!app) throw new Error(`seeded application ${slug} not found`);
  return app.id;
}

describe("navigation and applications by role", () => {
  it.each(EXPECTATIONS)("the $role sees exactly the entries the role may use, and its applications", async ({ email, nav, apps, hidden }) => {
    const { context, page } = await signedInPage(browser, email);
    await page.goto("/");
    expect(await navigationEntries(page)).toEqual(nav);
    const slugs = await visibleSlugs(page);
    for (const slug of apps) expect(slugs).toContain(slug);
    for (const slug of hidden) expect(slugs).not.toContain(slug);
    await context.close();
  });
});

describe("refusals", () => {
  it("a developer gets the 403 page for /users and /audit, and 403 from the API", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.developer);
    await expectForbiddenPage(page, "/users");
    await expectForbiddenPage(page, "/audit");
    expect((await fetchFromPage(page, "/api/v1/users")).status).toBe(403);
    expect((await fetchFromPage(page, "/api/v1/audit-events")).status).toBe(403);
    await context.close();
  });

  it("an auditor cannot create an application, neither through the UI nor with fetch from the page", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.auditor);
    await page.goto("/applications");
    await page.getByRole("heading", { level: 1, name: "Applications" }).waitFor();
    expect(await page.getByRole("link", { name: "New application" }).count()).toBe(0);
    await expectForbiddenPage(page, "/applications/new");

    const teams = await fetchFromPage(page, "/api/v1/teams?q=payments");
    const paymentsId = (teams.json as { items: { id: string; slug: string }[] }).items.find((t) => t.slug === "payments")?.id;
    expect(paymentsId).toBeTruthy();
    const attempt = await fetchFromPage(page, "/api/v1/applications", {
      method: "POST",
      body: { teamId: paymentsId, slug: "auditor-was-here", name: "Nope", exposure: "internal", upstreamUrl: "http://nope.internal" },
    });
    expect(attempt.status).toBe(403);
    expect(attempt.json).toMatchObject({ code: "FORBIDDEN" });
    const after = await fetchFromPage(page, "/api/v1/applications?q=auditor-was-here&archived=all");
    expect(after.json).toMatchObject({ total: 0 });
    await context.close();
  });

  it("a developer of another team gets 'not found' for a payments application, in the page and in the API", async () => {
    const paymentsApi = await applicationIdBySlug("payments-api");
    const { context, page } = await signedInPage(browser, ACCOUNTS.storefrontDeveloper);
    const response = await page.goto(`/applications/${paymentsApi}`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("We couldn't find that page");
    expect(await page.content()).not.toContain("payments-api");
    expect((await fetchFromPage(page, `/api/v1/applications/${paymentsApi}`)).status).toBe(404);
    await context.close();
  });

  it("a developer of another team gets 'not found' for the payments team's page", async () => {
    const { context: admin, page: adminPage } = await signedInPage(browser, ACCOUNTS.admin);
    const teams = await fetchFromPage(adminPage, "/api/v1/teams?q=payments");
    const paymentsId = (teams.json as { items: { id: string; slug: string }[] }).items.find((t) => t.slug === "payments")?.id;
    await admin.close();
    const { context, page } = await signedInPage(browser, ACCOUNTS.storefrontDeveloper);
    const response = await page.goto(`/teams/${paymentsId}`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("We couldn't find that page");
    expect((await fetchFromPage(page, `/api/v1/teams/${paymentsId}`)).status).toBe(404);
    await context.close();
  });

  it("a developer sees their team's application read-only", async () => {
    const paymentsApi = await applicationIdBySlug("payments-api");
    const { context, page } = await signedInPage(browser, ACCOUNTS.developer);
    await page.goto(`/applications/${paymentsApi}`);
    await page.getByRole("heading", { level: 2, name: "Details" }).waitFor();
    expect(await page.getByRole("heading", { name: "Edit application" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Archive application" }).count()).toBe(0);
    const patch = await fetchFromPage(page, `/api/v1/applications/${paymentsApi}`, {
      method: "PATCH",
      headers: { "if-match": '"1"' },
      body: { name: "Hijacked" },
    });
    expect(patch.status).toBe(403);
    await context.close();
  });

  it("a project lead cannot open user or team administration", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await expectForbiddenPage(page, "/users");
    await expectForbiddenPage(page, "/teams/new");
    await context.close();
  });
});
