// The review story in the browser: a developer submits a change to the payments worker's
// policy that loosens it (a new SQL-injection exception); a security officer finds it in
// the queue with its risk flags, fails to reject it without a comment, rejects it with
// one; the developer reads the decision (notification and state), fixes it in a new
// draft and submits again; a second officer approves it and the first publishes it. An
// officer cannot approve their own baseline change. Then the role-denial specs: the
// queue is the reviewers' page and API. API calls only set up preconditions.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { ACCOUNTS, baseUrl, fetchFromPage, launchBrowser, signedInPage, uniqueSuffix, publishViaConfirmation } from "./support/browser";
import { ensureBaselineForEveryEnvironment } from "./support/portal-api";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const SECOND_OFFICER = "security2@rampart.local";
const WORKER = "payments-worker";

let browser: Browser;
let workerAppId = "";
let policyId = "";

beforeAll(async () => {
  browser = await launchBrowser();
  ({ workerAppId, policyId } = await ensureWorkerPolicy());
});
afterAll(async () => {
  await browser?.close();
});

/** Takes a version through submit → approve (second officer) → publish by the API. */
async function publishViaApi(author: Page, reviewer: Page, id: string, version: { id: string; version: number }) {
  const submitted = await fetchFromPage(author, `/api/v1/policies/${id}/versions/${version.id}/submit`, {
    method: "POST",
    headers: { "if-match": `"${version.version}"` },
    body: { summary: "Set-up for the approvals browser test." },
  });
  expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
  const approved = await fetchFromPage(reviewer, `/api/v1/policies/${id}/versions/${version.id}/approve`, {
    method: "POST",
    headers: { "if-match": `"${submitted.json.version}"` },
    body: { note: "Set-up." },
  });
  expect(approved.status, JSON.stringify(approved.json)).toBe(200);
  const published = await fetchFromPage(reviewer, `/api/v1/policies/${id}/versions/${version.id}/publish`, {
    method: "POST",
    headers: { "if-match": `"${approved.json.version}"` },
  });
  expect(published.status, JSON.stringify(published.json)).toBe(200);
}

