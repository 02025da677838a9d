// Delivery to Kubernetes and Git in the browser: a security officer opens a cluster
// target, plans (the dry-run diff), applies (per-resource results), sees drift after an
// out-of-band change by another field manager, re-applies until in sync, and exports to
// Git, whose commit then appears in the repository. The cluster is the test API server,
// started here on 127.0.0.1, which the e2e portal reaches with the target's kubeconfig.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createKubeClient, PatchStrategy } from "@/lib/kubernetes/cluster/kube-client";
import { startKubeApiServer, type TestKubeApiServer } from "../kube-api-server/start-kube-api-server";
import { ACCOUNTS, fetchFromPage, launchBrowser, signedInPage, uniqueSuffix } from "./support/browser";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const APPLICATION = "payments-worker"; // internal: the published baseline alone delivers it
const NAMESPACE = "payments";

let browser: Browser;
let kube: TestKubeApiServer;
let workDir: string;
let repository: string;
const names = { cluster: `e2e-cluster-${uniqueSuffix()}`, repository: `e2e-gitops-${uniqueSuffix()}` };
const ids = { cluster: "", repository: "" };

beforeAll(async () => {
  kube = await startKubeApiServer({ tls: true });
  await createKubeClient(kube.kubeconfig).objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } } as KubernetesObject);
  workDir = mkdtempSync(path.join(tmpdir(), "rampart-e2e-gitops-"));
  repository = path.join(workDir, "policies.git");
  execFileSync("git", ["init", "--bare", "-q", "-b", "main", repository]);
  browser = await launchBrowser();
  await registerTargets();
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
    const baselines = await fetchFromPage(officer.page, "/api/v1/policies?kind=baseline");
    // The baseline for every environment (scope "baseline"): another file may have published only environment-specific ones.
    if (!baselines.json.items.some((p: { scope: string; publishedVersion: unknown }) => p.scope === "baseline" && p.publishedVersion)) {
      const content = { apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name: "standard" } };
      const created = await fetchFromPage(officer.page, "/api/v1/policies", { method: "POST", body: { content } });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      const base = `/api/v1/policies/${created.json.id}/versions/${created.json.draft.id}`;
      const submitted = await fetchFromPage(officer.page, `${base}/submit`, { method: "POST", headers: { "if-match": '"1"' }, body: { summary: "Baseline for delivery." } });
      expect(submitted.status, JSON.stringify(submitted.json)).toBe(200);
      const approved = await fetchFromPage(reviewer.page, `${base}/approve`, { method: "POST", headers: { "if-match": `"${submitted.json.version}"` }, body: { note: "Reviewed." } });
      expect(approved.status, JSON.stringify(approved.json)).toBe(200);
      const published = await fetchFromPage(reviewer.page, `${base}/publish`, { method: "POST", headers: { "if-match": `"${approved.json.version}"` } });
      expect(published.status, JSON.stringify(published.json)).toBe(200);
    }
    const apps = await fetchFromPage(officer.page, `/api/v1/applications?q=${APPLICATION}`);
    const app = apps.json.items.find((a: { slug: string }) => a.slug === APPLICATION);
    expect(app, JSON.stringify(apps.json)).toBeTruthy();

    const cluster = await fetchFromPage(officer.page, "/api/v1/delivery/targets", {
      method: "POST",
      body: { kind: "kubernetes", name: names.cluster, kubeconfig: kube.kubeconfig, namespaces: [NAMESPACE], renders: ["rampart", "rbac"], applicationIds: [app.id] },
    });
    expect(cluster.status, JSON.stringify(cluster.json)).toBe(201);
    ids.cluster = cluster.json.id;
    const git = await fetchFromPage(officer.page, "/api/v1/delivery/targets", {
      method: "POST",
      body: { kind: "git", name: names.repository, repository, branch: "main", folder: "clusters/e2e", applicationIds: [app.id] },
    });
    expect(git.status, JSON.stringify(git.json)).toBe(201);
    ids.repository = git.json.id;
  } finally {
    await Promise.all([officer.context.close(), reviewer.context.close()]);
  }
}

const row = (page: Page, table: string, resource: RegExp) => page.getByRole("region", { name: table }).getByRole("row").filter({ has: page.getByRole("rowheader", { name: resource }) });
const policyResource = new RegExp(`^RampartPolicy ${NAMESPACE}/${APPLICATION}$`);

describe("a security officer delivers to a cluster", () => {
  it("opens the target, plans, applies, sees drift after an out-of-band change and re-applies", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto("/delivery");
    await page.getByRole("link", { name: `Plan, apply and drift of ${names.cluster}` }).click();
    await page.waitForURL(`**/delivery/targets/${ids.cluster}/kubernetes`);
    await page.getByRole("heading", { name: names.cluster }).waitFor();
    await page.getByText("No plan yet.").waitFor();

    // Plan: the server-side dry-run diff, every resource to create.
    await page.getByRole("button", { name: /^Plan:/ }).click();
    await page.getByRole("status", { name: "Plan summary" }).filter({ hasText: /^\d+ to create, 0 to update, 0 unchanged$/ }).waitFor();
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

  it("exports to Git: the commit appears in the repository, authored by the officer", async () => {
    const { context, page } = await signedInPage(browser, ACCOUNTS.security);
    await page.goto("/delivery");
    await page.getByRole("link", { name: `GitOps export of ${names.repository}` }).click();
    await page.waitForURL(`**/delivery/targets/${ids.repository}/kubernetes`);
    await page.getByText("Not exported yet.").waitFor();
    await page.getByRole("button", { name: /^Export to Git:/ }).click();
    await page.getByRole("status").filter({ hasText: /^\d+ file\(s\) changed$/ }).waitFor();
    const shown = ((await page.getByLabel("Commit", { exact: true }).textContent()) ?? "").trim();
    expect(shown).toMatch(/^[0-9a-f]{40}$/);
    expect(await page.getByRole("list", { name: "Changed files" }).textContent()).toContain(`added: clusters/e2e/rampart/rampartpolicy-${APPLICATION}.yaml`); // a Git target renders into namespace "rampart"

    const log = execFileSync("git", ["--git-dir", repository, "log", "-1", "--format=%H%n%an <%ae>", "main"], { encoding: "utf8" }).trim().split("\n");
    expect(log).toEqual([shown, `Sam Security <${ACCOUNTS.security}>`]);

    // Again: nothing changed, no new commit.
    await page.getByRole("button", { name: /^Export to Git:/ }).click();
    await page.getByRole("status").filter({ hasText: /^No change/ }).waitFor();
    expect(execFileSync("git", ["--git-dir", repository, "rev-list", "--count", "main"], { encoding: "utf8" }).trim()).toBe("1");

    // The ZIP of the same tree.
    const download = await context.request.get(`/api/v1/delivery/targets/${ids.repository}/git/archive`);
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toBe("application/zip");
    await context.close();
  });
});
