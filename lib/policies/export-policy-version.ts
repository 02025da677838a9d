import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { serializePolicyDocument } from "@/lib/policy-spec";
import { getPolicyRecord, getVersionRecord } from "./policy-records";
import { storedDocumentOf } from "./stored-policy-document-of";

const SCHEMA_FILES = { baseline: "baseline-policy.json", application: "application-policy.json" } as const;

/**
 * A version as a YAML file to keep in Git. Importing it again (as a new draft or policy)
 * yields the same document and content hash; the leading comments say where it came
 * from and are ignored on import.
 */
export async function exportPolicyVersion({
  actor,
  policyId,
  versionId,
  origin,
}: {
  actor: Actor;
  policyId: string;
  versionId: string;
  /** The portal's origin, for the modeline that lets editors validate the file against its JSON Schema. */
  origin?: string;
}) {
  const policy = await getPolicyRecord({ actor, id: policyId });
  const version = await getVersionRecord({ policyId, versionId });
  const yaml = serializePolicyDocument(storedDocumentOf(policy.kind, version), {
    schemaUrl: origin ? `${origin}/schemas/${SCHEMA_FILES[policy.kind]}` : undefined,
  });
  const header = `# Rampart policy ${policy.name}, version ${version.number} (${version.state}), ${version.contentHash}\n`;
  return { filename: `${policy.name}-v${version.number}.yaml`, yaml: header + yaml, contentHash: version.contentHash };
}
