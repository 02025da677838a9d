// The file tree the GitOps export writes: the content of one folder of a Git
// repository. Paths are relative to the folder and restricted to a safe alphabet, so
// neither a crafted resource name nor a crafted folder can write outside it (or into
// .git) when the tree is committed or unzipped.

import { z } from "zod";

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,252}$/;

function pathSegmentsProblem(value: string): string | null {
  if (value.length === 0) return "must not be empty";
  if (value.length > 1024) return "must be at most 1024 characters";
  for (const segment of value.split("/")) {
    if (!SEGMENT.test(segment)) {
      return "must be a relative path of segments made of letters, digits, '.', '_' and '-' (no leading '.', no empty segments)";
    }
    if (segment.toLowerCase() === ".git") return "must not name .git";
  }
  return null;
}

function relativePath(what: string) {
  return z.string().superRefine((value, context) => {
    const problem = pathSegmentsProblem(value);
    if (problem) context.addIssue({ code: "custom", message: `${what} ${problem}` });
  });
}

/**
 * The folder of the repository that Rampart owns. Never the repository root: the export
 * replaces the folder's whole content, and everything else in the repository is left alone.
 */
export const gitFolderSchema = relativePath("the folder");

export const gitTreeFileSchema = z.strictObject({
  /** Relative to the folder. */
  path: relativePath("a file path"),
  content: z.string(),
});

export const gitTreeSchema = z
  .strictObject({
    folder: gitFolderSchema,
    /** Sorted by path; no two files share a path. */
    files: z.array(gitTreeFileSchema).max(10_000),
  })
  .superRefine((tree, context) => {
    const seen = new Set<string>();
    tree.files.forEach((file, index) => {
      if (seen.has(file.path)) context.addIssue({ code: "custom", path: ["files", index, "path"], message: `the path ${file.path} appears twice` });
      seen.add(file.path);
    });
    // A file and a folder of the same name cannot both exist.
    tree.files.forEach((file, index) => {
      const parts = file.path.split("/");
      for (let depth = 1; depth < parts.length; depth++) {
        const folder = parts.slice(0, depth).join("/");
        if (seen.has(folder)) {
          context.addIssue({ code: "custom", path: ["files", index, "path"], message: `${file.path} lies inside ${folder}, which is also a file` });
        }
      }
    });
  });

export type GitTree = z.output<typeof gitTreeSchema>;
export type GitTreeFile = z.output<typeof gitTreeFileSchema>;

/** A tree file's path inside the repository. */
export function repositoryPathOf(tree: Pick<GitTree, "folder">, file: Pick<GitTreeFile, "path">): string {
  return `${tree.folder}/${file.path}`;
}
