import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { commitFiles, commitCount, createBareRepository, filesOn, git, protectBranch, tempDir } from "./__fixtures__/git-fixtures";
import { airlockLimits, rampartPolicy, sampleResources } from "./__fixtures__/gitops-resources";
import { commitGitTree, type CommitGitTreeInput } from "./commit-git-tree";
import { describeExport } from "./describe-export";
import { exportSourcesOf } from "./export-sources";
import type { KubernetesResource } from "./kubernetes-resource";
import { renderGitTree } from "./render-git-tree";

const FOLDER = "clusters/prod/rampart";
const DANA = { name: "Dana Lead", email: "lead@rampart.local" };
const OUTSIDE = {
  "README.md": "# Platform GitOps\n",
  "clusters/prod/apps/shop.yaml": "kind: Deployment\n",
  // Shares the folder's name as a prefix: must not be taken for part of it.
  "clusters/prod/rampart-extra/keep.yaml": "kind: ConfigMap\n",
};

let root: ReturnType<typeof tempDir>;
beforeAll(() => {
  root = tempDir("rampart-gitops-test-");
});
afterAll(() => root.remove());

let counter = 0;
function seededRemote(files: Record<string, string> = OUTSIDE): string {
  return createBareRepository(root.path, `remote-${++counter}`, { files });
}

