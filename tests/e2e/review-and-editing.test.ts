// Editing and reviewing like code: a project lead adds a deny-rule exception with the
// structured editor (rule from the catalog, parameter and path from the OpenAPI document,
// expiry within the baseline's limit) and an allowed route, checks that the YAML tab
// round-trips, and submits; a security officer comments on a line of the diff, the author
// answers in the thread, and "request changes" sends the thread to the author. For a
// baseline, its author sees Approve disabled with the reason, and publishing asks for
// confirmation with the targets it reaches.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, baseUrl, launchBrowser, signedInPage, uniqueSuffix } from "./support/browser";
import { ensureBaselineForEveryEnvironment, examplePolicy, portalApi, publishWithFourEyes, signInCookie, type PortalApi } from "./support/portal-api";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let browser: Browser;
let lead: PortalApi;
let security: PortalApi;
let reviewer: PortalApi;
const slug = `orders-${uniqueSuffix()}`;
let policyId = "";
let draftPath = "";

beforeAll(async () => {
  browser = await launchBrowser();
  await ensureBaselineForEveryEnvironment(baseUrl());
  const sessions = await Promise.all(
    [ACCOUNTS.lead, ACCOUNTS.security, ACCOUNTS.securityReviewer].map(async (email) => portalApi(baseUrl(), await signInCookie(baseUrl(), email))),
  );
  [lead, security, reviewer] = sessions as [PortalApi, PortalApi, PortalApi];
  const teams = await lead<{ items: { id: string; slug: string }[] }>("GET", "/teams");
  const payments = teams.items.find((t) => t.slug === "payments")!;
  await lead("POST", "/applications", { teamId: payments.id, name: `Orders ${slug}`, slug, exposure: "internal", upstreamUrl: "http://127.0.0.1:9100" });
  // The payments API's example policy (its OpenAPI document among it), for this application, without its exception.
  const example = examplePolicy("app-payments-api.yaml") as Record<string, unknown> & { metadata: Record<string, unknown> };
  const content: Record<string, unknown> = { ...example, metadata: { ...example.metadata, application: slug } };
  delete content.exceptions;
  const created = await lead<{ id: string; draft: { id: string } }>("POST", "/policies", { content });
  policyId = created.id;
  await publishWithFourEyes({ author: lead, reviewer, publisher: security }, policyId, created.draft.id, "The orders API's first policy.");
  const draft = await lead<{ id: string }>("POST", `/policies/${policyId}/versions`, {});
  draftPath = `/policies/${policyId}/versions/${draft.id}`;
});
afterAll(async () => {
  await browser?.close();
});

async function openSection(page: import("playwright-core").Page, title: string) {
  const section = page.locator("details", { has: page.locator("summary", { hasText: title }) }).first();
  if ((await section.getAttribute("open")) === null) await section.locator("summary").click();
  return section;
}

describe("structured exception editing", () => {
  it("adds an exception from the rule catalog and the OpenAPI operations, with errors beside the fields", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draftPath);
    const section = await openSection(page, "Exceptions");
    await section.getByRole("button", { name: "Add an exception" }).click();
    const item = section.getByRole("group", { name: "Exception 1" });
    await item.getByLabel("Id").fill("search-notes");
    const rule = item.getByLabel("Rule");
    // Grouped by family, each rule described.
    expect(await rule.locator("optgroup[label='SQL injection'] option").count()).toBeGreaterThan(3);
    await rule.selectOption("rule:sqli.union-select");
    await expect.poll(() => item.getByText(/UNION … SELECT/).count()).toBeGreaterThan(0);
    await item.getByLabel("From the OpenAPI document").selectOption({ label: "GET /payments/search (searchPayments)" });
    expect(await item.getByLabel("Paths").inputValue()).toBe("/payments/search");
    expect(await item.getByRole("checkbox", { name: "GET" }).isChecked()).toBe(true);
    await item.getByText("From the OpenAPI document: q.").waitFor();
    await item.getByLabel("Parameter name").fill("q");
    // The date picker stops at the baseline's maximum lifetime.
    const expires = item.getByLabel("Expires");
    const max = await expires.getAttribute("max");
    expect(max).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Date.parse(max!) - Date.parse(new Date().toISOString().slice(0, 10))).toBe(180 * 86_400_000);
    // Too short a justification: the error stands beside the field.
    const justification = item.getByLabel("Justification");
    await justification.fill("Because.");
    await expect.poll(() => justification.getAttribute("aria-invalid")).toBe("true");
    expect(
      await item
        .locator(".field-error")
        .filter({ hasText: /Justification: .*at least 20 characters/ })
        .count(),
    ).toBe(1);
    await justification.fill("Support staff search free-text notes; the query is parameterised (PAY-412).");
    await item.getByLabel("Ticket").fill("SEC-2001");
    await expect.poll(() => justification.getAttribute("aria-invalid")).toBe("false");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Saved\. The draft is now at revision/ })
      .waitFor();
    await context.close();
  });

  it("picks allowed routes from the OpenAPI operations, and the YAML tab round-trips with the form", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draftPath);
    const routes = await openSection(page, "Allowed routes");
    await routes.getByRole("checkbox", { name: /GET \/payments\/search/ }).check();
    await routes.getByRole("checkbox", { name: /POST \/payments searchPayments|POST \/payments createPayment/ }).check();
    await page.getByRole("tab", { name: "YAML" }).click();
    const source = page.getByLabel("Policy document (YAML)");
    const yaml = await source.inputValue();
    expect(yaml).toContain("ruleId: sqli.union-select");
    expect(yaml).toMatch(/allow:\n {2}- path: \/payments\/search\n {4}methods:\n {6}- GET/);
    // The author's order: the document starts as it was written, not re-sorted.
    expect(yaml.indexOf("apiVersion")).toBeLessThan(yaml.indexOf("metadata"));
    expect(yaml).toContain("ticket: SEC-2001");
    await source.fill(yaml.replace("ticket: SEC-2001", "ticket: SEC-2002"));
    await page.getByRole("tab", { name: "Form" }).click();
    const section = await openSection(page, "Exceptions");
    expect(await section.getByRole("group", { name: "Exception 1" }).getByLabel("Ticket").inputValue()).toBe("SEC-2002");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Saved\./ })
      .waitFor();
    await page.getByLabel("Why this change?").fill("Free-text search of payment notes, and only the routes we serve.");
    await page.getByRole("button", { name: "Submit for review" }).click();
    await page.getByText(/its content can no longer change/).waitFor();
    await context.close();
  });
});

