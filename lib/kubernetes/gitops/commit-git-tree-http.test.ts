// The export against a real smart-HTTP Git server (git-http-backend behind Basic auth on
// 127.0.0.1): credentials, and that they never leak into messages, URLs or config.

import { readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors/app-error";
import { createBareRepository, filesOn, git, tempDir } from "./__fixtures__/git-fixtures";
import { startGitHttpServer, type GitHttpServer } from "./__fixtures__/git-http-server";
import { sampleResources } from "./__fixtures__/gitops-resources";
import { commitGitTree, type CommitGitTreeInput } from "./commit-git-tree";
import { renderGitTree } from "./render-git-tree";

const USER = "rampart-bot";
const PASSWORD = "s3cret-Pa55word-for-the-test";
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString("base64");

let root: ReturnType<typeof tempDir>;
let server: GitHttpServer;
let tokenServer: GitHttpServer;

beforeAll(async () => {
  root = tempDir("rampart-gitops-http-");
  createBareRepository(root.path, "platform", { files: { "README.md": "# Platform\n" } });
  server = await startGitHttpServer({ projectRoot: root.path, username: USER, password: PASSWORD });
  tokenServer = await startGitHttpServer({ projectRoot: root.path, username: "x-access-token", password: "ghp_testtoken0123456789" });
});
afterAll(async () => {
  await server?.close();
  await tokenServer?.close();
  root?.remove();
});

function input(overrides: Partial<CommitGitTreeInput> = {}): CommitGitTreeInput {
  return {
    repository: { kind: "remote", url: `${server.url}/platform.git`, credentials: { username: USER, password: PASSWORD } },
    branch: "main",
    tree: renderGitTree({ resources: sampleResources(), folder: "rampart" }),
    author: { name: "Dana Lead", email: "lead@rampart.local" },
    message: "Rampart: deliver",
    ...overrides,
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

/** Every message, stack and serialised field along the error's cause chain. */
function everythingSaidBy(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    parts.push(String((current as Error).message), String((current as Error).stack), JSON.stringify(current));
  }
  return parts.join("\n");
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

describe("commitGitTree over smart HTTP with Basic authentication", () => {
  it("pushes with the right password, sending it only as a header, never in the URL or the work repository's config", async () => {
    const configs: string[] = [];
    const result = await commitGitTree(
      input({
        hooks: {
          beforePush: ({ workDir }) => {
            // Everything git keeps on disk in the work folder, read while the export runs.
            for (const file of filesUnder(path.join(workDir, ".git")).filter((name) => !name.includes(`${path.sep}objects${path.sep}`))) {
              configs.push(readFileSync(file, "latin1"));
            }
            expect(git(workDir, ["remote", "get-url", "origin"]).trim()).toBe(`${server.url}/platform.git`);
          },
        },
      }),
    );
    expect(result.changed).toBe(true);
    expect(filesOn(path.join(root.path, "platform.git"), "main")["rampart/kustomization.yaml"]).toContain("kind: Kustomization");
    expect(configs.length).toBeGreaterThan(0);
    for (const text of configs) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(BASIC);
    }
    // The remote's own config holds no credentials either.
    expect(readFileSync(path.join(root.path, "platform.git", "config"), "utf8")).not.toContain(PASSWORD);
    // Every request carried the credentials (no anonymous round trip first), and no URL did.
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((request) => request.authorized)).toBe(true);
    expect(server.requests.some((request) => request.path.includes("git-receive-pack"))).toBe(true);
    for (const request of server.requests) expect(request.path).not.toContain(PASSWORD);
  });

  it("reports a wrong password as an authentication failure without revealing it", async () => {
    const wrong = "wrong-password-1234567";
    const before = git(path.join(root.path, "platform.git"), ["rev-parse", "refs/heads/main"]);
    const error = await rejection(
      commitGitTree(input({ repository: { kind: "remote", url: `${server.url}/platform.git`, credentials: { username: USER, password: wrong } } })),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.details.reason).toBe("authentication-failed");
    expect(error.message).toContain("refused the credentials");
    const said = everythingSaidBy(error);
    expect(said).not.toContain(wrong);
    expect(said).not.toContain(Buffer.from(`${USER}:${wrong}`).toString("base64"));
    expect(said).not.toContain(PASSWORD);
    expect(git(path.join(root.path, "platform.git"), ["rev-parse", "refs/heads/main"])).toBe(before);
  });

  it("reports missing credentials as an authentication failure instead of prompting", async () => {
    const error = await rejection(commitGitTree(input({ repository: { kind: "remote", url: `${server.url}/platform.git` } })));
    expect(error.details.reason).toBe("authentication-failed");
  });

  it("pushes with a token (GitHub's user name by default)", async () => {
    const result = await commitGitTree(
      input({
        repository: { kind: "remote", url: `${tokenServer.url}/platform.git`, credentials: { token: "ghp_testtoken0123456789" } },
        tree: renderGitTree({ resources: sampleResources().slice(0, 2), folder: "rampart-token" }),
      }),
    );
    expect(result.changed).toBe(true);
    expect(tokenServer.requests.every((request) => request.authorized)).toBe(true);
  });

  it("reports a repository the server does not have", async () => {
    const error = await rejection(
      commitGitTree(input({ repository: { kind: "remote", url: `${server.url}/nothing-here.git`, credentials: { username: USER, password: PASSWORD } } })),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.details.reason).toBe("repository-not-found");
  });

  it("reports a server that cannot be reached", async () => {
    const port = await closedPort();
    const error = await rejection(
      commitGitTree(
        input({ repository: { kind: "remote", url: `http://127.0.0.1:${port}/platform.git`, credentials: { username: USER, password: PASSWORD } } }),
      ),
    );
    expect(error.code).toBe("SERVICE_UNAVAILABLE");
    expect(error.details.reason).toBe("network-unreachable");
    expect(everythingSaidBy(error)).not.toContain(PASSWORD);
  });

  it.each([
    ["credentials inside the URL", `http://${USER}:${PASSWORD}@127.0.0.1/platform.git`, { username: USER, password: PASSWORD }, "repository.url"],
    ["credentials over plain http to another host", "http://git.example.com/platform.git", { username: USER, password: PASSWORD }, "repository.url"],
    ["the ext:: transport, which runs commands", "ext::sh -c touch% /tmp/pwned", undefined, "repository.url"],
    ["a file:// URL as a remote", "file:///etc", undefined, "repository.url"],
    [
      "an SSH key for an https URL",
      "https://git.example.com/platform.git",
      { sshKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n", knownHosts: "git.example.com ssh-ed25519 AAAA" },
      "repository.credentials",
    ],
  ])("refuses %s", async (_, url, credentials, field) => {
    const error = await rejection(
      commitGitTree(input({ repository: { kind: "remote", url, ...(credentials ? { credentials } : {}) } as CommitGitTreeInput["repository"] })),
    );
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fieldErrors.map((entry) => entry.path)).toContain(field);
    expect(JSON.stringify(error.fieldErrors)).not.toContain(PASSWORD);
  });
});

async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
