// Single sign-on in the browser, against the real OpenID provider the e2e setup runs on
// loopback (tests/oidc-provider; the portal knows it as "Test IdP"): sign in on the
// provider's own login page, land with the role and team its group maps to, have an
// administrator map another group in the portal, change the person's groups at the
// provider, sign out (the provider's session too) and see the new role at the next sign-in.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { putTestAccount } from "../oidc-provider/start-test-identity-provider";
import { ACCOUNTS, launchBrowser, newContext, signedInPage } from "./support/browser";

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const issuer = inject("e2eIdpIssuer");
const NORA = { sub: "nora", email: "nora.lead@corp.example", name: "Nora Lead", emailVerified: true };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** From Rampart's sign-in page through the provider's login page and back. */
async function signInThroughProvider(page: Page, login: string) {
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  await page.waitForURL((url) => url.origin === issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any password works here");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.waitForURL((url) => url.origin !== issuer && url.pathname === "/");
}

async function roles(page: Page): Promise<string[]> {
  const list = page.getByRole("region", { name: "Your roles" }).getByRole("listitem");
  await list.first().waitFor();
  return (await list.allTextContents()).map((t) => t.trim());
}

describe.skipIf(!issuer)("single sign-on", () => {
  it("signs in through the provider's login page with the mapped role, and takes the new role at the next sign-in after the groups change", async () => {
    await putTestAccount(issuer!, { ...NORA, groups: ["payments-leads"] });
    const context = await newContext(browser);
    const page = await context.newPage();

    await signInThroughProvider(page, NORA.sub);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(`Welcome, ${NORA.name}`);
    expect(await roles(page)).toEqual(["Project lead in Payments"]);

    // An administrator maps a second group in the portal.
    const admin = await signedInPage(browser, ACCOUNTS.admin);
    await admin.page.goto("/sso");
    await admin.page.getByLabel("Group", { exact: true }).fill("payments-devs");
    await admin.page.getByLabel("Team", { exact: true }).selectOption({ label: "Payments (payments)" });
    await admin.page.getByLabel("Role", { exact: true }).selectOption({ label: "Developer" });
    await admin.page.getByRole("button", { name: "Add mapping" }).click();
    await admin.page.getByText("payments-devs now gives Developer in Payments").waitFor();

    // At the provider, Nora moves from the leads to the developers.
    await putTestAccount(issuer!, { ...NORA, groups: ["payments-devs"] });

    // Signing out ends the provider's session too (RP-initiated logout), then comes back.
    await page.getByLabel(/account menu/i).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.origin === issuer);
    await page.getByRole("button", { name: "Yes, sign me out" }).click();
    await page.waitForURL((url) => url.origin !== issuer && url.pathname === "/sign-in");
    await page.getByText("You are signed out.").waitFor();

    // The provider asks for the login again: its session has ended.
    await signInThroughProvider(page, NORA.sub);
    expect(await roles(page)).toEqual(["Developer in Payments"]);

    // The administrator sees where Nora's role came from.
    await admin.page.goto("/teams");
    await admin.page.getByRole("link", { name: "Payments", exact: true }).click();
    const row = admin.page.getByRole("row", { name: new RegExp(NORA.email) });
    await expect.poll(() => row.textContent()).toContain("IdP: testidp · payments-devs");
    await admin.context.close();
    await context.close();
  });

  it("explains a sign-in response that this browser did not start, and leads back to sign-in", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/api/v1/auth/sso/testidp/callback?code=stolen&state=someone-elses");
    await page.waitForURL((url) => url.pathname === "/sign-in/sso-error");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("This sign-in was not started here");
    await page.getByRole("link", { name: "Back to sign-in" }).click();
    await page.getByRole("link", { name: "Sign in with Test IdP" }).waitFor();
    expect(await context.cookies()).not.toContainEqual(expect.objectContaining({ name: "rampart_session" }));
    await context.close();
  });
});
