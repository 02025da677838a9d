// Where the GitOps export pushes, and how it authenticates. Credentials never reach a
// command line, a URL, a repository's config or a log: HTTP credentials travel as an
// http.extraHeader set through GIT_CONFIG_* environment variables, an SSH key as a 0600
// file in a private temporary folder named by GIT_SSH_COMMAND, and both are removed with
// the work folder. Every input is checked up front and anything unexpected is refused.

import { z } from "zod";

const secret = z.string().min(4, "must be at least 4 characters").max(10_000);

export const httpCredentialsSchema = z.union([
  z.strictObject({ username: z.string().min(1).max(200).regex(/^[^:\r\n]+$/, "must not contain ':' or line breaks"), password: secret }),
  /** A token: GitHub expects the user name x-access-token, GitLab oauth2 (the default is GitHub's). */
  z.strictObject({ username: z.string().min(1).max(200).regex(/^[^:\r\n]+$/, "must not contain ':' or line breaks").optional(), token: secret }),
]);

export const sshCredentialsSchema = z.strictObject({
  /** A private key in OpenSSH or PEM format, not protected by a passphrase. */
  sshKey: z.string().min(1).max(20_000).regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "must be a private key"),
  /** known_hosts lines for the server: the host key is always verified (never accepted on first use). */
  knownHosts: z.string().min(1).max(100_000),
});

export const gitRepositorySchema = z.discriminatedUnion("kind", [
  /** A repository on this machine's file system (bare, or with the target branch not checked out). */
  z.strictObject({ kind: z.literal("local"), path: z.string().min(1).refine((path) => path.startsWith("/"), "must be an absolute path") }),
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
