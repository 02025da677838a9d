// What of a policy version goes into audit summaries: enough to find it and tell what
// changed (the hash), not the document itself, which the version keeps.
export function versionAuditView(version: { policyId: string; number: number; state: string; contentHash: string; parentId: string | null }) {
  return {
    policyId: version.policyId,
    number: version.number,
    state: version.state,
    contentHash: version.contentHash,
    parentId: version.parentId,
  };
}
