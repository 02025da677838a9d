import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, DEMO_PASSWORD, launchBrowser, newContext, signedInPage, signInViaApi, uniqueSuffix } from "./support/browser";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const suffix = uniqueSuffix();
const newUser = { name: `Nia New ${suffix}`, email: `nia.${suffix}@rampart.local`, password: "a-long-enough-password" };

describe("an administrator", () => {
  it("creates a user with a first team role", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.admin);
    await page.goto("/users");
    await page.getByRole("link", { name: "New user" }).click();
    await page.getByLabel("Name").fill(newUser.name);
    await page.getByLabel("Email").fill(newUser.email);
    await page.getByLabel("Initial password").fill("short");
    await page.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => page.getByLabel("Initial password").getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel("Initial password").fill(newUser.password);
    await page.getByLabel("Team", { exact: true }).selectOption({ label: "Storefront" });
    await page.getByLabel("Role", { exact: true }).selectOption("developer");
    await page.getByRole("button", { name: "Create user" }).click();
    await page.waitForURL((url) => url.pathname === "/users");
    await page.goto(`/users?q=${encodeURIComponent(newUser.email)}`);
    const row = page.locator("tbody tr", { hasText: newUser.email });
    expect(await row.textContent()).toContain("Developer · Storefront");
    await context.close();
  });

  it("adds and removes a team membership", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.admin);
    await page.goto("/teams");
    await page.getByRole("link", { name: "Payments", exact: true }).click();
    await page.getByRole("heading", { name: "Members" }).waitFor();
    await page.getByLabel("User").selectOption({ label: `${newUser.name} (${newUser.email})` });
    await page.getByLabel("Role", { exact: true }).selectOption("auditor");
    await page.getByRole("button", { name: "Add member" }).click();
    const row = page.locator("tbody tr", { hasText: newUser.email });
    await row.waitFor();
    expect(await row.textContent()).toContain("Auditor");

    await row.getByRole("button", { name: `Remove ${newUser.name} as Auditor` }).click();
    await row.waitFor({ state: "detached" });
    await context.close();
  });

  it("creates a team", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.admin);
    await page.goto("/teams/new");
    await page.getByLabel("Name").fill(`Search ${suffix}`);
    await page.getByLabel("Slug").fill(`search-${suffix}`);
    await page.getByRole("button", { name: "Create team" }).click();
    await page.waitForURL(/\/teams\/[0-9a-f-]{36}$/);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(`Search ${suffix}`);
    expect(await page.getByText("This team has no members yet.").count()).toBe(1);
    await context.close();
  });

  it("disables a user, which ends their session, and enables them again", async () => {
    const victim = await newContext(browser);
    await signInViaApi(victim, newUser.email, newUser.password);
    expect((await victim.request.get("/api/v1/me")).status()).toBe(200);

    const { context, page } = await signedInPage(browser, ACCOUNTS.admin);
    await page.goto(`/users?q=${encodeURIComponent(newUser.email)}`);
    await page.getByRole("button", { name: `Disable ${newUser.name}` }).click();
    await page.getByRole("button", { name: `Enable ${newUser.name}` }).waitFor();
    expect(await page.locator("tbody tr", { hasText: newUser.email }).textContent()).toContain("Disabled");
    expect((await victim.request.get("/api/v1/me")).status()).toBe(401);

    await page.getByRole("button", { name: `Enable ${newUser.name}` }).click();
    await page.getByRole("button", { name: `Disable ${newUser.name}` }).waitFor();
    await signInViaApi(victim, newUser.email, newUser.password);
    await victim.close();
    await context.close();
  });
});

describe("the account page", () => {
  it("creates an API token, shows it once, and revokes it", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto("/account");
    // A project lead may not mint a token above their own role.
    const roles = await page.getByLabel("Role", { exact: true }).locator("option").allTextContents();
    expect(roles).toEqual(["Auditor", "Developer", "Project lead"]);

    await page.getByLabel("Token name").fill(`ci-${suffix}`);
    await page.getByLabel("Role", { exact: true }).selectOption("developer");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = await page.getByLabel("New API token").inputValue();
    expect(secret).toMatch(/^rpt_/);
    await page.getByRole("button", { name: "Copy token" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Copied|Copying failed/ })
      .waitFor();

    const api = await browser.newContext({ baseURL: new URL(page.url()).origin });
    const asToken = await api.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
    expect(asToken.status()).toBe(200);

    await page.getByRole("button", { name: "I have stored it" }).click();
    expect(await page.getByLabel("New API token").count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await page.getByRole("button", { name: `Revoke token ci-${suffix}` }).click();
    await page
      .locator("tbody tr", { hasText: `ci-${suffix}` })
      .getByText("Revoked")
      .waitFor();
    expect((await api.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } })).status()).toBe(401);
    await api.close();
    await context.close();
  });

  it("rejects a wrong current password next to the field", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.auditor);
    await page.goto("/account");
    await page.getByLabel("Current password").fill(`${DEMO_PASSWORD}-wrong`);
    await page.getByLabel("New password", { exact: true }).fill("another-long-password");
    await page.getByLabel("Confirm new password").fill("another-long-password");
    await page.getByRole("button", { name: "Change password" }).click();
    const field = page.getByLabel("Current password");
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByText("Current password: is incorrect").count()).toBe(1);
    await context.close();
  });
});
