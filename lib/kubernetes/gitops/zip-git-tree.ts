// The GitOps tree as a ZIP download: the same files under the same folder, so unpacking
// it at a repository's root gives what the Git export would commit. Deterministic (fixed
// timestamps and attributes, files in path order): the same tree gives the same bytes.

import { zipSync, type Zippable } from "fflate";
import { AppError } from "@/lib/errors/app-error";
import { zodFieldErrors } from "@/lib/shared/zod-field-errors";
import { gitTreeSchema, repositoryPathOf, type GitTree } from "./git-tree";
import { compareStrings } from "./export-sources";

const UNIX = 3;
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;

export function zipGitTree(tree: GitTree): Uint8Array {
  const parsed = gitTreeSchema.safeParse(tree);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", "The tree cannot be zipped.", { fieldErrors: zodFieldErrors(parsed.error, "") });
  }
  // ZIP stores local wall-clock time from 1980 on, and fflate reads the Date's local
  // fields: built from local fields at the time of the call (not once at load, which
  // would shift with the zone) it is stored as 1980-01-01 00:00 in every time zone.
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  const encoder = new TextEncoder();
  const entries: Zippable = {};
  for (const file of [...tree.files].sort((a, b) => compareStrings(a.path, b.path))) {
    entries[repositoryPathOf(tree, file)] = [encoder.encode(file.content), { mtime, os: UNIX, attrs: REGULAR_FILE_0644 }];
  }
  return zipSync(entries, { level: 6, mtime });
}