/** A published baseline and a published policy of the payments worker with no open draft (made through the API unless they exist). */
async function ensureWorkerPolicy(): Promise<{ workerAppId: string; policyId: string }> {
  const officer = await signedInPage(browser, ACCOUNTS.security);
  const reviewer = await signedInPage(browser, SECOND_OFFICER);
  const lead = await signedInPage(browser, ACCOUNTS.lead);
  try {
    await ensureBaselineForEveryEnvironment(baseUrl());
    const apps = await fetchFromPage(lead.page, `/api/v1/applications?q=${WORKER}`);
    const app = apps.json.items.find((a: { slug: string }) => a.slug === WORKER);
    expect(app, "the seeded payments worker").toBeTruthy();
    const existing = await fetchFromPage(lead.page, `/api/v1/policies?kind=application&q=${WORKER}`);
    const found = existing.json.items.find((p: { name: string }) => p.name === WORKER);
    if (found) return { workerAppId: app.id, policyId: found.id };
    const content = {
      apiVersion: "rampart.dev/v1alpha1",
      kind: "ApplicationPolicy",
      metadata: { application: WORKER, applicationVersion: "1.4.0" },
      methods: { allowed: ["GET", "HEAD", "POST", "OPTIONS"] },
      limits: { maxBodyBytes: 65536 },
    };
    const created = await fetchFromPage(lead.page, "/api/v1/policies", { method: "POST", body: { content } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    await publishViaApi(lead.page, reviewer.page, created.json.id, { id: created.json.draft.id, version: 1 });
    return { workerAppId: app.id, policyId: created.json.id };
  } finally {
    await Promise.all([officer.context.close(), reviewer.context.close(), lead.context.close()]);
  }
}

/** Starts a draft of the worker's policy from the version in force, as the signed-in user; returns its path. */
async function startDraft(page: Page): Promise<string> {
  await page.goto(`/policies/${policyId}`);
  await page.getByRole("button", { name: "Start a new draft" }).click();
  await page.waitForURL(/\/policies\/[0-9a-f-]{36}\/versions\/[0-9a-f-]{36}$/);
  await page.getByRole("heading", { name: /Edit draft version \d+/ }).waitFor();
  return new URL(page.url()).pathname;
}

/** Edits the draft on the page in its YAML view, saves it and submits it with a summary. */
async function editSaveSubmit(page: Page, edit: (document: Record<string, any>) => void, summary: string) {
  await page.getByRole("tab", { name: "YAML" }).click();
  const source = page.getByLabel("Policy document (YAML)");
  const document = parseYaml(await source.inputValue()) as Record<string, any>;
  edit(document);
  await source.fill(toYaml(document));
  await expect.poll(() => source.getAttribute("aria-invalid")).toBe("false");
  await page.getByRole("button", { name: "Save draft" }).click();
  await page
    .getByRole("status")
    .filter({ hasText: /Saved\. The draft is now at revision/ })
    .waitFor();
  await page.getByLabel("Why this change?").fill(summary);
  await page.getByRole("button", { name: "Submit for review" }).click();
  await page.getByText("Submitted for review").first().waitFor();
}

/** The queue entry of a version, found by its heading. */
function queueEntry(page: Page, name: string, number: number): Locator {
  return page
    .getByRole("list", { name: "Pending changes" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: `${name} · version ${number}` }) });
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe("the review story: submit → risk flags → reject with comment → fix → approve by another officer → publish", () => {
  const loosened = { path: "", number: 0 };
  const fixed = { path: "", number: 0 };

  it("a developer submits a change that loosens the policy", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.developer);
    loosened.path = await startDraft(page);
    loosened.number = Number(/Edit draft version (\d+)/.exec((await page.getByRole("heading", { name: /Edit draft version/ }).textContent()) ?? "")![1]);
    await editSaveSubmit(
      page,
      (document) => {
        document.exceptions = [
          {
            id: "search-quotes",
            family: "sqli",
            part: "parameter",
            name: "q",
            conditions: { paths: ["/search/**"] },
            justification: "Reconciliation search takes free text with quotes.",
            expires: inDays(60),
          },
        ];
      },
      "Reconciliation search is blocked by the SQL injection rules.",
    );
    await context.close();
  });

  it("a security officer sees it in the queue with its risk flags, and cannot reject it without a comment", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto(`/approvals?applicationId=${workerAppId}`);
    const entry = queueEntry(page, WORKER, loosened.number);
    await entry.waitFor();
    expect(await entry.textContent()).toContain("Reconciliation search is blocked by the SQL injection rules.");
    const flags = entry.getByRole("list", { name: "Risk flags" });
    await expect.poll(() => flags.textContent()).toContain("New exception");

    await entry.getByRole("button", { name: "Reject" }).click();
    await entry.getByRole("alert").filter({ hasText: "A decision needs a comment" }).waitFor();
    await expect.poll(() => entry.getByLabel("Comment").getAttribute("aria-invalid")).toBe("true");

    await entry.getByLabel("Comment").fill("An SQL injection exception for every search path is too broad: name the one endpoint.");
    await entry.getByRole("button", { name: "Reject" }).click();
    await expect.poll(() => queueEntry(page, WORKER, loosened.number).count()).toBe(0);
    await context.close();
  });

  it("the developer reads the decision in a notification and on the version, and fixes it in a new draft", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.developer);
    await page.goto("/");
    await page.getByRole("link", { name: /^Notifications: [1-9]\d* unread$/ }).click();
    await page.waitForURL("**/notifications");
    const notice = page
      .getByRole("list", { name: "Notifications" })
      .getByRole("listitem")
      .filter({ hasText: `rejected policy ${WORKER} version ${loosened.number}` });
    expect(await notice.textContent()).toContain("too broad: name the one endpoint");
    await notice.getByRole("link").click();
    await page.waitForURL(`**${loosened.path}`);
    await page.getByRole("heading", { name: new RegExp(`Version ${loosened.number} of .*Rejected`) }).waitFor();
    expect(await page.getByText("Review note").count()).toBe(1);
    await page.getByText(/too broad: name the one endpoint/).waitFor();

    // "My changes" shows where it stands too.
    await page.goto("/approvals/mine");
    const row = page
      .getByRole("region", { name: "Your changes in review" })
      .getByRole("row")
      .filter({ hasText: `version ${loosened.number}` })
      .filter({ hasText: WORKER });
    expect(await row.textContent()).toContain("Rejected");

    fixed.path = await startDraft(page);
    fixed.number = Number(/Edit draft version (\d+)/.exec((await page.getByRole("heading", { name: /Edit draft version/ }).textContent()) ?? "")![1]);
    expect(fixed.number).toBeGreaterThan(loosened.number);
    await editSaveSubmit(
      page,
      (document) => {
        document.limits = { ...document.limits, maxBodyBytes: 32768 };
      },
      "No exception after all: the search endpoint escapes its input now. Smaller bodies while at it.",
    );
    await context.close();
  });

  it("shows no decision buttons to the author, the project lead or the auditor", async () => {
    for (const email of [ACCOUNTS.developer, ACCOUNTS.lead, ACCOUNTS.auditor]) {
      const { context, page } = await signedInPage(browser, email);
      await page.goto(fixed.path);
      await page.getByRole("heading", { name: /Submitted for review/ }).waitFor();
      for (const name of [/^Approve/, /^Reject/, /^Request changes/, /^Publish/]) {
        expect(await page.getByRole("button", { name }).count(), `${email}: ${name}`).toBe(0);
      }
      await context.close();
    }
  });

  it("a second security officer approves the fixed version from the queue", async () => {
    const { context, page } = await signedInPage(browser, SECOND_OFFICER);
    await page.goto(`/approvals?applicationId=${workerAppId}`);
    const entry = queueEntry(page, WORKER, fixed.number);
    await entry.waitFor();
    // The diff against the version in force, folded away until asked for.
    await entry.locator("details > summary").click();
    expect(await entry.getByRole("list", { name: "Changes" }).textContent()).toContain("lowers the request body size limit");
    await entry.getByLabel("Comment").fill("Tightens the body limit; no exception needed. Approved.");
    await entry.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => queueEntry(page, WORKER, fixed.number).count()).toBe(0);
    await context.close();
  });

  it("a security officer publishes it, and the author sees it in force", async () => {
    const officer = await signedInPage(browser, ACCOUNTS.security);
    await officer.page.goto(fixed.path);
    await publishViaConfirmation(officer.page);
    await expect.poll(() => officer.page.getByText("This is the version in force.").count()).toBe(1);
    await officer.context.close();

    const { context, page } = await signedInPage(browser, ACCOUNTS.developer);
    await page.goto("/notifications");
    const list = page.getByRole("list", { name: "Notifications" });
    await list.getByText(`approved policy ${WORKER} version ${fixed.number}`).waitFor();
    await list.getByText(`published policy ${WORKER} version ${fixed.number}`).waitFor();
    await page.goto("/approvals/mine");
    const row = page
      .getByRole("region", { name: "Your changes in review" })
      .getByRole("row")
      .filter({ hasText: `version ${fixed.number}` })
      .filter({ hasText: WORKER });
    expect(await row.textContent()).toContain("Published");
    await context.close();
  });
});

