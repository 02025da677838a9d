// One git command, run without a shell (execFile), with an environment built from
// scratch and every known secret scrubbed from what it printed before anything keeps it.

import "server-only";
import { execFile } from "node:child_process";

export type RunGitOptions = {
  cwd: string;
  env: Record<string, string>;
  /** Text written to the command's standard input. */
  input?: string;
  timeoutMs: number;
  /** Values that must never appear in an error message (passwords, tokens, derived headers). */
  secrets: readonly string[];
};

export type GitOutput = { stdout: string; stderr: string };

/** A git command that failed; its output is already redacted. */
export class GitCommandError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    readonly timedOut: boolean,
  ) {
    super(`git ${command} ${timedOut ? "timed out" : `exited with ${exitCode}`}: ${lastLines(stderr || stdout)}`);
    this.name = "GitCommandError";
  }
}

export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      args,
      // The environment is complete on purpose (see prepare-git-access.ts); Next's types
      // would demand NODE_ENV in it, which git has no use for.
      {
        cwd: options.cwd,
        env: options.env as NodeJS.ProcessEnv,
        timeout: options.timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const out = redactSecrets(String(stdout), options.secrets);
        const err = redactSecrets(String(stderr), options.secrets);
        if (!error) return resolve({ stdout: out, stderr: err });
        const exitCode = typeof error.code === "number" ? error.code : null;
        // The first argument names the subcommand; the rest may carry the repository URL, which holds no secret.
        reject(new GitCommandError(args[0] ?? "", exitCode, out, err, error.killed === true || error.signal === "SIGKILL"));
      },
    );
    // A command that exits before reading its input must not crash the process with EPIPE.
    child.stdin?.on("error", () => {});
    child.stdin?.end(options.input ?? "");
  });
}

/** Every occurrence of every secret (and its URL-encoded form) replaced by "***". */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue; // too short to redact without mangling ordinary text; such secrets are refused earlier
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join("***");
  }
  return out;
}

function lastLines(text: string): string {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.slice(-3).join(" / ") || "no output";
}
