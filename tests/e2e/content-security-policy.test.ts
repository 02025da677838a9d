// The portal's Content-Security-Policy in Chromium (lib/server/content-security-policy.ts,
// set per request by proxy.ts): every main page comes with a nonce of its own and
// frame-ancestors 'none', Next's scripts carry that nonce, the browser reports no
// violation, and the page still hydrates (each check clicks something only scripts handle).
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, baseUrl, DEMO_PASSWORD, fetchFromPage, launchBrowser, newContext, signedInPage, uniqueSuffix } from "./support/browser";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

declare global {
  interface Window {
    __cspViolations: string[];
    __sameDocument?: boolean;
  }
}

/** Records every CSP violation the page's documents report, from the first byte on, and every console "Refused to …". */
async function watchViolations(context: BrowserContext): Promise<string[]> {
  const refused: string[] = [];
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  context.on("console", (message) => {
    if (/Refused to|Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  return refused;
}

const nonces = new Set<string>();

/** Opens a page, checks its policy and that Next's scripts carry the policy's nonce; returns the nonce. */
async function openWithPolicy(page: Page, path: string): Promise<string> {
  const response = (await page.goto(path)) as Response;
  expect(response.status(), path).toBe(200);
  const policy = response.headers()["content-security-policy"] ?? "";
  expect(policy, path).toContain("frame-ancestors 'none'");
  expect(policy, path).toContain("object-src 'none'");
  expect(policy, path).toContain("base-uri 'none'");
  expect(policy, path).not.toContain("unsafe-");
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
  expect(nonce, `${path}: ${policy}`).toBeTruthy();
  expect(nonces.has(nonce!), `${path} reused a nonce`).toBe(false);
  nonces.add(nonce!);
  const html = await response.text();
  expect(html, path).toContain(`<script src="/_next/static/`);
  // Every script element in the document carries this response's nonce.
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
  return nonce!;
}

async function expectNoViolations(page: Page, refused: string[], path: string) {
  expect(await page.evaluate(() => window.__cspViolations), path).toEqual([]);
  expect(refused, path).toEqual([]);
}

/** Hydrated: a link in the main navigation navigates inside the same document (Next's router), not by a full load. */
async function expectClientNavigation(page: Page, linkName: string, pathname: string) {
  await page.evaluate(() => (window.__sameDocument = true));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: linkName, exact: true }).click();
  await page.waitForURL((url) => url.pathname === pathname);
  expect(await page.evaluate(() => window.__sameDocument === true), `${linkName} navigated without a full load`).toBe(true);
}

describe("Content-Security-Policy on the portal's pages", () => {
  it("signed out: the sign-in page and the architecture questionnaire run their scripts under the nonce", async () => {
    const context = await newContext(browser);
    const refused = await watchViolations(context);
    const page = await context.newPage();

    await openWithPolicy(page, "/sign-in");
    // Client-side validation: only the page's script marks the empty field.
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    await expectNoViolations(page, refused, "/sign-in");

    await openWithPolicy(page, "/architecture/questionnaire");
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("Answer every question");
    await expectNoViolations(page, refused, "/architecture/questionnaire");

    // The same page again: a fresh nonce.
    const first = await openWithPolicy(page, "/sign-in");
    const second = await openWithPolicy(page, "/sign-in");
    expect(first).not.toBe(second);
    await context.close();
  });

  it("signed in: home, applications, policies, approvals and security events hydrate without a violation", async () => {
    const context = await newContext(browser);
    const refused = await watchViolations(context);
    const response = await context.request.post("/api/v1/auth/login", { data: { email: ACCOUNTS.security, password: DEMO_PASSWORD } });
    expect(response.status()).toBe(200);
    const page = await context.newPage();

    const visits: [string, string, string][] = [
      // [page, a main-navigation link on it, where that link goes]
      ["/", "Applications", "/applications"],
      ["/applications", "Policies", "/policies"],
      ["/policies", "Approvals", "/approvals"],
      ["/approvals", "Security events", "/security-events"],
      ["/security-events", "Overview", "/"],
    ];
    for (const [path, link, target] of visits) {
      await openWithPolicy(page, path);
      await expectClientNavigation(page, link, target);
      await expectNoViolations(page, refused, path);
    }
    await context.close();
  });

  it("the policy editor hydrates without a violation", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    const refused = await watchViolations(context);
    // A policy of its own (a new application of the payments team), so no other test's draft is touched.
    await page.goto("/");
    const teams = await fetchFromPage(page, "/api/v1/teams?q=payments");
    const teamId = (teams.json as { items: { id: string; slug: string }[] }).items.find((t) => t.slug === "payments")?.id;
    const slug = `csp-${uniqueSuffix()}`;
    const application = await fetchFromPage(page, "/api/v1/applications", {
      method: "POST",
      body: { teamId, slug, name: `CSP ${slug}`, exposure: "internal", upstreamUrl: "http://csp.internal" },
    });
    expect(application.status, JSON.stringify(application.json)).toBe(201);
    const policy = await fetchFromPage(page, "/api/v1/policies", {
      method: "POST",
      body: { content: { apiVersion: "rampart.dev/v1alpha1", kind: "ApplicationPolicy", metadata: { application: slug, applicationVersion: "1.0.0" } } },
    });
    expect(policy.status, JSON.stringify(policy.json)).toBe(201);

    const editor = `/policies/${policy.json.id}/versions/${policy.json.draft.id}`;
    await openWithPolicy(page, editor);
    await page.getByRole("heading", { name: /Edit draft version \d+/ }).waitFor();
    // The YAML tab is the editor's own state: it opens only when its script runs.
    await page.getByRole("tab", { name: "YAML" }).click();
    await page.getByLabel("Policy document (YAML)").waitFor();
    expect(await page.getByLabel("Policy document (YAML)").inputValue()).toContain(`application: ${slug}`);
    await expectNoViolations(page, refused, editor);
    await context.close();
  });

  it("API responses get a policy without a nonce that forbids framing and running anything; plain http gets no HSTS", async () => {
    const context = await newContext(browser);
    for (const path of ["/api/health", "/api/v1/openapi.json"]) {
      const response = await context.request.get(path);
      expect(response.headers()["content-security-policy"], path).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers()["x-frame-options"], path).toBe("DENY");
      expect(response.headers()["strict-transport-security"], path).toBeUndefined();
    }
    // A client claiming https over plain http changes nothing: the portal saw the socket.
    const claimed = await context.request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
    expect(claimed.headers()["strict-transport-security"]).toBeUndefined();
    expect(claimed.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await context.close();
  });
});

