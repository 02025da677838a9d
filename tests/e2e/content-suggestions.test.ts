// Content profiles, suggested (issue #21): a project lead opens the draft of a forum's
// first policy, whose OpenAPI specification marks no field as free text. The editor
// points at the post's `body` and the ticket comment's `message`; the lead marks `body`
// as markdown, dismisses `message`, and saves — the same save as any edit, audited. Once
// published, the effective policy lists `body` with its markdown profile.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, baseUrl, launchBrowser, signedInPage, uniqueSuffix } from "./support/browser";
import { ensureBaselineForEveryEnvironment, portalApi, publishWithFourEyes, signInCookie, type PortalApi } from "./support/portal-api";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let browser: Browser;
let lead: PortalApi;
let security: PortalApi;
let reviewer: PortalApi;
let auditor: PortalApi;
const slug = `forum-${uniqueSuffix()}`;

const SPEC = {
  openapi: "3.1.0",
  info: { title: "Forum API", version: "1.0.0" },
  paths: {
    "/threads/{threadId}/posts": {
      parameters: [{ name: "threadId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      post: {
        operationId: "createPost",
        requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/NewPost" } } } },
        responses: { "201": { description: "Created" } },
      },
    },
    "/tickets/{ticketId}/comments": {
      post: {
        operationId: "commentTicket",
        parameters: [{ name: "ticketId", in: "path", required: true, schema: { type: "integer" } }],
        requestBody: {
          content: {
            "application/json": {
              schema: {
                type: "object",
                additionalProperties: false,
                properties: { message: { type: "string" }, visibility: { enum: ["public", "internal"] } },
              },
            },
          },
        },
        responses: { "201": { description: "Created" } },
      },
    },
  },
  components: {
    schemas: {
      NewPost: {
        type: "object",
        additionalProperties: false,
        required: ["body"],
        properties: { body: { type: "string", maxLength: 20000 }, replyTo: { type: "string", format: "uuid" } },
      },
    },
  },
};

beforeAll(async () => {
  browser = await launchBrowser();
  await ensureBaselineForEveryEnvironment(baseUrl());
  const sessions = await Promise.all(
    [ACCOUNTS.lead, ACCOUNTS.security, ACCOUNTS.securityReviewer, ACCOUNTS.auditor].map(async (email) =>
      portalApi(baseUrl(), await signInCookie(baseUrl(), email)),
    ),
  );
  [lead, security, reviewer, auditor] = sessions as [PortalApi, PortalApi, PortalApi, PortalApi];
});
afterAll(async () => {
  await browser?.close();
});

/** A forum application and the draft of its first policy, with the unmarked specification. */
async function forumDraft(): Promise<{ applicationId: string; policyId: string; versionId: string }> {
  const teams = await lead<{ items: { id: string; slug: string }[] }>("GET", "/teams");
  const payments = teams.items.find((t) => t.slug === "payments")!;
  const application = await lead<{ id: string }>("POST", "/applications", {
    teamId: payments.id,
    name: `Forum ${slug}`,
    slug,
    exposure: "internal",
    upstreamUrl: "http://127.0.0.1:9300",
  });
  const content = {
    apiVersion: "rampart.dev/v1alpha1",
    kind: "ApplicationPolicy",
    metadata: { application: slug, applicationVersion: "1.0.0" },
    openapi: { validation: "block", spec: SPEC },
  };
  const created = await lead<{ id: string; draft: { id: string } }>("POST", "/policies", { content });
  return { applicationId: application.id, policyId: created.id, versionId: created.draft.id };
}

describe("content markings suggested in the policy editor", () => {
  it("points at free-text fields, marks one as the draft's change, saves it audited, and the effective policy shows its profile", async () => {
    const { applicationId, policyId, versionId } = await forumDraft();
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto(`/policies/${policyId}/versions/${versionId}`);
    const suggestions = page.getByRole("region", { name: "Fields that look like free text" });
    const body = suggestions.getByRole("listitem", { name: "Suggestion: body field /body" });
    const message = suggestions.getByRole("listitem", { name: "Suggestion: body field /message" });
    await body.waitFor();
    expect(await body.textContent()).toContain("POST /threads/{threadId}/posts");
    expect(await body.textContent()).toContain("maxLength 20000");
    expect(await message.textContent()).toContain("its name (message) suggests free text");
    // Identifiers are not suggested, whatever their name.
    expect(await suggestions.getByText("/replyTo").count()).toBe(0);

    // Dismissed, a suggestion goes away; nothing changes in the draft.
    await message.getByRole("button", { name: "Dismiss" }).click();
    await expect.poll(() => message.count()).toBe(0);
    expect(await page.getByText("Save your changes before submitting.").count()).toBe(0);

    // Accepted, it is an unsaved change of the draft like any other.
    await body.getByLabel("Profile for body field /body").selectOption("markdown");
    await body.getByRole("button", { name: "Mark body field /body as markdown" }).click();
    await body.getByText(/Marked as markdown in this draft/).waitFor();
    await page.getByText("Save your changes before submitting.").waitFor();
    await page.getByRole("button", { name: "Save draft" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Saved\. The draft is now at revision 2/ })
      .waitFor();
    // The saved revision marks the field, so nothing is suggested for that operation any more.
    await expect.poll(() => body.count()).toBe(0);
    await context.close();

    const saved = await lead<{ content: { openapi: { spec: typeof SPEC } } }>("GET", `/policies/${policyId}/versions/${versionId}`);
    expect(saved.content.openapi.spec.components.schemas.NewPost.properties.body).toEqual({
      type: "string",
      maxLength: 20000,
      "x-rampart-content": "markdown",
    });
    const audit = await auditor<{ items: Array<{ action: string; actor: unknown }> }>("GET", `/audit-events?action=policy.draft.update&targetId=${versionId}`);
    expect(audit.items.map((event) => event.action)).toEqual(["policy.draft.update"]);

    await publishWithFourEyes({ author: lead, reviewer, publisher: security }, policyId, versionId, "Posts are markdown that carries code.");
    const viewer = await signedInPage(browser, ACCOUNTS.developer);
    await viewer.page.goto(`/policies/applications/${applicationId}`);
    const fields = viewer.page.getByRole("table", { name: /Fields and content profiles/ });
    const row = fields.getByRole("row", { name: /POST \/threads\/\{threadId\}\/posts body \/body/ });
    await expect.poll(() => row.textContent()).toContain("markdown profile (free text");
    const messageRow = fields.getByRole("row", { name: /POST \/tickets\/\{ticketId\}\/comments body \/message/ });
    expect(await messageRow.textContent()).toContain("undescribed: full baseline");
    await viewer.context.close();
  });
});
