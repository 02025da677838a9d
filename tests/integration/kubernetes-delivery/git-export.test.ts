// GitOps delivery through the portal's API: a Git target's export is a commit in a real
// (bare, local) repository authored by the acting user, a re-export of the same policy
// makes no commit, and the ZIP download holds exactly the files the export committed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { stopDeliveryListener } from "@/lib/delivery/delivery-listener";
import { applicationDocument, createPolicyFixture } from "../policies/policy-fixtures";
import { call, callApi, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

let cast: Cast;
let workDir: string;
let repository: string;
let app: { id: string; slug: string };

const gitRaw = (...args: string[]) => execFileSync("git", ["--git-dir", repository, ...args], { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
const git = (...args: string[]) => gitRaw(...args).trim();

beforeAll(async () => {
  workDir = realpathSync(mkdtempSync(path.join(tmpdir(), "rampart-gitops-test-")));
  // The repository is on this machine: the operator allows its folder, nothing else.
  process.env.RAMPART_GIT_LOCAL_DIR = workDir;
  repository = path.join(workDir, "policies.git");
  execFileSync("git", ["init", "--bare", "-q", "-b", "main", repository]);
  cast = await createCast();
  await createPolicyFixture(db, { kind: "baseline", authorId: cast.ids.officer, versions: [{ state: "published" }] });
  app = await paymentsApp(cast);
  await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer2,
    versions: [{ state: "published", content: applicationDocument(app.slug, { limits: { maxBodyBytes: 65536 } }) }],
  });
});
afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await stopDeliveryListener();
});

async function createTarget(body: Record<string, unknown>) {
  const created = await call({
    method: "POST",
    path: "/api/v1/delivery/targets",
    cookie: cast.cookies.officer,
    body: { name: `target-${Math.random().toString(36).slice(2, 8)}`, applicationIds: [app.id], ...body },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

const exportTo = (targetId: string, cookie = cast.cookies.officer) =>
  call({ method: "POST", path: `/api/v1/delivery/targets/${targetId}/git/exports`, cookie });

async function zipEntries(targetId: string, cookie = cast.cookies.officer): Promise<Record<string, string>> {
  const response = await callApi({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/git/archive`, cookie });
  expect(response.status, response.status === 200 ? "" : await response.clone().text()).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/zip");
  expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename=".+\.zip"$/);
  const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
  return Object.fromEntries(Object.entries(entries).map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]));
}

describe("GitOps export", () => {
  let targetId: string;
  let firstCommit: string;

  it("commits the rendered tree to the branch and folder, authored by the acting user, and pushes it", async () => {
    targetId = await createTarget({ kind: "git", repository, branch: "main", folder: "clusters/prod/rampart" });
    const exported = await exportTo(targetId);
    expect(exported.status, JSON.stringify(exported.body)).toBe(201);
    expect(exported.body).toMatchObject({ changed: true, branch: "main" });
    expect(exported.body.commit).toMatch(/^[0-9a-f]{40}$/);
    firstCommit = exported.body.commit;

    const officer = await db.user.findUniqueOrThrow({ where: { id: cast.ids.officer } });
    expect(git("log", "-1", "--format=%H%n%an <%ae>%n%cn", "main").split("\n")).toEqual([firstCommit, `${officer.name} <${officer.email}>`, "Rampart"]);
    expect(git("log", "-1", "--format=%s", "main")).toContain(app.slug);

    const files = git("ls-tree", "-r", "--name-only", "main").split("\n");
    expect(files).toEqual([...exported.body.files].sort());
    expect(files).toContain("clusters/prod/rampart/kustomization.yaml");
    expect(files).toContain(`clusters/prod/rampart/rampart/rampartpolicy-${app.slug}.yaml`);
    expect(files.every((f) => f.startsWith("clusters/prod/rampart/"))).toBe(true);
    expect(exported.body.added).toEqual(exported.body.files);
    const manifest = git("show", `main:clusters/prod/rampart/rampart/rampartpolicy-${app.slug}.yaml`);
    expect(manifest).toContain("kind: RampartPolicy");
    expect(manifest).toContain(exported.body.sources[0].contentHash);

    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "delivery.git.export", targetId } });
    expect(audit.actorId).toBe(cast.ids.officer);
    expect(audit.summary).toMatchObject({ commit: firstCommit, changed: true, branch: "main" });
  });

  it("exporting the same policy again makes no commit", async () => {
    const again = await exportTo(targetId);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body).toMatchObject({ changed: false, commit: firstCommit, added: [], modified: [], removed: [] });
    expect(git("rev-list", "--count", "main")).toBe("1");

    const listed = await call({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/git/exports`, cookie: cast.cookies.developer });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((e: { changed: boolean }) => e.changed)).toEqual([false, true]);
  });

  it("the ZIP download holds exactly the files of the commit, byte for byte", async () => {
    const entries = await zipEntries(targetId, cast.cookies.developer);
    const files = git("ls-tree", "-r", "--name-only", "main").split("\n");
    expect(Object.keys(entries).sort()).toEqual(files);
    for (const file of files) expect(entries[file]).toBe(gitRaw("show", `main:${file}`));
  });

  it("a Kubernetes target downloads its tree as a ZIP too", async () => {
    const kubeconfig = [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{ name: c, cluster: { server: 'https://kube.example.test:6443' } }]",
      "users: [{ name: u, user: { token: t } }]",
      "contexts: [{ name: c, context: { cluster: c, user: u } }]",
      "current-context: c",
    ].join("\n");
    const kubernetesTargetId = await createTarget({ kind: "kubernetes", kubeconfig, namespaces: ["payments"], renders: ["rampart", "kyverno"] });
    const entries = await zipEntries(kubernetesTargetId);
    expect(Object.keys(entries)).toEqual(
      expect.arrayContaining([
        "rampart/kustomization.yaml",
        `rampart/payments/rampartpolicy-${app.slug}.yaml`,
        "rampart/definitions/customresourcedefinition-rampartpolicies.rampart.dev.yaml",
      ]),
    );
    expect(Object.keys(entries).some((name) => name.startsWith("rampart/cluster/clusterpolicy-"))).toBe(true);
  });

  it("an unreachable repository is a clear error and nothing is recorded", async () => {
    const missing = await createTarget({ kind: "git", repository: path.join(workDir, "missing.git"), branch: "main", folder: "rampart" });
    const failed = await exportTo(missing);
    expect(failed.status, JSON.stringify(failed.body)).toBe(409);
    expect(failed.headers.get("content-type")).toBe("application/problem+json");
    expect(failed.body.reason).toBe("repository-not-found");
    expect(await db.gitExport.count({ where: { targetId: missing } })).toBe(0);
  });

  it("only the security team exports; another team does not see the target", async () => {
    expect((await exportTo(targetId, cast.cookies.lead)).status).toBe(403);
    const foreign = await callApi({ method: "GET", path: `/api/v1/delivery/targets/${targetId}/git/archive`, cookie: cast.cookies.storefrontDeveloper });
    expect(foreign.status).toBe(404);
  });
});

