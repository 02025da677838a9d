// Real git repositories in temporary folders for the GitOps tests: a bare "remote", a
// helper to inspect it, and a second clone to push competing commits from.

import { execFileSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync, mkdirSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const IDENTITY: Record<string, string> = {
  PATH: process.env.PATH ?? "",
  LC_ALL: "C",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_AUTHOR_NAME: "Someone Else",
  GIT_AUTHOR_EMAIL: "someone@example.com",
  GIT_COMMITTER_NAME: "Someone Else",
  GIT_COMMITTER_EMAIL: "someone@example.com",
};

/** git with no user or system configuration, a fixed identity and English messages. */
export function git(cwd: string, args: string[], input?: string): string {
  const env: Record<string, string> = { ...IDENTITY, HOME: cwd };
  return execFileSync("git", args, { cwd, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], env: env as NodeJS.ProcessEnv });
}

/**
 * A scratch folder. The portal writes to local repositories only under RAMPART_GIT_LOCAL_DIR
 * (git-repository.ts), so the tests' repositories, all in such folders, allow exactly this one.
 */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), prefix)));
  process.env.RAMPART_GIT_LOCAL_DIR = dir;
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A bare repository; with `files`, a first commit on `branch` holding them. */
export function createBareRepository(root: string, name: string, options: { branch?: string; files?: Record<string, string> } = {}): string {
  const bare = path.join(root, `${name}.git`);
  const branch = options.branch ?? "main";
  git(root, ["init", "-q", "--bare", `--initial-branch=${branch}`, bare]);
  if (options.files) commitFiles(root, bare, branch, options.files, "Initial commit");
  return bare;
}

/** Clones `bare`, writes `files` (null deletes), commits and pushes to `branch`. */
export function commitFiles(root: string, bare: string, branch: string, files: Record<string, string | null>, message: string): string {
  const clone = mkdtempSync(path.join(root, "clone-"));
  try {
    git(root, ["clone", "-q", bare, clone]);
    const branches = git(clone, ["branch", "-r"]);
    if (branches.includes(`origin/${branch}`)) git(clone, ["checkout", "-q", branch]);
    else git(clone, ["checkout", "-q", "--orphan", branch]);
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(clone, file);
      if (content === null) {
        git(clone, ["rm", "-q", "--", file]);
      } else {
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, content);
        git(clone, ["add", "--", file]);
      }
    }
    git(clone, ["commit", "-q", "-m", message]);
    git(clone, ["push", "-q", "origin", `HEAD:refs/heads/${branch}`]);
    return git(clone, ["rev-parse", "HEAD"]).trim();
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}

/** path → content of every file on `branch`. */
export function filesOn(bare: string, branch: string): Record<string, string> {
  const names = git(bare, ["ls-tree", "-r", "-z", "--name-only", `refs/heads/${branch}`]).split("\0").filter(Boolean);
  return Object.fromEntries(names.map((name) => [name, git(bare, ["show", `refs/heads/${branch}:${name}`])]));
}

export function commitCount(bare: string, branch: string): number {
  return Number(git(bare, ["rev-list", "--count", `refs/heads/${branch}`]).trim());
}

/** A pre-receive hook that refuses every push to `branch`, like a protected branch. */
export function protectBranch(bare: string, branch: string): void {
  const hook = path.join(bare, "hooks", "pre-receive");
  writeFileSync(
    hook,
    `#!/bin/sh\nwhile read old new ref; do\n  if [ "$ref" = "refs/heads/${branch}" ]; then\n    echo "GL-HOOK-ERR: You are not allowed to push code to protected branches on this project." >&2\n    exit 1\n  fi\ndone\nexit 0\n`,
  );
  chmodSync(hook, 0o755);
}
