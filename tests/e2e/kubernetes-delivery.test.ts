// Delivery to Kubernetes and Git in the browser: a security officer publishes a version of
// an application's policy, follows the policy page's Delivery section to the cluster
// target, where the plan (the dry-run diff of that version) starts on arrival, applies it
// (per-resource results), sees drift after an out-of-band change by another field manager,
// re-applies until in sync, and exports to Git, whose commit then appears in the repository. The cluster is the test API server,
// started here on 127.0.0.1, which the e2e portal reaches with the target's kubeconfig.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createKubeClient, PatchStrategy } from "@/lib/kubernetes/cluster/kube-client";
import { startKubeApiServer, type TestKubeApiServer } from "../kube-api-server/start-kube-api-server";
import { ACCOUNTS, baseUrl, fetchFromPage, launchBrowser, signedInPage, uniqueSuffix, publishViaConfirmation } from "./support/browser";
import { E2E_GIT_LOCAL_DIR } from "./support/git-local-dir";
import { ensureBaselineForEveryEnvironment } from "./support/portal-api";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const APPLICATION = "payments-worker"; // internal: the published baseline alone delivers it
const NAMESPACE = "payments";

let browser: Browser;
let kube: TestKubeApiServer;
let workDir: string;
let repository: string;
const names = { cluster: `e2e-cluster-${uniqueSuffix()}`, repository: `e2e-gitops-${uniqueSuffix()}`, proxy: `e2e-edge-${uniqueSuffix()}` };
const ids = { cluster: "", repository: "" };
/** The version of the application's policy that the story publishes in the browser (approved in beforeAll). */
const approved = { policyId: "", versionId: "", number: 0 };

beforeAll(async () => {
  kube = await startKubeApiServer({ tls: true });
  await createKubeClient(kube.kubeconfig).objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } } as KubernetesObject);
  mkdirSync(E2E_GIT_LOCAL_DIR, { recursive: true });
  workDir = mkdtempSync(path.join(E2E_GIT_LOCAL_DIR, "gitops-"));
  repository = path.join(workDir, "policies.git");
  execFileSync("git", ["init", "--bare", "-q", "-b", "main", repository]);
  browser = await launchBrowser();
  await registerTargets();
  await approveWorkerVersion();
});
afterAll(async () => {
  await browser?.close();
  await kube?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** A published baseline (made through the API unless one exists) and the two targets, registered through the API. */
async function registerTargets() {
  const officer = await signedInPage(browser, ACCOUNTS.security);
  const reviewer = await signedInPage(browser, "security2@rampart.local");
  try {
    await ensureBaselineForEveryEnvironment(baseUrl());
    const apps = await fetchFromPage(officer.page, `/api/v1/applications?q=${APPLICATION}`);
    const app = apps.json.items.find((a: { slug: string }) => a.slug === APPLICATION);
    expect(app, JSON.stringify(apps.json)).toBeTruthy();

    const cluster = await fetchFromPage(officer.page, "/api/v1/delivery/targets", {
      method: "POST",
      body: {
        kind: "kubernetes",
        name: names.cluster,
        kubeconfig: kube.kubeconfig,
        namespaces: [NAMESPACE],
        renders: ["rampart", "rbac"],
        applicationIds: [app.id],
      },
    });
    expect(cluster.status, JSON.stringify(cluster.json)).toBe(201);
    ids.cluster = cluster.json.id;
    const git = await fetchFromPage(officer.page, "/api/v1/delivery/targets", {
      method: "POST",
      body: { kind: "git", name: names.repository, repository, branch: "main", folder: "clusters/e2e", applicationIds: [app.id] },
    });
    expect(git.status, JSON.stringify(git.json)).toBe(201);
    ids.repository = git.json.id;
    // A proxy target no proxy ever connects to: the policy page shows its rollout state.
    const proxy = await fetchFromPage(officer.page, "/api/v1/delivery/targets", {
      method: "POST",
      body: { kind: "proxy", name: names.proxy, mode: "gateway", applicationIds: [app.id] },
    });
    expect(proxy.status, JSON.stringify(proxy.json)).toBe(201);
  } finally {
    await Promise.all([officer.context.close(), reviewer.context.close()]);
  }
}

/**
 * An approved, unpublished version of the application's policy: drafted and submitted by
 * the team's project lead, approved by the second security officer (four eyes), all through
 * the API. Another file may have left the policy, or an open draft of it, behind.
 */
async function approveWorkerVersion() {
  const lead = await signedInPage(browser, ACCOUNTS.lead);
  const reviewer = await signedInPage(browser, ACCOUNTS.securityReviewer);
  try {
    const content = {
      apiVersion: "rampart.dev/v1alpha1",
      kind: "ApplicationPolicy",
      metadata: { application: APPLICATION, applicationVersion: `2.${Date.now() % 100_000}.0` },
      methods: { allowed: ["GET", "HEAD", "POST"] },
      limits: { maxBodyBytes: 32768 },
    };
    const existing = await fetchFromPage(lead.page, `/api/v1/policies?kind=application&q=${APPLICATION}`);
    const found = existing.json.items.find((p: { name: string }) => p.name === APPLICATION);
    let version: { id: string; number: number; state: string; version: number };
    if (!found) {
      const created = await fetchFromPage(lead.page, "/api/v1/policies", { method: "POST", body: { content } });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      approved.policyId = created.json.id;
      version = (await fetchFromPage(lead.page, `/api/v1/policies/${created.json.id}/versions/${created.json.draft.id}`)).json;
    } else if (found.draft) {
      approved.policyId = found.id;
      version = (await fetchFromPage(lead.page, `/api/v1/policies/${found.id}/versions/${found.draft.id}`)).json;
    } else {
      approved.policyId = found.id;
      const drafted = await fetchFromPage(lead.page, `/api/v1/policies/${found.id}/versions`, { method: "POST", body: { content } });
      expect(drafted.status, JSON.stringify(drafted.json)).toBe(201);
      version = drafted.json;
    }
    const base = `/api/v1/policies/${approved.policyId}/versions/${version.id}`;
    if (version.state === "draft") {
      const submitted = await fetchFromPage(lead.page, `${base}/submit`, {
        method: "POST",
        headers: { "if-match": `"${version.version}"` },
        body: { summary: "Smaller bodies for the worker." },
      });
      expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
      version = submitted.json;
    }
    if (version.state === "submitted") {
      const approval = await fetchFromPage(reviewer.page, `${base}/approve`, {
        method: "POST",
        headers: { "if-match": `"${version.version}"` },
        body: { note: "Tightens the worker; fine." },
      });
      expect(approval.status, JSON.stringify(approval.json)).toBe(200);
      version = approval.json;
    }
    expect(version.state).toBe("approved");
    approved.versionId = version.id;
    approved.number = version.number;
  } finally {
    await Promise.all([lead.context.close(), reviewer.context.close()]);
  }
}

const row = (page: Page, table: string, resource: RegExp) =>
  page
    .getByRole("region", { name: table })
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: resource }) });
const policyResource = new RegExp(`^RampartPolicy ${NAMESPACE}/${APPLICATION}$`);

