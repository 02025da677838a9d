import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, baseUrl, launchBrowser, newContext, signInViaForm } from "./support/browser";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("sign-in", () => {
  it("shows the API's problem detail for a wrong password and stays on the sign-in page", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await signInViaForm(page, ACCOUNTS.developer, "not-the-right-password");
    await page.getByRole("alert").filter({ hasText: "Email or password is incorrect." }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await context.cookies()).not.toContainEqual(expect.objectContaining({ name: "rampart_session" }));
    await context.close();
  });

  it("marks empty fields invalid next to the field, with the API's field errors", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    const email = page.getByLabel("Email");
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await email.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`[id="${describedBy.split(" ").at(-1)}"]`).textContent()).toMatch(/^Email/);
    await context.close();
  });

  it("sends a signed-out visitor to sign-in and back to the page they asked for", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/audit?outcome=denied");
    await page.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/audit?outcome=denied");
    await page.screenshot({ path: "/tmp/rampart-sign-in.png" });
    await signInViaForm(page, ACCOUNTS.auditor);
    await page.waitForURL((url) => url.pathname === "/audit");
    expect(new URL(page.url()).search).toBe("?outcome=denied");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Audit log");
    await context.close();
  });

  it("refuses to redirect off-site after sign-in", async () => {
    // `%09` and `%0A`: Chromium strips tabs and newlines, so `/\t/evil.example` would become `//evil.example`.
    for (const next of ["//evil.example/steal", "/%09/evil.example", "/%0A/x"]) {
      const context = await newContext(browser);
      const page = await context.newPage();
      const response = await page.goto(`/sign-in?next=${next}`);
      expect(response?.status(), next).toBe(200);
      await signInViaForm(page, ACCOUNTS.developer);
      await page.waitForURL((url) => url.pathname === "/" && url.host === new URL(baseUrl()).host);
      await context.close();
    }
  });
});

describe("sign-out", () => {
  it("revokes the session: the old cookie opens neither the portal nor the API", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await signInViaForm(page, ACCOUNTS.developer);
    await page.waitForURL((url) => url.pathname === "/");
    const cookie = (await context.cookies()).find((c) => c.name === "rampart_session");
    expect(cookie?.httpOnly).toBe(true);

    await page.getByLabel(/account menu/i).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");

    // Someone who copied the cookie before sign-out gets nothing with it.
    const replay = await newContext(browser);
    await replay.addCookies([{ ...cookie!, expires: -1 }]);
    const replayPage = await replay.newPage();
    await replayPage.goto("/applications");
    await replayPage.waitForURL((url) => url.pathname === "/sign-in");
    expect(new URL(replayPage.url()).searchParams.get("next")).toBe("/applications");
    const me = await replay.request.get("/api/v1/me");
    expect(me.status()).toBe(401);
    await replay.close();
    await context.close();
  });
});