describe("review like a code review", () => {
  it("a security officer reads the folded diff and comments on a line", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto(draftPath);
    await page.getByRole("link", { name: /Compare with version 1/ }).click();
    await page.waitForURL(/\/diff\?/);
    const table = page.getByRole("table", { name: /side by side/ });
    // The long OpenAPI document did not change: folded, and opened on demand.
    const fold = table.getByRole("button", { name: /^Show \d+ unchanged lines/ }).first();
    await fold.waitFor();
    const rowsBefore = await table.getByRole("row").count();
    await fold.click();
    await expect.poll(() => table.getByRole("row").count()).toBeGreaterThan(rowsBefore);
    const line = table.getByRole("row").filter({ hasText: "ruleId: sqli.union-select" });
    await line.getByRole("button", { name: /^Comment on line \d+$/ }).click();
    await page.getByRole("textbox", { name: /^Comment on line \d+$/ }).fill("One rule is right; could it be limited to GET only?");
    await page.getByRole("button", { name: "Add comment" }).click();
    await table.getByTestId("review-thread").filter({ hasText: "could it be limited to GET only?" }).waitFor();
    await context.close();
  });

  it("the author sees the thread on the version and answers in it", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(draftPath);
    const comments = page.getByRole("region", { name: /Review comments/ });
    const thread = comments.getByTestId("review-thread");
    await thread.getByText("could it be limited to GET only?").waitFor();
    expect(await thread.textContent()).toContain("ruleId: sqli.union-select");
    await thread.getByRole("button", { name: "Reply" }).click();
    await thread.getByLabel("Reply").fill("It already is: methods lists GET alone.");
    await thread.getByRole("button", { name: "Reply" }).last().click();
    await thread.getByText("It already is: methods lists GET alone.").waitFor();
    await context.close();
  });

  it("request changes collects the open comments and sends them to the author", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto(draftPath);
    await page.getByRole("button", { name: "Request changes…" }).click();
    await page.getByText("The 2 open inline comments go to the author with this request.").waitFor();
    await page.getByLabel("What should change?").fill("See the inline comments: narrow the exception's path.");
    await page.getByRole("button", { name: /^Request changes version \d+$/ }).click();
    await page
      .getByText(/sent with a request for changes/)
      .first()
      .waitFor();
    await context.close();

    const author = await signedInPage(browser, ACCOUNTS.lead);
    await author.page.goto("/notifications");
    const notice = author.page.getByRole("list", { name: "Notifications" }).getByRole("listitem").filter({ hasText: "sent back for changes" }).first();
    await expect.poll(() => notice.textContent()).toContain("Inline comments (2)");
    expect(await notice.textContent()).toContain("could it be limited to GET only?");
    await author.context.close();
  });
});

describe("four eyes and publishing", () => {
  const environment = `review-${uniqueSuffix()}`;
  let baselinePath = "";

  beforeAll(async () => {
    const created = await security<{ id: string; draft: { id: string } }>("POST", "/policies", {
      content: { apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name: "standard", environment } },
    });
    baselinePath = `/policies/${created.id}/versions/${created.draft.id}`;
    // The page path is also the API path of the version (under /api/v1).
    await security("POST", `${baselinePath}/submit`, { summary: "A baseline for the review environment." }, 1);
    await security("POST", "/delivery/targets", { kind: "proxy", name: `edge-${environment}`, mode: "gateway", environment, applicationIds: [] });
  });

  it("shows the author Approve disabled, with the reason beside it", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto(baselinePath);
    const approve = page.getByRole("button", { name: "Approve…" });
    expect(await approve.isDisabled()).toBe(true);
    const reason = await page.locator(`[id="${await approve.getAttribute("aria-describedby")}"]`).textContent();
    expect(reason).toContain("Four eyes: this is your own change");
    await context.close();
  });

  it("asks for confirmation before publishing, naming the targets it reaches", async () => {
    const approver = await signedInPage(browser, ACCOUNTS.securityReviewer);
    await approver.page.goto(baselinePath);
    await approver.page.getByRole("button", { name: "Approve…" }).click();
    await approver.page.getByLabel("Comment").fill("Second pair of eyes: fine.");
    await approver.page.getByRole("button", { name: /^Approve version \d+$/ }).click();
    await approver.page.getByRole("button", { name: "Publish…" }).click();
    const dialog = approver.page.getByRole("alertdialog", { name: /^Publish version 1\?$/ });
    expect(await dialog.textContent()).toContain("becomes the first version in force");
    expect(await dialog.textContent()).toContain(`edge-${environment}`);
    expect(await dialog.textContent()).toContain("no live proxy now");
    // Cancel first: nothing happens.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => approver.page.getByRole("alertdialog").count()).toBe(0);
    await approver.page.getByRole("button", { name: "Publish…" }).click();
    await approver.page.getByRole("alertdialog").getByRole("button", { name: "Publish version 1" }).click();
    await approver.page.getByText("This is the version in force.").waitFor();
    await approver.context.close();
  });
});