describe("a security officer delivers to a cluster", () => {
  it("publishes a version in the browser, follows its Delivery section to the cluster, sees the dry-run diff, applies, sees drift after an out-of-band change and re-applies", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto(`/policies/${approved.policyId}/versions/${approved.versionId}`);
    await publishViaConfirmation(page);
    await page.getByText("This is the version in force.").waitFor();

    // The Delivery section of the version just published: the cluster and the repository that deliver the application.
    const targets = page.getByRole("region", { name: "Delivery targets" });
    const targetRow = (name: string) => targets.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
    await targetRow(names.repository)
      .getByRole("link", { name: `GitOps export to ${names.repository}` })
      .waitFor();
    expect(
      await targetRow(names.cluster)
        .getByRole("cell", { name: `Kubernetes cluster · ${NAMESPACE}` })
        .count(),
    ).toBe(1);
    await targetRow(names.cluster)
      .getByRole("link", { name: `Plan delivery to ${names.cluster}` })
      .click();
    await page.waitForURL(new RegExp(`/delivery/targets/${ids.cluster}/kubernetes`));
    await page.getByRole("heading", { name: names.cluster }).waitFor();

    // The plan started on arrival: the server-side dry-run diff of the version just published, every resource to create.
    await page
      .getByRole("status", { name: "Plan summary" })
      .filter({ hasText: /^\d+ to create, 0 to update, 0 unchanged$/ })
      .waitFor();
    expect(await page.getByRole("list", { name: "Rendered from" }).textContent()).toMatch(
      new RegExp(`${APPLICATION}: baseline \\S+ v\\d+ \\+ policy v${approved.number}$`),
    );
    // The parameter is gone: reloading the page does not plan again.
    expect(new URL(page.url()).search).toBe("");
    const planned = row(page, "Planned changes", policyResource);
    await expect.poll(() => planned.getByText("create", { exact: true }).count()).toBe(1);
    await planned.getByText("New object").click();
    expect(await planned.locator("pre").textContent()).toMatch(/\+\s+contentHash: sha256:[0-9a-f]{64}/);
    expect(await row(page, "Planned changes", /^Role payments\/rampart-policy-manager$/).count()).toBe(1);

    // Apply: per-resource results.
    await page.getByRole("button", { name: "Apply this plan to the cluster" }).click();
    await expect.poll(() => row(page, "Apply results", policyResource).getByText("created", { exact: true }).count()).toBe(1);
    const results = await page.getByRole("region", { name: "Apply results" }).getByRole("row").count();
    expect(results - 1).toBeGreaterThanOrEqual(4);
    expect(kube.server.peek("rampart.dev/v1alpha1", "RampartPolicy", NAMESPACE, APPLICATION)).not.toBeNull();

    // Out of band: another field manager takes a field over.
    await createKubeClient(kube.kubeconfig).objects.patch(
      {
        apiVersion: "rampart.dev/v1alpha1",
        kind: "RampartPolicy",
        metadata: { name: APPLICATION, namespace: NAMESPACE, annotations: { "rampart.dev/content-hash": "sha256:edited-by-hand" } },
      } as KubernetesObject,
      undefined,
      undefined,
      "kubectl-edit",
      true,
      PatchStrategy.ServerSideApply,
    );

    await page.getByRole("button", { name: /^Check drift:/ }).click();
    const drifted = row(page, "Drift per resource", policyResource);
    await expect.poll(() => drifted.getByText("drifted", { exact: true }).count()).toBe(1);
    expect(await drifted.textContent()).toContain("Changed by kubectl-edit");
    await drifted.getByText(/field\(s\) differ/).click();
    expect(await drifted.locator("pre").textContent()).toContain("sha256:edited-by-hand");

    // Re-apply with force: back in sync.
    await page.getByRole("button", { name: /^Re-apply what Rampart applied last/ }).click();
    await expect.poll(() => row(page, "Drift per resource", policyResource).getByText("in-sync", { exact: true }).count()).toBe(1);
    expect(await page.getByRole("region", { name: "Drift per resource" }).getByText("drifted", { exact: true }).count()).toBe(0);
    await page.getByText(/Re-applied \(force\)/).waitFor();
    const live = kube.server.peek("rampart.dev/v1alpha1", "RampartPolicy", NAMESPACE, APPLICATION) as { metadata: { annotations: Record<string, string> } };
    expect(live.metadata.annotations["rampart.dev/content-hash"]).toMatch(/^sha256:[0-9a-f]{64}$/);
    await context.close();
  });

  it("shows the team's developer the policy's Delivery section: the cluster without starting a plan, the proxy's rollout", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.developer);
    await page.goto(`/policies/${approved.policyId}`);
    const targets = page.getByRole("region", { name: "Delivery targets" });
    await targets.getByRole("link", { name: `Delivery to ${names.cluster}` }).waitFor();
    expect(await targets.getByRole("link", { name: /^Plan delivery/ }).count()).toBe(0);
    expect(await targets.getByRole("link", { name: `Delivery to ${names.cluster}` }).getAttribute("href")).toBe(`/delivery/targets/${ids.cluster}/kubernetes`);
    const proxyRow = targets.getByRole("row").filter({ has: page.getByRole("rowheader", { name: names.proxy, exact: true }) });
    expect(await proxyRow.textContent()).toBe(`${names.proxy}Proxy · gatewayNever connected`);
    await context.close();
  });

  it("exports to Git: the commit appears in the repository, authored by the officer", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto("/delivery");
    await page.getByRole("link", { name: `GitOps export of ${names.repository}` }).click();
    await page.waitForURL(`**/delivery/targets/${ids.repository}/kubernetes`);
    await page.getByText("Not exported yet.").waitFor();
    await page.getByRole("button", { name: /^Export to Git:/ }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^\d+ file\(s\) changed$/ })
      .waitFor();
    const shown = ((await page.getByLabel("Commit", { exact: true }).textContent()) ?? "").trim();
    expect(shown).toMatch(/^[0-9a-f]{40}$/);
    expect(await page.getByRole("list", { name: "Changed files" }).textContent()).toContain(`added: clusters/e2e/rampart/rampartpolicy-${APPLICATION}.yaml`); // a Git target renders into namespace "rampart"

    const log = execFileSync("git", ["--git-dir", repository, "log", "-1", "--format=%H%n%an <%ae>", "main"], { encoding: "utf8" }).trim().split("\n");
    expect(log).toEqual([shown, `Sam Security <${ACCOUNTS.security}>`]);

    // Again: nothing changed, no new commit.
    await page.getByRole("button", { name: /^Export to Git:/ }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^No change/ })
      .waitFor();
    expect(execFileSync("git", ["--git-dir", repository, "rev-list", "--count", "main"], { encoding: "utf8" }).trim()).toBe("1");

    // The ZIP of the same tree.
    const download = await context.request.get(`/api/v1/delivery/targets/${ids.repository}/git/archive`);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toBe("application/zip");
    await context.close();
  });
});
