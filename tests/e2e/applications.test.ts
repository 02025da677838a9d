import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, fetchFromPage, launchBrowser, signedInPage, uniqueSuffix } from "./support/browser";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const slug = `checkout-${uniqueSuffix()}`;
let applicationPath = "";

async function version(page: Page): Promise<string> {
  return ((await page.getByTestId("application-version").textContent()) ?? "").trim();
}

async function fieldError(page: Page, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(" ").filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join(" ");
}

// These tests build on each other (one application's life), and the file runs serially.
describe("a project lead manages an application", () => {
  it("creates an application for a team they lead", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto("/applications");
    await page.getByRole("link", { name: "New application" }).click();
    await page.waitForURL("**/applications/new");

    // Only the teams this lead leads are offered.
    const teamOptions = await page.getByLabel("Team").locator("option").allTextContents();
    expect(teamOptions).toEqual(["Payments"]);

    await page.getByLabel("Name").fill("Checkout API");
    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Description").fill("Takes payments at checkout.");
    await page.getByLabel("Exposure").selectOption("internet");
    await page.getByLabel("Upstream URL").fill("http://checkout.internal:8080");
    await page.getByRole("button", { name: "Create application" }).click();

    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    applicationPath = new URL(page.url()).pathname;
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Checkout API");
    expect(await version(page)).toBe("1");
    await context.close();
  });

  it("shows validation errors next to the field: from the schema and from the API", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto("/applications/new");
    await page.getByLabel("Name").fill("Duplicate");
    await page.getByLabel("Slug").fill(slug);
    await page.getByLabel("Upstream URL").fill("ftp://files.internal");
    await page.getByRole("button", { name: "Create application" }).click();
    expect(await fieldError(page, "Upstream URL")).toContain("must be an http(s) URL without credentials");

    // Valid for the schema, refused by the API: the slug is taken. The API's
    // errors[].path ("body.slug") puts the message next to the Slug field.
    await page.getByLabel("Upstream URL").fill("http://duplicate.internal");
    await page.getByRole("button", { name: "Create application" }).click();
    expect(await fieldError(page, "Slug")).toContain("is already taken");
    await page
      .getByRole("alert")
      .filter({ hasText: `"${slug}" already exists` })
      .waitFor();
    await context.close();
  });

  it("edits the application", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(applicationPath);
    await page.getByLabel("Name").fill("Checkout API v2");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Saved" }).textContent()).toContain("now at version 2");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Checkout API v2");
    expect(await version(page)).toBe("2");
    await context.close();
  });

  it("refuses a stale edit with a 409 and 'someone else changed it, reload'", async () => {
    const first = await signedInPage(browser, ACCOUNTS.lead);
    const second = await signedInPage(browser, ACCOUNTS.lead);
    await first.page.goto(applicationPath);
    await second.page.goto(applicationPath);
    expect(await version(first.page)).toBe("2");
    expect(await version(second.page)).toBe("2");

    await first.page.getByLabel("Description").fill("Changed in the first tab.");
    await first.page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => version(first.page)).toBe("3");

    const conflict = second.page.waitForResponse((r) => r.request().method() === "PATCH");
    await second.page.getByLabel("Name").fill("Checkout API (second tab)");
    await second.page.getByRole("button", { name: "Save changes" }).click();
    expect((await conflict).status()).toBe(409);
    const alert = second.page.getByRole("alert").filter({ hasText: "Your change was not saved." });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Someone else changed this since you loaded it .*Reload/);

    await alert.getByRole("button", { name: "Reload" }).click();
    await expect.poll(() => second.page.getByLabel("Description").inputValue()).toBe("Changed in the first tab.");
    expect(await second.page.getByText("You are editing version 3").count()).toBe(1);
    await second.page.getByLabel("Name").fill("Checkout API (second tab)");
    await second.page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => version(second.page)).toBe("4");

    await first.context.close();
    await second.context.close();
  });

  it("archives the application, which leaves the default list", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(applicationPath);
    await page.getByRole("button", { name: "Archive application" }).click();
    await page.getByRole("button", { name: "Yes, archive it" }).click();
    await page.getByText("This application is archived.").waitFor();
    expect(await page.getByRole("heading", { name: "Edit application" }).count()).toBe(0);

    await page.goto(`/applications?q=${slug}`);
    await page.getByText("No applications match these filters").waitFor();
    await page.getByLabel("Status").selectOption("true");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/archived=true/);
    await page.getByRole("link", { name: "Checkout API (second tab)" }).waitFor();
    await context.close();
  });

  it("takes a screenshot of the applications page", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto("/applications?archived=all");
    await page.locator("table.data-table").waitFor();
    await page.screenshot({ path: "/tmp/rampart-applications.png", fullPage: true });
    await context.close();
  });
});

describe("the audit log", () => {
  it("shows the events of the application's life, filtered by action", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.auditor);
    await page.goto("/audit");
    await page.getByLabel("Action").fill("application.");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/action=application\./);
    const rows = page.locator("table.audit-table tbody tr");
    await rows.first().waitFor();
    const text = (await rows.allTextContents()).join("\n");
    for (const action of ["application.create", "application.update", "application.archive"]) expect(text).toContain(action);
    expect(text).toContain(ACCOUNTS.lead);
    await context.close();
  });

  it("records refused attempts, which the outcome filter finds", async () => {
    const dev = await signedInPage(browser, ACCOUNTS.developer);
    await dev.page.goto("/");
    const refused = await fetchFromPage(dev.page, "/api/v1/teams", { method: "POST", body: { slug: "sneaky", name: "Sneaky" } });
    expect(refused.status).toBe(403);
    await dev.context.close();

    const { context, page } = await signedInPage(browser, ACCOUNTS.auditor);
    await page.goto("/audit");
    await page.getByLabel("Outcome").selectOption("denied");
    await page.getByLabel("Actor").fill(ACCOUNTS.developer);
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/outcome=denied/);
    const text = (await page.locator("table.audit-table tbody").textContent()) ?? "";
    expect(text).toContain("api.createTeam");
    expect(text).toContain("denied");
    await context.close();
  });

  it("shows a project lead only their teams' events", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto("/audit?outcome=denied");
    await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
    // The developer's refused api.createTeam belongs to no team: not the lead's to see.
    expect(await page.content()).not.toContain("api.createTeam");
    await page.goto(`/audit?action=application.`);
    expect(await page.locator("table.audit-table tbody").textContent()).toContain("application.create");
    await context.close();
  });
});