describe("where a Git target may point (lib/outbound, git-repository.ts)", () => {
  const register = (repository: string) =>
    call({
      method: "POST",
      path: "/api/v1/delivery/targets",
      cookie: cast.cookies.officer,
      body: { kind: "git", name: `t-${Math.random().toString(36).slice(2, 8)}`, repository, branch: "main", applicationIds: [app.id] },
    });

  it.each([
    ["a local path outside the operator's folder", "/etc/rampart/policies.git"],
    ["a file:// URL outside it", "file:///var/lib/postgresql/repo.git"],
    ["a path climbing out of it", "__WORKDIR__/../elsewhere.git"],
    ["git:// (no authentication)", "git://git.example.com/policies.git"],
    ["a remote on a metadata address", "https://169.254.169.254/policies.git"],
    ["a remote on a private address", "ssh://git@10.1.2.3/policies.git"],
    ["an scp-like remote on loopback (not allowed)", "git@127.0.0.2:org/policies.git"],
  ])("%s is refused at registration with the field path", async (_what, repository) => {
    const response = await register(repository.replace("__WORKDIR__", workDir));
    expect(response.status).toBe(422);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain("body.repository");
  });

  it("a repository registered inside the allowed folder is refused at export once the folder is no longer allowed", async () => {
    const targetId = await createTarget({ kind: "git", repository: repository, branch: "main" });
    const allowed = process.env.RAMPART_GIT_LOCAL_DIR;
    process.env.RAMPART_GIT_LOCAL_DIR = path.join(workDir, "elsewhere");
    try {
      const exported = await exportTo(targetId);
      expect(exported.status).toBe(422);
    } finally {
      process.env.RAMPART_GIT_LOCAL_DIR = allowed;
    }
  });
});
