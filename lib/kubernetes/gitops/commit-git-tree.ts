// Writes a GitOps tree into a folder of a Git repository as one commit and pushes it.
//
// Works on a private temporary clone without a checkout: the branch tip is fetched
// (depth 1), read into the index, the folder's entries are replaced by the tree, and the
// commit is built with write-tree/commit-tree. Files outside the folder are never
// touched, no repository hook or attribute of the target can run or rewrite content, and
// an unchanged tree is detected by comparing tree ids — so re-exporting the same policy
// makes no commit. A push that loses a race (someone pushed meanwhile) is re-done on the
// new tip a bounded number of times.

import "server-only";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { zodFieldErrors } from "@/lib/shared/zod-field-errors";
import { AppError } from "@/lib/errors/app-error";
import { outboundRefusalOf } from "@/lib/outbound/outbound-refused";
import { gitExportError, isLostPushRace } from "./classify-git-failure";
import { gitRepositorySchema, type GitRepository } from "./git-repository";
import { gitTreeSchema, repositoryPathOf, type GitTree } from "./git-tree";
import { prepareGitAccess } from "./prepare-git-access";
import { GitCommandError, runGit } from "./run-git";

/** The committer of every export; the author is the person who published. */
export const RAMPART_COMMITTER = { name: "Rampart", email: "rampart@rampart.invalid" } as const;

const person = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^<>\r\n\0]+$/, "must not contain <, > or line breaks"),
  email: z
    .string()
    .min(3)
    .max(254)
    .regex(/^[^<>\s\0]+@[^<>\s\0]+$/, "must be an e-mail address"),
});

const branchSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._\/-]*$/, "must be a branch name of letters, digits, '.', '_', '-' and '/'")
  .refine((branch) => !/\.\.|\/\/|\/\.|\.lock(?:\/|$)|[./]$/.test(branch), "is not a valid branch name");

const inputSchema = z.strictObject({
  repository: gitRepositorySchema,
  branch: branchSchema,
  tree: gitTreeSchema,
  author: person,
  committer: person.optional(),
  message: z.string().trim().min(1).max(100_000),
  maxAttempts: z.int().min(1).max(10).optional(),
  timeoutMs: z.int().min(1_000).max(3_600_000).optional(),
  hooks: z.custom<CommitGitTreeHooks>((value) => typeof value === "object" && value !== null).optional(),
});

export type CommitGitTreeHooks = {
  /**
   * Called after the commit is built and right before each push attempt. Tests use it to
   * push a competing commit (a real race) or to inspect the work folder.
   */
  beforePush?: (context: { attempt: number; workDir: string; commit: string }) => Promise<void> | void;
};

export type CommitGitTreeInput = {
  repository: GitRepository;
  branch: string;
  tree: GitTree;
  /** The person who published; recorded as the commit's author. */
  author: { name: string; email: string };
  /** Defaults to Rampart. */
  committer?: { name: string; email: string };
  message: string;
  /** Push attempts when the branch keeps moving (default 3). */
  maxAttempts?: number;
  /** Per git command (default 120 s). */
  timeoutMs?: number;
  hooks?: CommitGitTreeHooks;
};

export type CommitGitTreeResult = {
  changed: boolean;
  /** The branch tip after the export (null only when nothing was written to a repository without commits). */
  commit: string | null;
  branch: string;
  /** The tree's files, as paths in the repository. */
  files: string[];
  /** What the commit changed, as paths in the repository (empty when unchanged). */
  added: string[];
  modified: string[];
  removed: string[];
  /** Push attempts made (0 when there was nothing to push). */
  attempts: number;
};

type Base = { commit: string | null; tree: string | null; branchExists: boolean };

export async function commitGitTree(input: CommitGitTreeInput): Promise<CommitGitTreeResult> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", "The Git export is not configured correctly.", { fieldErrors: zodFieldErrors(parsed.error, "") });
  }
  const options = parsed.data;
  const { branch, tree } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const committer = options.committer ?? RAMPART_COMMITTER;
  const described = options.repository.kind === "local" ? options.repository.path : options.repository.url;
  const files = tree.files.map((file) => repositoryPathOf(tree, file));

  const workRoot = await mkdtemp(path.join(tmpdir(), "rampart-gitops-"));
  try {
    const privateDir = path.join(workRoot, "private");
    const workDir = path.join(workRoot, "repo");
    const templateDir = path.join(workRoot, "template");
    await mkdir(privateDir, { mode: 0o700 });
    await mkdir(templateDir);
    const access = await prepareGitAccess(options.repository, privateDir).catch((error: unknown) => {
      const refused = outboundRefusalOf(error);
      if (!refused) throw error;
      throw new AppError("CONFLICT", `Nothing was exported to ${described}: ${refused.message}.`, { details: { reason: "egress-refused" } });
    });
    const git = (args: string[], extra: { input?: string; env?: Record<string, string> } = {}) =>
      runGit(args, { cwd: workDir, env: { ...access.env, ...extra.env }, input: extra.input, timeoutMs, secrets: access.secrets });

    try {
      // An empty template: no sample hooks or info files in the work repository.
      await runGit(["init", "-q", `--template=${templateDir}`, workDir], { cwd: workRoot, env: access.env, timeoutMs, secrets: access.secrets });
      await git(["check-ref-format", `refs/heads/${branch}`]).catch(() => {
        throw new AppError("VALIDATION_FAILED", "The branch name is not valid.", {
          fieldErrors: [{ path: "branch", message: "is not a valid Git branch name" }],
        });
      });
      await git(["remote", "add", "origin", "--", access.url]);

      for (let attempt = 1; ; attempt++) {
        const base = await fetchBase(git, branch);
        const staged = await stageTree(git, workDir, tree, base);
        if (staged.tree === base.tree && base.branchExists) {
          return { changed: false, commit: base.commit, branch, files, added: [], modified: [], removed: [], attempts: attempt - 1 };
        }
        if (tree.files.length === 0 && base.commit === null) {
          return { changed: false, commit: null, branch, files, added: [], modified: [], removed: [], attempts: attempt - 1 };
        }
        // A new branch whose content is already right starts at the base commit (no empty commit).
        const commit =
          staged.tree === base.tree && base.commit
            ? base.commit
            : await createCommit(git, { tree: staged.tree, parent: base.commit, author: options.author, committer, message: options.message });

        await options.hooks?.beforePush?.({ attempt, workDir, commit });
        try {
          await git(["push", "--porcelain", "--no-verify", "origin", `${commit}:refs/heads/${branch}`]);
          return { changed: true, commit, branch, files, ...staged.changes, attempts: attempt };
        } catch (error) {
          if (!(error instanceof GitCommandError) || !isLostPushRace(error)) throw error;
          if (attempt >= maxAttempts) {
            throw new AppError(
              "CONFLICT",
              `Branch ${branch} of ${described} kept changing while Rampart pushed; gave up after ${attempt} attempts. Export again.`,
              { details: { reason: "push-rejected" }, cause: error },
            );
          }
          await delay(100 * attempt + Math.floor(Math.random() * 100));
        }
      }
    } catch (error) {
      if (error instanceof GitCommandError) throw gitExportError(error, { repository: described, branch });
      throw error;
    }
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }
}

