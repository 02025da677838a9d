// Daily use around the edges: what a visitor finds (404s, the questionnaire from sign-in,
// an application carried into it), registering a proxy with a complete command and its key
// as a file, editing a target's applications and being warned of an empty gateway, finding
// exceptions and audit events, every page fitting a 390 px phone, and the questionnaire's
// first-load JavaScript within its budget.
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { measurePageScripts, QUESTIONNAIRE_BUDGET_BYTES } from "../../bench/portal/page-scripts";
import { ACCOUNTS, baseUrl, launchBrowser, newContext, signedInPage, signInViaApi, uniqueSuffix } from "./support/browser";
import { ensureBaselineForEveryEnvironment, portalApi, publishWithFourEyes, signInCookie, type PortalApi } from "./support/portal-api";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let browser: Browser;
const slug = `ledger-${uniqueSuffix()}`;
let applicationId = "";
let policyId = "";

beforeAll(async () => {
  browser = await launchBrowser();
  await ensureBaselineForEveryEnvironment(baseUrl());
  const [lead, security, reviewer] = (await Promise.all(
    [ACCOUNTS.lead, ACCOUNTS.security, ACCOUNTS.securityReviewer].map(async (email) => portalApi(baseUrl(), await signInCookie(baseUrl(), email))),
  )) as [PortalApi, PortalApi, PortalApi];
  const teams = await lead<{ items: { id: string; slug: string }[] }>("GET", "/teams");
  const application = await lead<{ id: string }>("POST", "/applications", {
    teamId: teams.items.find((t) => t.slug === "payments")!.id,
    name: `Ledger ${slug}`,
    slug,
    exposure: "internal",
    upstreamUrl: "http://127.0.0.1:9200",
  });
  applicationId = application.id;
  const expires = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const created = await lead<{ id: string; draft: { id: string } }>("POST", "/policies", {
    content: {
      apiVersion: "rampart.dev/v1alpha1",
      kind: "ApplicationPolicy",
      metadata: { application: slug, applicationVersion: "1.0.0" },
      exceptions: [
        {
          id: "ledger-notes",
          ruleId: "xss.script-tag",
          part: "parameter",
          name: "note",
          conditions: { paths: ["/entries"], methods: ["POST"] },
          justification: "Notes are rendered as text only; reviewed in SEC-77.",
          expires,
          ticket: "SEC-77",
        },
      ],
    },
  });
  policyId = created.id;
  await publishWithFourEyes({ author: lead, reviewer, publisher: security }, policyId, created.draft.id, "The ledger's first policy.");
});
afterAll(async () => {
  await browser?.close();
});

describe("a visitor", () => {
  it("gets 404 for a page that does not exist, signed out", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const response = await page.goto("/no-such-page/anywhere");
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "We couldn't find that page" }).waitFor();
    await context.close();
  });

  it("finds the questionnaire from the sign-in page", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Find the right architecture" }).click();
    await page.waitForURL("**/architecture/questionnaire");
    await page.getByRole("heading", { name: "Which architecture fits your applications?" }).waitFor();
    await context.close();
  });

  it("carries an application from its page into the questionnaire, pre-selected when the decision is saved", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(`/applications/${applicationId}`);
    await page.getByRole("link", { name: "Find the right architecture for this application" }).click();
    await page.waitForURL(`**/architecture/questionnaire?application=${applicationId}`);
    await page.getByText(`You are answering for Ledger ${slug}`).waitFor();
    const answers =
      "classicWorkloads=true&kubernetesWorkloads=some&kubernetesKnowHow=medium&perimeterRequired=true&zeroTrust=true&sharedResponsibility=true&changeFrequency=moderate&bundleWithApplication=false";
    await page.goto(`/architecture/result?${answers}&application=${applicationId}`);
    const box = page.getByRole("checkbox", { name: new RegExp(`Ledger ${slug}`) });
    expect(await box.isChecked()).toBe(true);
    // None chosen: the error stands beside the list of applications.
    await box.uncheck();
    await page.getByRole("button", { name: "Propose decision record" }).click();
    await page.getByText("Applications: choose at least one application, or decide for the whole team").waitFor();
    await context.close();
  });
});

