// The architecture decision end to end, as a team new to Rampart would go through it:
// answer the questionnaire without an account (partly by keyboard alone), get a
// recommendation, sign in, save it for an application, export the Markdown, have a
// security officer accept it, and find the decision on the application's page.
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ACCOUNTS, launchBrowser, newContext, signedInPage, signInViaForm } from "./support/browser";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const focusedName = (page: Page) => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name ?? document.activeElement?.tagName);
const heading = (page: Page) => page.locator("#step-heading");
const question = (page: Page, text: string) => page.getByRole("group", { name: text });

let decisionPath = "";
let reference = "";

// These tests build on each other (one decision's life), and the file runs serially.
describe("a team decides on its architecture", () => {
  it("answers the questionnaire as a new user, resumes the draft, and gets a recommendation", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto("/architecture/questionnaire");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Which architecture fits your applications?");
    expect(await heading(page).textContent()).toBe("Your workloads");
    expect(await page.locator('[aria-current="step"]').textContent()).toContain("Your workloads");

    // Keyboard only: Enter on Next with nothing answered names the problem and focuses the first question.
    await page.keyboard.press("Tab");
    await page.getByRole("button", { name: "Next" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("Answer every question");
    await expect.poll(() => focusedName(page)).toBe("classicWorkloads");
    await page.keyboard.press("Space"); // "Yes, some applications run outside Kubernetes"
    await page.keyboard.press("Tab"); // into "How many … run in Kubernetes?"
    await page.keyboard.press("ArrowDown"); // None → Some of them
    await page.keyboard.press("Tab"); // into "How much Kubernetes know-how …?"
    await page.keyboard.press("ArrowDown"); // Low → Medium
    await page.keyboard.press("Tab"); // the Next button
    await page.keyboard.press("Enter");
    await expect.poll(() => heading(page).textContent()).toBe("Your security model");
    // Focus follows to the new screen's heading, so a screen reader announces it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("step-heading");
    expect(await question(page, "Do applications outside Kubernetes need protection?").count()).toBe(0);

    await question(page, "Do you want an edge layer in front of all applications?").getByLabel("Yes, we want one edge layer").check();
    await question(page, "Must every service check every request, even inside the cluster (zero trust)?")
      .getByLabel("Yes, every service checks every request")
      .check();
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => heading(page).textContent()).toBe("Who maintains security");
    await page.getByLabel("Yes, teams maintain their applications' rules").check();
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => heading(page).textContent()).toBe("How you release");
    await page.getByLabel("Moderately: a few times a quarter").check();
    await page.getByLabel("No, policy can be managed separately").check();
    await page.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => heading(page).textContent()).toBe("Review");

    // Every step was saved as a draft; its link brings the answers back.
    await expect.poll(() => new URL(page.url()).searchParams.get("draft")).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("saved as a draft");
    const draftLink = page.url();
    const later = await context.newPage();
    await later.goto(draftLink);
    await expect.poll(() => heading(later).textContent()).toBe("Review");
    expect(await later.getByText("Yes, some applications run outside Kubernetes").count()).toBe(1);
    await later.close();

    await page.getByRole("link", { name: "See the recommendation" }).click();
    await page.waitForURL("**/architecture/result?**");
    const verdict = page.getByTestId("recommended-architecture");
    expect(await verdict.getAttribute("data-architecture")).toBe("A");
    expect(await verdict.textContent()).toContain("Gateway with Microgateways");
    // The trade-off the team accepts: reasons, the component comparison and the policy split.
    expect(await page.getByRole("heading", { name: "Why: what each answer did" }).count()).toBe(1);
    expect(await page.getByRole("row", { name: /Security model/ }).textContent()).toContain("Zero trust");
    expect(await page.getByRole("row", { name: /IP allow and deny lists/ }).textContent()).toContain("Gateway");
    expect(await page.getByRole("heading", { name: "What would change the recommendation" }).count()).toBe(1);

    // Printable: controls and navigation drop out, the recommendation stays.
    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("button", { name: "Print this result" }).isVisible()).toBe(false);
    expect(await page.getByRole("banner").first().isVisible()).toBe(false);
    expect(await verdict.isVisible()).toBe(true);
    await page.emulateMedia({ media: "screen" });

    // Signing in comes back to this result.
    await page.getByRole("link", { name: "Sign in to save this result" }).click();
    await page.waitForURL("**/sign-in?next=**");
    await signInViaForm(page, ACCOUNTS.lead);
    await page.waitForURL("**/architecture/result?**");
    expect(await page.getByTestId("recommended-architecture").getAttribute("data-architecture")).toBe("A");

    // Save it for one application of the lead's team.
    expect(await page.getByLabel("Team").locator("option").allTextContents()).toEqual(["Payments"]);
    await page.getByRole("checkbox", { name: /^Payments API/ }).check();
    expect(await page.getByRole("radio", { name: /A — Gateway with Microgateways \(recommended\)/ }).isChecked()).toBe(true);
    await page.getByLabel("Context").fill("The shop's Kubernetes migration is half done; ERP stays on VMs.");
    await page.getByRole("button", { name: "Propose decision record" }).click();
    await page.waitForURL(/\/architecture\/decisions\/[0-9a-f-]{36}$/);
    decisionPath = new URL(page.url()).pathname;
    const title = (await page.getByRole("heading", { level: 1 }).textContent()) ?? "";
    reference = title.split(":")[0]!;
    expect(reference).toMatch(/^ADR-\d{4}$/);
    expect(title).toContain("Protect Payments API with architecture A");
    expect(await page.getByTestId("decision-status").textContent()).toBe("Proposed");

    // The Markdown export, downloaded as a file.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download Markdown" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^adr-\d{4}-protect-payments-api-with-architecture-a.*\.md$/);
    const markdown = await readFile((await download.path())!, "utf8");
    expect(markdown.startsWith(`# ${reference}: Protect Payments API with architecture A`)).toBe(true);
    expect(markdown).toContain("- Status: Proposed, awaiting acceptance by a security officer");
    expect(markdown).toContain("The shop's Kubernetes migration is half done; ERP stays on VMs.");
    expect(markdown).toContain("## Alternatives considered");
    await context.close();
  });

  it("shows the proposal on the application's page until a security officer accepts it", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.lead);
    await page.goto("/applications");
    await page.getByRole("link", { name: "Payments API" }).click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    const panel = page.getByTestId("effective-architecture");
    expect(await panel.getAttribute("data-architecture")).toBe("none");
    expect(await panel.textContent()).toContain(`Awaiting acceptance: ${reference} (architecture A)`);
    // The lead cannot accept their own team's proposal.
    await page.goto(decisionPath);
    expect(await page.getByRole("button", { name: `Accept ${reference}` }).count()).toBe(0);
    await context.close();
  });

  it("lets a security officer accept it, and the application page then shows the decision in force", async () => {
    const officer = await signedInPage(browser, ACCOUNTS.security);
    await officer.page.goto(decisionPath);
    await officer.page.getByRole("button", { name: `Accept ${reference}` }).click();
    await officer.page.getByRole("button", { name: `Yes, accept ${reference}` }).click();
    await expect.poll(() => officer.page.getByTestId("decision-status").textContent()).toBe("Accepted");
    await officer.context.close();

    const { context, page } = await signedInPage(browser, ACCOUNTS.developer);
    await page.goto("/applications");
    await page.getByRole("link", { name: "Payments API" }).click();
    await page.waitForURL(/\/applications\/[0-9a-f-]{36}$/);
    const panel = page.getByTestId("effective-architecture");
    expect(await panel.getAttribute("data-architecture")).toBe("A");
    const text = (await panel.textContent()) ?? "";
    expect(text).toContain(`A — Gateway with Microgateways, decided in ${reference}`);
    expect(text).toContain("Project leads and developers edit their applications' fine-grained policy");
    expect(text).toContain("Gateway, Microgateway (one per application)");
    await panel.getByRole("link", { name: reference }).click();
    await page.waitForURL(`**${decisionPath}`);
    await context.close();
  });
});
