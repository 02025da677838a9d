import "server-only";
import { fileURLToPath } from "node:url";
import type { GitCredentials } from "@/lib/delivery/delivery-schemas";
import { AppError } from "@/lib/errors/app-error";
import type { GitRepository } from "@/lib/kubernetes/gitops/git-repository";

/** Where a target's export goes when it names no folder: the export owns a folder, never the repository root. */
export const DEFAULT_GIT_FOLDER = "rampart";

/**
 * A Git target's repository as the GitOps export takes it: a local path (or file:// URL)
 * as is; a remote URL with the target's credentials (decrypted by lib/delivery) in the
 * export's form. lib/delivery stores an SSH key without the server's known hosts, and the export
 * never accepts a host key on first use, so an SSH key is refused rather than trusted blindly.
 */
export function gitTargetRepository(target: { repository: string | null; gitCredentials: GitCredentials | null }): GitRepository {
  const location = target.repository;
  if (!location) throw new AppError("CONFLICT", "The target names no repository.");
  if (location.startsWith("/")) return { kind: "local", path: location };
  if (location.startsWith("file:")) return { kind: "local", path: fileURLToPath(location) };
  const credentials = target.gitCredentials;
  if (!credentials) return { kind: "remote", url: location };
  if (credentials.sshPrivateKey) {
    throw new AppError(
      "CONFLICT",
      "The target's SSH key cannot be used: Rampart verifies a Git server's host key and the target has no known-hosts entry for it. Use an https:// URL with a token.",
      {
        details: { reason: "ssh-known-hosts-missing" },
      },
    );
  }
  if (credentials.username && credentials.password)
    return { kind: "remote", url: location, credentials: { username: credentials.username, password: credentials.password } };
  return { kind: "remote", url: location, credentials: { token: credentials.password!, ...(credentials.username ? { username: credentials.username } : {}) } };
}

export function gitTargetFolder(target: { folder: string | null }): string {
  const folder = (target.folder ?? "").replace(/^\/+|\/+$/g, "");
  return folder === "" ? DEFAULT_GIT_FOLDER : folder;
}
