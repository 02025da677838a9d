import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { tempDir } from "./__fixtures__/git-fixtures";
import { sampleResources } from "./__fixtures__/gitops-resources";
import { commitGitTree } from "./commit-git-tree";
import { gitRepositorySchema } from "./git-repository";
import { prepareGitAccess, sshCommand } from "./prepare-git-access";
import { renderGitTree } from "./render-git-tree";
import { allowLoopbackEgress } from "@/tests/helpers/allow-loopback-egress";

let root: ReturnType<typeof tempDir>;
let sshKey: string;
beforeAll(() => {
  root = tempDir("rampart-gitops-access-");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "rampart-test", "-f", path.join(root.path, "key")]);
  sshKey = readFileSync(path.join(root.path, "key"), "utf8");
});
afterAll(() => root.remove());

describe("prepareGitAccess", () => {
  it("ignores the caller's git configuration, credential helpers and prompts", async () => {
    const access = await prepareGitAccess(gitRepositorySchema.parse({ kind: "local", path: `${root.path}/platform.git` }), root.path);
    expect(access.url).toBe(`file://${root.path}/platform.git`);
    expect(access.env).toMatchObject({
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_TERMINAL_PROMPT: "0",
      GIT_ASKPASS: "",
      HOME: root.path,
      GIT_ALLOW_PROTOCOL: "file",
    });
    expect(Object.keys(access.env).filter((name) => name.startsWith("GIT_TRACE"))).toEqual([]);
    const config = configOf(access.env);
    expect(config["credential.helper"]).toBe("");
    expect(config["http.followRedirects"]).toBe("false");
  });

  it("turns a password into an Authorization header in the environment, and lists what to redact", async () => {
    const access = await prepareGitAccess(
      gitRepositorySchema.parse({ kind: "remote", url: "https://git.example.com/platform.git", credentials: { username: "bot", password: "hunter2-long" } }),
      root.path,
      publicResolve,
    );
    // git connects to the address the outbound guard checked, not to a second resolution.
    expect(configOf(access.env)["http.curloptResolve"]).toBe("git.example.com:443:203.0.113.10");
    const basic = Buffer.from("bot:hunter2-long").toString("base64");
    expect(configOf(access.env)["http.extraHeader"]).toBe(`Authorization: Basic ${basic}`);
    expect(access.url).toBe("https://git.example.com/platform.git");
    expect(access.secrets).toEqual(["hunter2-long", basic]);
    expect(access.env.GIT_ALLOW_PROTOCOL).toBe("http:https:ssh");
  });

  it("writes an SSH key and the known hosts as 0600 files and verifies host keys strictly", async () => {
    const privateDir = tempDir("rampart-gitops-key-");
    try {
      const access = await prepareGitAccess(
        gitRepositorySchema.parse({
          kind: "remote",
          url: "git@git.example.com:platform/gitops.git",
          credentials: { sshKey, knownHosts: "git.example.com ssh-ed25519 AAAAC3Nza" },
        }),
        privateDir.path,
        publicResolve,
      );
      const keyFile = path.join(privateDir.path, "id_rampart");
      expect(readFileSync(keyFile, "utf8")).toBe(sshKey);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(access.env.GIT_SSH_COMMAND).toBe(
        sshCommand(keyFile, path.join(privateDir.path, "known_hosts"), ["-o HostName='203.0.113.10'", "-o HostKeyAlias='git.example.com'"]),
      );
      expect(access.env.GIT_SSH_COMMAND).toContain("StrictHostKeyChecking=yes");
      expect(access.env.GIT_SSH_COMMAND).not.toContain(sshKey.split("\n")[1]!);
    } finally {
      privateDir.remove();
    }
  });

  it("refuses a remote whose name resolves inside the portal's network, and a local path outside the allowed folder", async () => {
    const privateResolve = async () => [{ address: "10.0.0.8", family: 4 }];
    await expect(
      prepareGitAccess(gitRepositorySchema.parse({ kind: "remote", url: "https://git.internal.example/platform.git" }), root.path, privateResolve),
    ).rejects.toMatchObject({
      name: "OutboundRefusedError",
      reason: "address",
    });
    expect(gitRepositorySchema.safeParse({ kind: "local", path: "/etc/rampart/platform.git" }).success).toBe(false);
    expect(gitRepositorySchema.safeParse({ kind: "remote", url: "https://169.254.169.254/latest.git" }).success).toBe(false);
  });

  it("quotes file names for the shell git runs GIT_SSH_COMMAND with", () => {
    expect(sshCommand("/tmp/it's here/id", "/tmp/kh")).toContain(`-i '/tmp/it'\\''s here/id'`);
  });
});

describe("commitGitTree over SSH", () => {
  it("runs the real ssh client with the key and removes the key file afterwards", async () => {
    allowLoopbackEgress();
    const port = await closedPort();
    const before = keyFilesInTmp();
    const error = await commitGitTree({
      repository: {
        kind: "remote",
        url: `ssh://git@127.0.0.1:${port}/platform.git`,
        credentials: { sshKey, knownHosts: `[127.0.0.1]:${port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3Q=` },
      },
      branch: "main",
      tree: renderGitTree({ resources: sampleResources(), folder: "rampart" }),
      author: { name: "Dana Lead", email: "lead@rampart.local" },
      message: "Rampart: deliver",
    }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(AppError);
    // ssh itself ran (our options were accepted) and could not connect.
    expect((error as AppError).details.reason).toBe("network-unreachable");
    expect((error as AppError).message).toContain("Connection refused");
    expect(keyFilesInTmp()).toEqual(before);
  });
});

const publicResolve = async () => [{ address: "203.0.113.10", family: 4 }];

function configOf(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (let index = 0; index < Number(env.GIT_CONFIG_COUNT); index++) out[env[`GIT_CONFIG_KEY_${index}`]!] = env[`GIT_CONFIG_VALUE_${index}`]!;
  return out;
}

function keyFilesInTmp(): string[] {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith("rampart-gitops-"))
    .map((name) => path.join(tmpdir(), name, "private", "id_rampart"))
    .filter((file) => existsSync(file));
}

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
