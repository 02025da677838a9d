// Shared by the browser tests: one Chromium per test file, one context per user.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect, inject } from "vitest";
import { DEMO_PASSWORD } from "./portal-api";

export { DEMO_PASSWORD };

export const ACCOUNTS = {
  admin: "admin@rampart.local",
  security: "security@rampart.local",
  /** The second security officer: four eyes. */
  securityReviewer: "security2@rampart.local",
  lead: "lead@rampart.local",
  developer: "dev@rampart.local",
  storefrontDeveloper: "dev.storefront@rampart.local",
  auditor: "auditor@rampart.local",
} as const;

export function baseUrl(): string {
  const url = inject("e2eBaseUrl");
  if (!url) throw new Error("e2eBaseUrl was not provided: run with the e2e project (tests/e2e/global-setup.ts)");
  return url;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl(), viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

/** Signs in through the API (fast); the session cookie lands in the context's cookie jar. */
export async function signInViaApi(context: BrowserContext, email: string, password = DEMO_PASSWORD): Promise<void> {
  const response = await context.request.post("/api/v1/auth/login", { data: { email, password } });
  expect(response.status(), `sign-in of ${email}`).toBe(200);
}

export async function signedInPage(browser: Browser, email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser);
  await signInViaApi(context, email);
  return { context, page: await context.newPage() };
}

/** Signs in with the form on the sign-in page the browser is on. */
export async function signInViaForm(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Names of the main navigation's links, in order. */
export async function navigationEntries(page: Page): Promise<string[]> {
  const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
  await links.first().waitFor();
  return (await links.allTextContents()).map((t) => t.trim());
}

/** fetch() from inside the page: same cookies, same origin, exactly what the UI's code can do. */
export async function fetchFromPage(
  page: Page,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: any }> {
  if (page.url() === "about:blank") await page.goto("/");
  return page.evaluate(
    async ({ path, init }) => {
      const response = await fetch(path, {
        method: init.method ?? "GET",
        headers: { "content-type": "application/json", ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: response.status, json };
    },
    { path, init },
  );
}

/** A short random suffix so tests never collide with each other's data. */
export function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2, 8);
}

/** Publishes the approved version the page shows: "Publish…", then the confirmation that lists where it goes. */
export async function publishViaConfirmation(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Publish…" }).click();
  await page
    .getByRole("alertdialog", { name: /^Publish version \d+\?$/ })
    .getByRole("button", { name: /^Publish version \d+$/ })
    .click();
}