function exportOf(resources: KubernetesResource[], bare: string, extra: Partial<CommitGitTreeInput> = {}): CommitGitTreeInput {
  const tree = renderGitTree({ resources, folder: FOLDER });
  return {
    repository: { kind: "local", path: bare },
    branch: "main",
    tree,
    author: DANA,
    message: describeExport({ sources: exportSourcesOf(resources), publishedBy: DANA }),
    ...extra,
  };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("commitGitTree to a repository over file://", () => {
  it("first export writes the files and kustomization as one commit by the publisher, committed by Rampart", async () => {
    const bare = seededRemote();
    const input = exportOf(sampleResources(), bare);
    const result = await commitGitTree(input);

    expect(result.changed).toBe(true);
    expect(result.branch).toBe("main");
    expect(result.attempts).toBe(1);
    expect(result.commit).toBe(git(bare, ["rev-parse", "refs/heads/main"]).trim());
    expect(result.files).toEqual(input.tree.files.map((file) => `${FOLDER}/${file.path}`));
    expect(result.added.sort()).toEqual([...result.files].sort());
    expect(result.modified).toEqual([]);
    expect(result.removed).toEqual([]);

    const files = filesOn(bare, "main");
    for (const file of input.tree.files) expect(files[`${FOLDER}/${file.path}`]).toBe(file.content);
    expect(files[`${FOLDER}/kustomization.yaml`]).toContain("kind: Kustomization");
    for (const [name, content] of Object.entries(OUTSIDE)) expect(files[name]).toBe(content);

    const [author, committer, subject] = git(bare, ["log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%s", "refs/heads/main"]).trim().split("\n");
    expect(author).toBe("Dana Lead <lead@rampart.local>");
    expect(committer).toBe("Rampart <rampart@rampart.invalid>");
    expect(subject).toBe("Rampart: deliver payments-api 3.2.0, storefront-web 1.4.0");
    expect(git(bare, ["log", "-1", "--format=%B", "refs/heads/main"])).toBe(`${input.message}\n`);
    expect(git(bare, ["rev-parse", "refs/heads/main^"]).trim()).not.toBe("");
  });

  it("re-exporting the same tree makes no commit", async () => {
    const bare = seededRemote();
    const first = await commitGitTree(exportOf(sampleResources(), bare));
    const count = commitCount(bare, "main");
    const again = await commitGitTree(exportOf(sampleResources(), bare, { message: "Rampart: deliver again" }));
    expect(again).toMatchObject({ changed: false, commit: first.commit, added: [], modified: [], removed: [], attempts: 0 });
    expect(commitCount(bare, "main")).toBe(count);
  });

  it("removes the files of an application Rampart no longer renders and updates the changed ones, leaving the rest of the repository alone", async () => {
    const bare = seededRemote();
    await commitGitTree(exportOf(sampleResources(), bare));
    const withoutPayments = sampleResources()
      .filter((resource) => resource.metadata.namespace !== "payments")
      .map((resource) => (resource.kind === "RampartPolicy" ? rampartPolicy("storefront-web", "storefront", "1.5.0") : resource));
    const result = await commitGitTree(exportOf(withoutPayments, bare));

    expect(result.changed).toBe(true);
    expect(result.removed.sort()).toEqual([`${FOLDER}/payments/limits-payments-api-limits.yaml`, `${FOLDER}/payments/rampartpolicy-payments-api.yaml`]);
    expect(result.modified.sort()).toEqual([`${FOLDER}/kustomization.yaml`, `${FOLDER}/storefront/rampartpolicy-storefront-web.yaml`]);
    expect(result.added).toEqual([]);
    const files = filesOn(bare, "main");
    expect(Object.keys(files).filter((name) => name.includes("/payments/"))).toEqual([]);
    expect(files[`${FOLDER}/kustomization.yaml`]).not.toContain("payments/");
    for (const [name, content] of Object.entries(OUTSIDE)) expect(files[name]).toBe(content);
  });

  it("removes files someone added inside the folder by hand (the folder is Rampart's) but keeps their files outside it", async () => {
    const bare = seededRemote();
    await commitGitTree(exportOf(sampleResources(), bare));
    commitFiles(root.path, bare, "main", { [`${FOLDER}/hand-made.yaml`]: "x: 1\n", "clusters/prod/apps/new.yaml": "y: 2\n" }, "manual change");
    const result = await commitGitTree(exportOf(sampleResources(), bare));
    expect(result.removed).toEqual([`${FOLDER}/hand-made.yaml`]);
    const files = filesOn(bare, "main");
    expect(files["clusters/prod/apps/new.yaml"]).toBe("y: 2\n");
    expect(files[`${FOLDER}/hand-made.yaml`]).toBeUndefined();
  });

  it("retries when someone pushes between Rampart's fetch and push, keeping their commit", async () => {
    const bare = seededRemote();
    let competitor = "";
    const result = await commitGitTree(
      exportOf(sampleResources(), bare, {
        hooks: {
          beforePush: ({ attempt }) => {
            if (attempt === 1)
              competitor = commitFiles(root.path, bare, "main", { "clusters/prod/apps/shop.yaml": "kind: Deployment # v2\n" }, "Someone else's change");
          },
        },
      }),
    );
    expect(result.changed).toBe(true);
    expect(result.attempts).toBe(2);
    expect(git(bare, ["rev-parse", `${result.commit}^`]).trim()).toBe(competitor);
    const files = filesOn(bare, "main");
    expect(files["clusters/prod/apps/shop.yaml"]).toBe("kind: Deployment # v2\n");
    expect(files[`${FOLDER}/kustomization.yaml`]).toContain("kind: Kustomization");
  });

  it("gives up after the bounded number of attempts when the branch keeps moving", async () => {
    const bare = seededRemote();
    let pushes = 0;
    const error = await rejection(
      commitGitTree(
        exportOf(sampleResources(), bare, {
          maxAttempts: 2,
          hooks: { beforePush: () => void commitFiles(root.path, bare, "main", { [`other-${++pushes}.txt`]: "x\n" }, "race") },
        }),
      ),
    );
    expect(pushes).toBe(2);
    expect(error.code).toBe("CONFLICT");
    expect(error.details.reason).toBe("push-rejected");
    expect(error.message).toMatch(/kept changing.*2 attempts/);
    expect(filesOn(bare, "main")[`${FOLDER}/kustomization.yaml`]).toBeUndefined();
  });

  it("two exports racing to the same branch both land", async () => {
    const bare = seededRemote();
    const tree = (folder: string, resources: KubernetesResource[]) => renderGitTree({ resources, folder });
    const base = { repository: { kind: "local" as const, path: bare }, branch: "main", author: DANA, message: "Rampart: deliver", maxAttempts: 5 };
    const [a, b] = await Promise.all([
      commitGitTree({ ...base, tree: tree("clusters/a/rampart", [rampartPolicy("payments-api", "payments")]) }),
      commitGitTree({ ...base, tree: tree("clusters/b/rampart", [airlockLimits("payments-api", "payments")]) }),
    ]);
    expect(a.changed && b.changed).toBe(true);
    const files = Object.keys(filesOn(bare, "main"));
    expect(files).toContain("clusters/a/rampart/payments/rampartpolicy-payments-api.yaml");
    expect(files).toContain("clusters/b/rampart/payments/limits-payments-api-limits.yaml");
    expect(commitCount(bare, "main")).toBe(3);
  });

  it("creates a missing branch from the repository's default branch", async () => {
    const bare = seededRemote();
    const main = git(bare, ["rev-parse", "refs/heads/main"]).trim();
    const result = await commitGitTree(exportOf(sampleResources(), bare, { branch: "rampart/prod" }));
    expect(result).toMatchObject({ changed: true, branch: "rampart/prod" });
    expect(git(bare, ["rev-parse", "refs/heads/rampart/prod^"]).trim()).toBe(main);
    expect(filesOn(bare, "rampart/prod")["README.md"]).toBe(OUTSIDE["README.md"]);
    expect(git(bare, ["rev-parse", "refs/heads/main"]).trim()).toBe(main);
  });

  it("makes the first commit of an empty repository", async () => {
    const bare = createBareRepository(root.path, `empty-${++counter}`);
    const result = await commitGitTree(exportOf(sampleResources(), bare));
    expect(result.changed).toBe(true);
    expect(commitCount(bare, "main")).toBe(1);
    expect(Object.keys(filesOn(bare, "main")).every((name) => name.startsWith(`${FOLDER}/`))).toBe(true);
  });

  it("reports a protected branch as a rejected push, not as something to retry", async () => {
    const bare = seededRemote();
    protectBranch(bare, "main");
    let attempts = 0;
    const error = await rejection(commitGitTree(exportOf(sampleResources(), bare, { hooks: { beforePush: () => void attempts++ } })));
    expect(attempts).toBe(1);
    expect(error.code).toBe("CONFLICT");
    expect(error.details.reason).toBe("push-rejected");
    expect(error.message).toContain("rejected the push to branch main");
    expect(error.message).toContain("pre-receive hook declined");
  });

  it("reports a repository that does not exist", async () => {
    const error = await rejection(commitGitTree(exportOf(sampleResources(), path.join(root.path, "missing.git"))));
    expect(error.code).toBe("CONFLICT");
    expect(error.details.reason).toBe("repository-not-found");
  });

  it("removes its temporary work folder, also after a failure", async () => {
    const bare = seededRemote();
    const workDirs: string[] = [];
    await commitGitTree(exportOf(sampleResources(), bare, { hooks: { beforePush: ({ workDir }) => void workDirs.push(workDir) } }));
    protectBranch(bare, "main");
    await rejection(commitGitTree(exportOf([rampartPolicy("x", "y")], bare, { hooks: { beforePush: ({ workDir }) => void workDirs.push(workDir) } })));
    expect(workDirs).toHaveLength(2);
    for (const workDir of workDirs) expect(existsSync(path.dirname(workDir))).toBe(false);
  });

  it.each([
    ["a folder outside the repository", { tree: { folder: "../elsewhere", files: [] } }, "tree.folder"],
    ["a branch that is an option", { branch: "--upload-pack=evil" }, "branch"],
    ["a branch with ..", { branch: "a..b" }, "branch"],
    ["an author with a line break", { author: { name: "Dana\nEvil", email: "d@x.y" } }, "author.name"],
    ["an empty message", { message: "  " }, "message"],
  ])("refuses %s before touching the repository", async (_, override, field) => {
    const bare = seededRemote();
    const before = git(bare, ["rev-parse", "refs/heads/main"]);
    const error = await rejection(commitGitTree({ ...exportOf(sampleResources(), bare), ...(override as Partial<CommitGitTreeInput>) }));
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fieldErrors.map((entry) => entry.path)).toContain(field);
    expect(git(bare, ["rev-parse", "refs/heads/main"])).toBe(before);
  });
});
