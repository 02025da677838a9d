// Where the GitOps export pushes, and how it authenticates. Credentials never reach a
// command line, a URL, a repository's config or a log: HTTP credentials travel as an
// http.extraHeader set through GIT_CONFIG_* environment variables, an SSH key as a 0600
// file in a private temporary folder named by GIT_SSH_COMMAND, and both are removed with
// the work folder. Every input is checked up front and anything unexpected is refused.

import { z } from "zod";
import { knowsOperatorSettings } from "@/lib/outbound/egress-rules";
import { hostTextProblem } from "@/lib/outbound/url-text-problem";

const secret = z.string().min(4, "must be at least 4 characters").max(10_000);

export const httpCredentialsSchema = z.union([
  z.strictObject({
    username: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^:\r\n]+$/, "must not contain ':' or line breaks"),
    password: secret,
  }),
  /** A token: GitHub expects the user name x-access-token, GitLab oauth2 (the default is GitHub's). */
  z.strictObject({
    username: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^:\r\n]+$/, "must not contain ':' or line breaks")
      .optional(),
    token: secret,
  }),
]);

export const sshCredentialsSchema = z.strictObject({
  /** A private key in OpenSSH or PEM format, not protected by a passphrase. */
  sshKey: z
    .string()
    .min(1)
    .max(20_000)
    .regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "must be a private key"),
  /** known_hosts lines for the server: the host key is always verified (never accepted on first use). */
  knownHosts: z.string().min(1).max(100_000),
});

export const gitRepositorySchema = z.discriminatedUnion("kind", [
  /** A repository on this machine's file system (bare, or with the target branch not checked out). */
  z.strictObject({
    kind: z.literal("local"),
    path: z
      .string()
      .min(1)
      .superRefine((path, context) => {
        const problem = localPathProblem(path);
        if (problem) context.addIssue({ code: "custom", message: problem });
      }),
  }),
  z
    .strictObject({
      kind: z.literal("remote"),
      url: z.string().min(1).max(2_000),
      credentials: z.union([httpCredentialsSchema, sshCredentialsSchema]).optional(),
    })
    .superRefine((repository, context) => {
      const problem = remoteUrlProblem(repository.url, repository.credentials);
      if (problem) context.addIssue({ code: "custom", path: [problem.field], message: problem.message });
    }),
]);

export type GitRepository = z.input<typeof gitRepositorySchema>;
export type HttpCredentials = z.output<typeof httpCredentialsSchema>;
export type SshCredentials = z.output<typeof sshCredentialsSchema>;

export type RemoteTransport = "http" | "ssh";

/**
 * Why a repository on this machine's file system may not be written to, or null. A Git
 * target is named by a person, and the portal's own files (its data directory, another
 * team's repository) are on the same disk: only repositories under the folder the operator
 * names in RAMPART_GIT_LOCAL_DIR qualify, none without it. Pure string rules here (the
 * request schema runs in browsers too); prepare-git-access.ts checks the real path again.
 */
export function localPathProblem(path: string): string | null {
  if (!path.startsWith("/")) return "must be an absolute path";
  if (path.includes("\0")) return "must not contain NUL";
  if (path.split("/").some((segment) => segment === "." || segment === "..")) return "must not contain . or .. segments";
  if (!knowsOperatorSettings()) return null;
  const root = process.env.RAMPART_GIT_LOCAL_DIR?.replace(/\/+$/, "");
  if (!root) return "is a path on the portal's machine, which is refused: use a remote Git URL (an operator may allow a folder with RAMPART_GIT_LOCAL_DIR)";
  if (path !== root && !path.startsWith(`${root}/`)) return `must be inside ${root} (RAMPART_GIT_LOCAL_DIR)`;
  return null;
}

/** The host a remote URL connects to (scp-like user@host:path included). */
export function remoteHostOf(url: string): string | null {
  const scp = /^[^@]+@([^:]+):/.exec(url);
  if (scp && SCP_LIKE.test(url)) return scp[1]!;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9][A-Za-z0-9.-]*:[A-Za-z0-9._~\/-][^\s]*$/;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** How a remote URL is reached, or null when it is not an http(s) or SSH URL. */
export function transportOf(url: string): RemoteTransport | null {
  if (SCP_LIKE.test(url)) return "ssh";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol === "https:" || parsed.protocol === "http:") return "http";
  if (parsed.protocol === "ssh:") return "ssh";
  return null;
}

function remoteUrlProblem(url: string, credentials: unknown): { field: string; message: string } | null {
  const transport = transportOf(url);
  // Other schemes (file://, ext::, git://…) are refused: ext:: runs commands and git:// has no authentication.
  if (transport === null) return { field: "url", message: "must be an https://, http://, ssh:// or user@host:path Git URL" };
  if (/\s/.test(url)) return { field: "url", message: "must not contain white space" };
  const hostProblem = hostTextProblem(remoteHostOf(url) ?? "");
  if (hostProblem) return { field: "url", message: hostProblem };
  if (transport === "http" || url.startsWith("ssh:")) {
    const parsed = new URL(url);
    if (parsed.password || (transport === "http" && parsed.username)) {
      return { field: "url", message: "must not contain credentials; put them in the credentials field" };
    }
    if (parsed.protocol === "http:" && credentials && !LOOPBACK_HOSTS.has(parsed.hostname)) {
      return { field: "url", message: "sends credentials in the clear; use https:// (plain http:// is allowed only on a loopback address)" };
    }
  }
  if (credentials && typeof credentials === "object") {
    const isSsh = "sshKey" in credentials;
    if (isSsh && transport !== "ssh") return { field: "credentials", message: "an SSH key needs an ssh:// or user@host:path URL" };
    if (!isSsh && transport !== "http") return { field: "credentials", message: "a user name and password or token need an https:// URL" };
  }
  return null;
}