describe("proxy onboarding", () => {
  const name = `mgw-${uniqueSuffix()}`;

  it("shows a complete command after registering a proxy, and the public key downloads as a PEM file", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto("/delivery");
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Mode").selectOption("microgateway");
    const box = page.getByRole("checkbox", { name: new RegExp(slug) });
    // A list of choices, not boxes stretched to their column.
    expect((await box.boundingBox())!.width).toBeLessThan(30);
    await box.check();
    await page.getByRole("button", { name: "Register target" }).click();
    const token = await page.locator("#new-delivery-token-value").inputValue();
    // The panel shown with the new token (each target's card has one too, closed).
    const onboarding = page.getByRole("region", { name: `Token for “${name}”` }).getByTestId("proxy-onboarding");
    const command = (await onboarding.getByLabel(`Connect a proxy to ${name}`, { exact: true }).textContent()) ?? "";
    expect(command).toContain(`export RAMPART_PORTAL_TOKEN=${token}`);
    expect(command).toContain(`curl -fsS -o rampart-portal-key.pem ${baseUrl()}/api/v1/delivery/signing-key.pem`);
    expect(command).toContain("export UPSTREAM_URL=http://127.0.0.1:9200");
    expect(command).toContain(`npm run proxy -- --portal ${baseUrl()} --portal-key rampart-portal-key.pem --upstream "$UPSTREAM_URL"`);
    await onboarding.getByText(/In Kubernetes/).click();
    expect(await onboarding.getByLabel("Kubernetes container", { exact: true }).textContent()).toContain("--token-file=/etc/rampart/target/token");

    const [download] = await Promise.all([page.waitForEvent("download"), onboarding.getByRole("link", { name: /Download the public key/ }).click()]);
    expect(download.suggestedFilename()).toBe("rampart-portal-key.pem");
    const key = (await (await fetch(`${baseUrl()}/api/v1/delivery/signing-key`)).json()) as { publicKeyPem: string };
    expect(readFileSync((await download.path())!, "utf8").trim()).toBe(key.publicKeyPem.trim());
    await page.getByRole("button", { name: "I have stored it" }).click();
    await context.close();
  });

  it("warns before saving a gateway with no application, and edits a target's applications afterwards", async () => {
    const gateway = `gw-${uniqueSuffix()}`;
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto("/delivery");
    await page.getByLabel("Name", { exact: true }).fill(gateway);
    await page.getByRole("button", { name: "Register target" }).click();
    await page.getByRole("alert").filter({ hasText: "A gateway with no applications receives an empty set" }).waitFor();
    await page.getByRole("button", { name: "Register without applications" }).click();
    await page.getByRole("button", { name: "I have stored it" }).click();

    const card = page.locator(`article[data-target="${gateway}"]`);
    await card.getByText("This gateway has no applications").waitFor();
    await card.getByText("Edit applications").click();
    await card.getByRole("checkbox", { name: new RegExp(slug) }).check();
    await card.getByRole("button", { name: "Save applications" }).click();
    await card
      .getByRole("region", { name: `Applications of ${gateway}` })
      .getByRole("rowheader", { name: slug })
      .waitFor();
    await expect.poll(() => card.getByText("This gateway has no applications").count()).toBe(0);
    await context.close();
  });
});

describe("finding things", () => {
  it("lists exceptions on /exceptions, filtered by application, each linked to its policy version", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.auditor);
    await page.goto("/exceptions");
    await page.getByLabel("Application").selectOption({ label: `Ledger ${slug} (${slug})` });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/applicationId=/);
    const table = page.getByRole("region", { name: "Exceptions" });
    await table.getByText("ledger-notes").waitFor();
    expect(await table.getByRole("row").count()).toBe(2);
    expect(await table.textContent()).toContain("xss.script-tag");
    await table.getByRole("link", { name: /Version 1/ }).click();
    await page.waitForURL(new RegExp(`/policies/${policyId}/versions/`));
    await context.close();
  });

  it("searches policies, and the audit log in words, with a CSV of the same filter", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto("/policies");
    await page.getByRole("searchbox", { name: "Search" }).fill(slug);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=/);
    const rows = page.getByRole("region", { name: /Application policies/ }).getByRole("row");
    await expect.poll(() => rows.count()).toBe(2);

    await page.goto("/audit?q=publish");
    await page.getByText("Publish a policy version").first().waitFor();
    const csv = page.getByRole("link", { name: "Download CSV" });
    const href = (await csv.getAttribute("href"))!;
    expect(href).toContain("q=publish");
    const response = await context.request.get(href);
    expect(response.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(await response.text()).toContain("policy.version.publish,Publish a policy version,success");
    await context.close();
  });
});

describe("a 390 px phone", () => {
  async function fits(page: Page, path: string) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} scrolls sideways`).toBeLessThanOrEqual(390);
  }

  it("shows the policy pages, the delivery, exceptions, approvals and audit pages without sideways scrolling", async () => {
    const context = await browser.newContext({ baseURL: baseUrl(), viewport: { width: 390, height: 844 } });
    await signInViaApi(context, ACCOUNTS.security);
    const page = await context.newPage();
    const policy = await (await context.request.get(`/api/v1/policies/${policyId}`)).json();
    // A draft too: the editor with its structured exception editor.
    const draft = await (await context.request.post(`/api/v1/policies/${policyId}/versions`, { data: {} })).json();
    for (const path of [
      "/policies",
      `/policies/${policyId}`,
      `/policies/${policyId}/versions/${policy.versions[0].id}`,
      `/policies/${policyId}/versions/${draft.id}`,
      `/policies/${policyId}/diff?from=${policy.versions[0].id}&to=${draft.id}`,
      "/delivery",
      "/exceptions",
      "/approvals",
      "/audit",
    ]) {
      await fits(page, path);
    }
    await context.close();
  });
});

describe("the questionnaire's first load", () => {
  it(`ships at most ${QUESTIONNAIRE_BUDGET_BYTES / 1024} KB of gzipped JavaScript`, async () => {
    const measured = await measurePageScripts(`${baseUrl()}/architecture/questionnaire`);
    console.log(`[daily-use] questionnaire first-load JS: ${(measured.gzipBytes / 1024).toFixed(1)} KB gzipped in ${measured.scripts.length} scripts`);
    expect(measured.scripts.length).toBeGreaterThan(0);
    expect(measured.gzipBytes).toBeLessThanOrEqual(QUESTIONNAIRE_BUDGET_BYTES);
  });
});