describe("four eyes in the queue", () => {
  it("offers an officer no Approve for their own baseline change (and refuses it); another officer requests changes instead", async () => {
    const officer = await signedInPage(browser, ACCOUNTS.security);
    const environment = `e2e-${uniqueSuffix()}`;
    // Precondition: a baseline for an environment no application uses, submitted by the officer who wrote it.
    const content = { apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name: "four-eyes", environment } };
    const created = await fetchFromPage(officer.page, "/api/v1/policies", { method: "POST", body: { content } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const submitted = await fetchFromPage(officer.page, `/api/v1/policies/${created.json.id}/versions/${created.json.draft.id}/submit`, {
      method: "POST",
      headers: { "if-match": '"1"' },
      body: { summary: `A baseline for ${environment}.` },
    });
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);

    await officer.page.goto("/approvals?kind=baseline&sort=newest");
    const own = queueEntry(officer.page, "Baseline four-eyes", 1);
    // The author is not offered Approve: disabled, with the reason beside it (the server refuses it all the same).
    const approve = own.getByRole("button", { name: "Approve" });
    expect(await approve.isDisabled()).toBe(true);
    expect(await own.locator(`[id="${await approve.getAttribute("aria-describedby")}"]`).textContent()).toContain("Your own change");
    const refused = await fetchFromPage(officer.page, `/api/v1/approvals/${created.json.draft.id}/approve`, {
      method: "POST",
      headers: { "if-match": `"${submitted.json.version}"` },
      body: { note: "Looks good to me." },
    });
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toMatch(/Four eyes: a baseline change needs a security officer other than its author/);
    await officer.context.close();

    const second = await signedInPage(browser, SECOND_OFFICER);
    await second.page.goto("/approvals?kind=baseline&sort=newest");
    const theirs = queueEntry(second.page, "Baseline four-eyes", 1);
    await theirs.getByLabel("Comment").fill("Say which environment needs its own baseline, and why.");
    await theirs.getByRole("button", { name: "Request changes" }).click();
    await expect.poll(() => queueEntry(second.page, "Baseline four-eyes", 1).count()).toBe(0);
    await second.page.goto(`/policies/${created.json.id}/versions/${created.json.draft.id}`);
    await second.page.getByText("Changes requested").waitFor();
    await second.context.close();
  });
  it("names who edited a change besides its author: in the queue, on the version page and in the version history", async () => {
    const author = await signedInPage(browser, ACCOUNTS.security);
    const editor = await signedInPage(browser, SECOND_OFFICER);
    const environment = `e2e-${uniqueSuffix()}`;
    // Precondition: one officer's baseline draft, changed by the second officer, submitted by its author.
    const content = { apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name: "edited-by", environment } };
    const created = await fetchFromPage(author.page, "/api/v1/policies", { method: "POST", body: { content } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const versionPath = `/policies/${created.json.id}/versions/${created.json.draft.id}`;
    const edited = await fetchFromPage(editor.page, `/api/v1${versionPath}`, {
      method: "PUT",
      headers: { "if-match": '"1"' },
      body: { content: { ...content, metadata: { ...content.metadata, description: "Changed by the second officer." } } },
    });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    const submitted = await fetchFromPage(author.page, `/api/v1${versionPath}/submit`, {
      method: "POST",
      headers: { "if-match": `"${edited.json.version}"` },
      body: { summary: `A baseline for ${environment}, edited by two officers.` },
    });
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
    await editor.context.close();
    const [authorName, editorName] = ["Sam Security", "Sasha Security"];

    const { page } = author;
    await page.goto("/approvals?kind=baseline&sort=newest");
    const entry = queueEntry(page, "Baseline edited-by", 1);
    await entry.waitFor();
    expect(await entry.textContent()).toContain(`by ${authorName}, edited by ${editorName}`);

    await page.goto(versionPath);
    const editedBy = page.locator("dl.details > div").filter({ has: page.locator("dt", { hasText: /^Edited by$/ }) });
    expect(await editedBy.locator("dd").textContent()).toBe(editorName);

    await page.goto(`/policies/${created.json.id}`);
    const row = page.getByRole("table", { name: "Version history" }).getByRole("row").filter({ hasText: "Version 1" });
    expect(await row.textContent()).toContain(`${authorName}edited by ${editorName}`);
    await author.context.close();
  });
});

describe("role denial", () => {
  async function expectForbiddenPage(page: Page, path: string) {
    const response = await page.goto(path);
    expect(response?.status(), `status of ${path}`).toBe(403);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("You don't have access to this page");
  }

  it.each([
    ["a developer", ACCOUNTS.developer],
    ["a project lead", ACCOUNTS.lead],
    ["an auditor", ACCOUNTS.auditor],
  ])("%s gets the 403 page for the queue, no decision buttons, and a 403 from the API that is audited", async (_role, email) => {
    const { context, page } = await signedInPage(browser, email);
    await expectForbiddenPage(page, "/approvals");
    expect(await page.getByRole("button", { name: /^(Approve|Reject|Request changes)$/ }).count()).toBe(0);
    expect((await fetchFromPage(page, "/api/v1/approvals")).status).toBe(403);
    const attempt = await fetchFromPage(page, `/api/v1/approvals/${crypto.randomUUID()}/approve`, {
      method: "POST",
      headers: { "if-match": '"1"' },
      body: { note: "I approve." },
    });
    expect(attempt.status).toBe(403);
    expect(attempt.json.code).toBe("FORBIDDEN");
    await context.close();

    const auditor = await signedInPage(browser, ACCOUNTS.auditor);
    const events = await fetchFromPage(auditor.page, `/api/v1/audit-events?outcome=denied&action=api.approveApproval&pageSize=100`);
    expect(events.status, JSON.stringify(events.json)).toBe(200);
    expect(events.json.items.some((e: { actorLabel: string }) => e.actorLabel === email)).toBe(true);
    await auditor.context.close();
  });

  it("the security officer gets the queue", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    const response = await page.goto("/approvals");
    expect(response?.status()).toBe(200);
    await page.getByRole("heading", { level: 1, name: "Approvals" }).waitFor();
    await context.close();
  });
});
