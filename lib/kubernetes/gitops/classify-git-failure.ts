// A failed git command → what went wrong, in words a platform team can act on. Git's
// messages (LC_ALL=C) differ by transport and server, so each class lists the forms
// seen from git itself, GitHub, GitLab, Bitbucket and OpenSSH.

import { AppError, type ErrorCode } from "@/lib/errors/app-error";
import { GitCommandError } from "./run-git";

export const GIT_FAILURES = [
  "repository-not-found",
  "authentication-failed",
  "host-key-verification-failed",
  "push-rejected",
  "network-unreachable",
  "git-failed",
] as const;
export type GitFailure = (typeof GIT_FAILURES)[number];

const PATTERNS: [GitFailure, RegExp][] = [
  ["host-key-verification-failed", /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No (?:RSA|ECDSA|ED25519) host key is known/i],
  [
    "authentication-failed",
    /Authentication failed|could not read (?:Username|Password)|terminal prompts disabled|Permission denied \(publickey|HTTP Basic: Access denied|returned error: 40[13]\b|Invalid username or (?:password|token)|Load key .*: (?:invalid format|bad permissions)/i,
  ],
  [
    "repository-not-found",
    /Repository not found|repository '.*' not found|does not appear to be a git repository|returned error: 404\b|The project you were looking for could not be found/i,
  ],
  ["push-rejected", /\[remote rejected\]|protected branch|pre-receive hook declined|denied to|\[rejected\]|You are not allowed to push/i],
  [
    "network-unreachable",
    /Could not resolve host|Failed to connect|Connection refused|Connection timed out|Connection reset|Network is unreachable|Operation timed out|No route to host|Could not resolve hostname|Empty reply from server|returned error: 5\d\d\b|SSL certificate problem|unable to access|early EOF|the remote end hung up unexpectedly/i,
  ],
];

export function classifyGitFailure(error: GitCommandError): GitFailure {
  if (error.timedOut) return "network-unreachable";
  const output = `${error.stderr}\n${error.stdout}`;
  for (const [failure, pattern] of PATTERNS) if (pattern.test(output)) return failure;
  return "git-failed";
}

/**
 * Whether a push failed only because the branch moved after it was fetched, so doing it
 * again on the new tip will work: the client saw the new tip (non-fast-forward), or the
 * server did, while taking its ref lock (two pushes at the same moment).
 */
export function isLostPushRace(error: GitCommandError): boolean {
  const output = `${error.stdout}\n${error.stderr}`;
  if (/\[rejected\].*\((?:fetch first|non-fast-forward)\)/.test(output)) return true;
  return /\[remote rejected\]/.test(output) && /cannot lock ref|is at [0-9a-f]+ but expected|incorrect old value provided/.test(output);
}

// None of these is the caller's own authentication or authorization: a refused credential
// is the Git target's, so it must not come back as 401/403 (which would send the browser
// to sign-in, or be audited as a denied request). Same mapping as cluster failures
// (lib/kubernetes/delivery/cluster-failure.ts): the target's configuration → CONFLICT,
// the server out of reach → SERVICE_UNAVAILABLE.
const CODES: Record<GitFailure, ErrorCode> = {
  "repository-not-found": "CONFLICT",
  "authentication-failed": "CONFLICT",
  "host-key-verification-failed": "CONFLICT",
  "push-rejected": "CONFLICT",
  "network-unreachable": "SERVICE_UNAVAILABLE",
  "git-failed": "INTERNAL",
};

function messageOf(failure: GitFailure, context: { repository: string; branch: string }, detail: string): string {
  switch (failure) {
    case "repository-not-found":
      return `The Git repository ${context.repository} was not found (or the credentials cannot see it). ${detail}`;
    case "authentication-failed":
      return `The Git server refused the credentials for ${context.repository}; check the user name and password or token (or the SSH key). ${detail}`;
    case "host-key-verification-failed":
      return `The SSH host key of ${context.repository} does not match the known hosts configured for it. ${detail}`;
    case "push-rejected":
      return `The Git server rejected the push to branch ${context.branch} of ${context.repository} (a protected branch or a server-side rule). ${detail}`;
    case "network-unreachable":
      return `The Git server of ${context.repository} could not be reached. ${detail}`;
    case "git-failed":
      return `Git failed on ${context.repository}. ${detail}`;
  }
}

/** The AppError for a failed git command; `details.reason` carries the class for the UI. */
export function gitExportError(error: GitCommandError, context: { repository: string; branch: string }): AppError {
  const failure = classifyGitFailure(error);
  const detail = error.timedOut ? `(git ${error.command} timed out)` : `(git: ${gitSays(error)})`;
  return new AppError(CODES[failure], messageOf(failure, context, detail), { details: { reason: failure }, cause: error });
}

// Git's closing advice after any transport failure; the line before it says what happened.
const BOILERPLATE =
  /^(?:To |Done$|hint:|fatal: Could not read from remote repository\.$|Please make sure you have the correct access rights$|and the repository exists\.$)/;

/** The lines of git's output that say why, without progress noise and boilerplate. */
function gitSays(error: GitCommandError): string {
  const lines = `${error.stderr}\n${error.stdout}`
    .split("\n")
    .map((line) => line.trim())
    // "remote:" lines are the server's own words (hook output, banners): never repeated.
    .filter((line) => line && !BOILERPLATE.test(line) && !/^remote:/i.test(line));
  return lines.slice(-3).join(" / ") || `exit ${error.exitCode}`;
}
