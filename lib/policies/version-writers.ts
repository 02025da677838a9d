// Four eyes in one place: the server's rule (transition-policy-version.ts) and the pages
// that disable Approve beforehand ask the same question.

type UserRef = { id: string };

/** Everyone who may not approve a version: whoever wrote its content (author, editors) and its submitter. */
export function versionWriterIds(version: { author: UserRef; editors: UserRef[]; submittedBy: UserRef | null }): string[] {
  return [...new Set([version.author.id, ...version.editors.map((e) => e.id), ...(version.submittedBy ? [version.submittedBy.id] : [])])];
}
