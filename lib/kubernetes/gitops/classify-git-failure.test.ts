import { describe, expect, it } from "vitest";
import { classifyGitFailure, gitExportError, isLostPushRace } from "./classify-git-failure";
import { GitCommandError, redactSecrets } from "./run-git";

function failed(stderr: string, stdout = "", timedOut = false) {
  return new GitCommandError("push", timedOut ? null : 128, stdout, stderr, timedOut);
}

describe("classifyGitFailure", () => {
  it.each([
    [
      "GitHub, bad token",
      "remote: Invalid username or password.\nfatal: Authentication failed for 'https://github.com/acme/gitops.git/'",
      "authentication-failed",
    ],
    [
      "GitLab, bad token",
      "remote: HTTP Basic: Access denied.\nfatal: Authentication failed for 'https://gitlab.com/acme/gitops.git/'",
      "authentication-failed",
    ],
    ["no credentials, prompts disabled", "fatal: could not read Username for 'https://git.example.com': terminal prompts disabled", "authentication-failed"],
    [
      "GitHub, token without write access",
      "remote: Permission to acme/gitops.git denied to bot.\nfatal: unable to access 'https://github.com/acme/gitops.git/': The requested URL returned error: 403",
      "authentication-failed",
    ],
    ["SSH key refused", "git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.", "authentication-failed"],
    [
      "SSH host key unknown",
      "No ED25519 host key is known for git.example.com and you have requested strict checking.\nHost key verification failed.\nfatal: Could not read from remote repository.",
      "host-key-verification-failed",
    ],
    ["GitHub, no such repository", "remote: Repository not found.\nfatal: repository 'https://github.com/acme/nope.git/' not found", "repository-not-found"],
    [
      "GitLab, no such project",
      "remote: The project you were looking for could not be found or you don't have permission to view it.\nfatal: repository 'https://gitlab.com/acme/nope.git/' not found",
      "repository-not-found",
    ],
    ["local path", "fatal: '/srv/nope.git' does not appear to be a git repository\nfatal: Could not read from remote repository.", "repository-not-found"],
    [
      "GitHub protected branch",
      "remote: error: GH006: Protected branch update failed for refs/heads/main.\nTo https://github.com/acme/gitops.git\n ! [remote rejected] main -> main (protected branch hook declined)",
      "push-rejected",
    ],
    [
      "GitLab protected branch",
      "remote: GitLab: You are not allowed to push code to protected branches on this project.\n ! [remote rejected] main -> main (pre-receive hook declined)",
      "push-rejected",
    ],
    ["DNS", "fatal: unable to access 'https://git.example.invalid/x.git/': Could not resolve host: git.example.invalid", "network-unreachable"],
    [
      "refused",
      "fatal: unable to access 'https://127.0.0.1:1/x.git/': Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server",
      "network-unreachable",
    ],
    ["SSH refused", "ssh: connect to host 127.0.0.1 port 2222: Connection refused\nfatal: Could not read from remote repository.", "network-unreachable"],
    ["server error", "fatal: unable to access 'https://git.example.com/x.git/': The requested URL returned error: 502", "network-unreachable"],
    ["anything else", "fatal: bad object HEAD", "git-failed"],
  ])("%s", (_, stderr, expected) => {
    expect(classifyGitFailure(failed(stderr))).toBe(expected);
  });

  it("treats a timeout as an unreachable server", () => {
    expect(classifyGitFailure(failed("", "", true))).toBe("network-unreachable");
    expect(gitExportError(failed("", "", true), { repository: "r", branch: "main" }).message).toContain("timed out");
  });

  it("never repeats the server's own words (remote: lines) in the problem it reports", () => {
    const stderr =
      "remote: internal hook output: db=postgres://admin:hunter2@10.0.0.5\n ! [remote rejected] main -> main (pre-receive hook declined)\nerror: failed to push some refs";
    const error = gitExportError(failed(stderr), { repository: "r", branch: "main" });
    expect(error.message).not.toContain("hunter2");
    expect(error.message).toContain("failed to push some refs");
  });
});

describe("isLostPushRace", () => {
  it.each([
    ["fetch first", "!\tabc:refs/heads/main\t[rejected] (fetch first)\nDone", true],
    ["non-fast-forward", "!\tabc:refs/heads/main\t[rejected] (non-fast-forward)\nDone", true],
    [
      "the server's ref lock",
      "!\tabc:refs/heads/main\t[remote rejected] (failed to update ref)\nremote: error: cannot lock ref 'refs/heads/main': is at 1111 but expected 2222",
      true,
    ],
    ["a protected branch", "!\tabc:refs/heads/main\t[remote rejected] (pre-receive hook declined)", false],
  ])("%s → %s", (_, output, expected) => {
    expect(isLostPushRace(failed("", output))).toBe(expected);
  });
});

describe("redactSecrets", () => {
  it("removes every occurrence of each secret, also URL-encoded", () => {
    expect(redactSecrets("a p@ss/word b p%40ss%2Fword c p@ss/word", ["p@ss/word"])).toBe("a *** b *** c ***");
  });
});
