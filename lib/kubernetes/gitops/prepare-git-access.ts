// The environment every git command of an export runs with: built from scratch (no
// user or system config, credential helpers or terminal prompts can interfere or leak),
// plus the repository's credentials.

import "server-only";
import { chmod, realpath, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { z } from "zod";
import { resolveChecked, type Resolve } from "@/lib/outbound/guarded-lookup";
import { OutboundRefusedError } from "@/lib/outbound/outbound-refused";
import { localPathProblem, remoteHostOf, transportOf, type gitRepositorySchema } from "./git-repository";

export type GitAccess = {
  /** The URL git is given; it never holds a credential. */
  url: string;
  env: Record<string, string>;
  /** What run-git must scrub from any output. */
  secrets: string[];
};

// No proxy variables: git connects to the address the outbound guard checked (below), never
// through a host the environment names.
const PASSED_THROUGH = ["PATH", "SSL_CERT_FILE", "SSL_CERT_DIR"];

/**
 * @param privateDir an empty folder only this process can read (0700); key files go here
 *   and it doubles as HOME, so nothing from the real home folder is read.
 */
export async function prepareGitAccess(repository: z.output<typeof gitRepositorySchema>, privateDir: string, resolve?: Resolve): Promise<GitAccess> {
  let sshPin: string[] = [];
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, {
    HOME: privateDir,
    XDG_CONFIG_HOME: privateDir,
    LC_ALL: "C", // error classification reads git's English messages
    LANG: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "", // empty: no askpass program, so a refused credential fails instead of prompting
    GIT_LITERAL_PATHSPECS: "1",
    GIT_ALLOW_PROTOCOL: repository.kind === "local" ? "file" : "http:https:ssh",
  });
  const config: [string, string][] = [
    ["credential.helper", ""], // no stored credentials: exactly the ones given, or none
    ["http.followRedirects", "false"], // the Authorization header must not follow a redirect to another host
    ["http.lowSpeedLimit", "1000"],
    ["http.lowSpeedTime", "30"],
    ["gc.auto", "0"],
    ["commit.gpgSign", "false"],
  ];
  const secrets: string[] = [];
  let url: string;

  if (repository.kind === "local") {
    // The folder rule again on the real path: a symbolic link inside the allowed folder must not lead out of it.
    const real = await realpath(repository.path).catch(() => repository.path);
    const problem = localPathProblem(real);
    if (problem) throw new OutboundRefusedError("address", `the repository path ${problem}`);
    url = pathToFileURL(repository.path).href;
  } else {
    url = repository.url;
    // The outbound guard for the git CLI: the host is resolved and checked now, and git
    // connects to that address (curl's resolve list; ssh's HostName, the host key still
    // checked under the name), so nothing resolves it again between check and connect.
    const pinned = await pinRemote(url, resolve);
    if (pinned.http) config.push(["http.curloptResolve", pinned.http]);
    sshPin = pinned.ssh;
    const credentials = repository.credentials;
    if (credentials && "sshKey" in credentials) {
      const keyFile = path.join(privateDir, "id_rampart");
      const knownHostsFile = path.join(privateDir, "known_hosts");
      await writeFile(keyFile, credentials.sshKey.endsWith("\n") ? credentials.sshKey : `${credentials.sshKey}\n`, { mode: 0o600 });
      await writeFile(knownHostsFile, credentials.knownHosts.endsWith("\n") ? credentials.knownHosts : `${credentials.knownHosts}\n`, { mode: 0o600 });
      await chmod(keyFile, 0o600); // the mode of writeFile is filtered by the umask; ssh refuses group-readable keys
      env.GIT_SSH_COMMAND = sshCommand(keyFile, knownHostsFile, sshPin);
      env.GIT_SSH_VARIANT = "ssh";
    } else if (transportOf(url) === "ssh") {
      // No key: ssh still connects to the checked address, and never prompts.
      env.GIT_SSH_COMMAND = ["ssh", "-F /dev/null", ...sshPin, "-o BatchMode=yes", "-o ConnectTimeout=20"].join(" ");
      env.GIT_SSH_VARIANT = "ssh";
    } else if (credentials) {
      const username = "token" in credentials ? (credentials.username ?? "x-access-token") : credentials.username;
      const password = "token" in credentials ? credentials.token : credentials.password;
      const basic = Buffer.from(`${username}:${password}`, "utf8").toString("base64");
      config.push(["http.extraHeader", `Authorization: Basic ${basic}`]);
      secrets.push(password, basic);
    }
  }

  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return { url, env, secrets };
}

/** git runs GIT_SSH_COMMAND through a shell, so the file names are single-quoted. */
export function sshCommand(keyFile: string, knownHostsFile: string, pin: string[] = []): string {
  return [
    "ssh",
    ...pin,
    "-F /dev/null",
    `-i ${shellQuote(keyFile)}`,
    "-o IdentitiesOnly=yes",
    "-o IdentityAgent=none",
    `-o UserKnownHostsFile=${shellQuote(knownHostsFile)}`,
    "-o GlobalKnownHostsFile=/dev/null",
    "-o StrictHostKeyChecking=yes",
    "-o BatchMode=yes",
    "-o ConnectTimeout=20",
  ].join(" ");
}

/** The checked address of a remote's host, as git's settings take it. */
async function pinRemote(url: string, resolve?: Resolve): Promise<{ http: string | null; ssh: string[] }> {
  const host = remoteHostOf(url);
  if (!host) throw new OutboundRefusedError("address", "the repository URL names no host");
  const { address, family } = await resolveChecked(host, resolve);
  if (transportOf(url) === "http") {
    const parsed = new URL(url);
    const port = parsed.port || (parsed.protocol === "https:" ? "443" : "80");
    return { http: `${parsed.hostname.replace(/^\[|\]$/g, "")}:${port}:${family === 6 ? `[${address}]` : address}`, ssh: [] };
  }
  return { http: null, ssh: [`-o HostName=${shellQuote(address)}`, `-o HostKeyAlias=${shellQuote(host)}`] };
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