describe("forwarded headers through the running portal (no TRUSTED_PROXY_HOPS)", () => {
  it("a forged X-Forwarded-Host changes neither where a redirect goes nor which origin is the portal's", async () => {
    const context = await newContext(browser);
    const forged = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };
    // Single sign-on's start sends the browser to the provider with the portal's callback, and a flow cookie.
    const start = await context.request.get("/api/v1/auth/sso/testidp/start?next=/", { headers: forged, maxRedirects: 0 });
    expect([302, 303]).toContain(start.status());
    const location = new URL(start.headers()["location"] ?? "");
    expect(location.searchParams.get("redirect_uri")).toBe(`${baseUrl()}/api/v1/auth/sso/testidp/callback`);
    expect(start.headers()["location"]).not.toContain("evil.example");
    // Plain http on loopback, whatever the headers claim: the flow cookie is not Secure.
    expect(start.headers()["set-cookie"]).not.toMatch(/;\s*Secure/i);
    const failed = await context.request.get("/api/v1/auth/sso/no-such-provider/start", { headers: forged, maxRedirects: 0 });
    expect([302, 303]).toContain(failed.status());
    expect(failed.headers()["location"]).not.toContain("evil.example");
    // A page of evil.example posting to the portal, claiming evil.example is the portal's host.
    const crossOrigin = await context.request.post("/api/v1/auth/login", {
      headers: { ...forged, origin: "https://evil.example" },
      data: { email: ACCOUNTS.developer, password: DEMO_PASSWORD },
    });
    expect(crossOrigin.status()).toBe(403);
    await context.close();
  });
});