type Git = (args: string[], extra?: { input?: string; env?: Record<string, string> }) => Promise<{ stdout: string; stderr: string }>;
type Person = { name: string; email: string };

/** commit-tree rather than commit: no hooks, no index or work tree state, exactly this tree and parent. */
async function createCommit(git: Git, commit: { tree: string; parent: string | null; author: Person; committer: Person; message: string }): Promise<string> {
  const { stdout } = await git(["commit-tree", commit.tree, ...(commit.parent ? ["-p", commit.parent] : []), "-F", "-"], {
    input: commit.message.endsWith("\n") ? commit.message : `${commit.message}\n`,
    env: {
      GIT_AUTHOR_NAME: commit.author.name,
      GIT_AUTHOR_EMAIL: commit.author.email,
      GIT_COMMITTER_NAME: commit.committer.name,
      GIT_COMMITTER_EMAIL: commit.committer.email,
    },
  });
  return stdout.trim();
}

/** The branch tip, or — for a branch that does not exist yet — the remote's default branch, or nothing (empty repository). */
async function fetchBase(git: Git, branch: string): Promise<Base> {
  const tracking = `refs/remotes/origin/${branch}`;
  try {
    await git(["fetch", "-q", "--no-tags", "--depth=1", "origin", `+refs/heads/${branch}:${tracking}`]);
    return { ...(await tipOf(git, tracking)), branchExists: true };
  } catch (error) {
    if (!isMissingRef(error)) throw error;
  }
  try {
    await git(["fetch", "-q", "--no-tags", "--depth=1", "origin", "+HEAD:refs/rampart/default-branch"]);
    return { ...(await tipOf(git, "refs/rampart/default-branch")), branchExists: false };
  } catch (error) {
    if (!isMissingRef(error)) throw error;
    return { commit: null, tree: null, branchExists: false };
  }
}

async function tipOf(git: Git, ref: string): Promise<{ commit: string; tree: string }> {
  const commit = (await git(["rev-parse", "--verify", `${ref}^{commit}`])).stdout.trim();
  const tree = (await git(["rev-parse", "--verify", `${commit}^{tree}`])).stdout.trim();
  return { commit, tree };
}

function isMissingRef(error: unknown): boolean {
  return error instanceof GitCommandError && /couldn't find remote ref/i.test(error.stderr);
}

/** The base's tree with the folder replaced by the export's tree, written as a tree object. */
async function stageTree(git: Git, workDir: string, tree: GitTree, base: Base) {
  await git(base.commit ? ["read-tree", base.commit] : ["read-tree", "--empty"]);
  await git(["rm", "-r", "-f", "-q", "--cached", "--ignore-unmatch", "--", tree.folder]);
  const folderOnDisk = path.join(workDir, tree.folder);
  await rm(folderOnDisk, { recursive: true, force: true }); // left over from an earlier attempt
  for (const file of tree.files) {
    const target = path.join(workDir, repositoryPathOf(tree, file));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content, { mode: 0o644 });
  }
  if (tree.files.length > 0) await git(["add", "-f", "--", tree.folder]);
  const staged = (await git(["write-tree"])).stdout.trim();
  const before = base.tree ?? (await git(["hash-object", "-t", "tree", "-w", "--stdin"], { input: "" })).stdout.trim();
  return { tree: staged, changes: await changesBetween(git, before, staged) };
}

async function changesBetween(git: Git, from: string, to: string) {
  const changes = { added: [] as string[], modified: [] as string[], removed: [] as string[] };
  if (from === to) return changes;
  const fields = (await git(["diff-tree", "-r", "-z", "--no-renames", "--name-status", from, to])).stdout.split("\0").filter(Boolean);
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const status = fields[index]!;
    const file = fields[index + 1]!;
    if (status.startsWith("A")) changes.added.push(file);
    else if (status.startsWith("D")) changes.removed.push(file);
    else changes.modified.push(file);
  }
  return changes;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
