import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { getVersionRecord, requireReadablePolicy, toVersionView } from "./policy-records";

/** One version of a policy the actor may read, with its content. */
export async function getPolicyVersion({ actor, policyId, versionId }: { actor: Actor; policyId: string; versionId: string }) {
  await requireReadablePolicy({ actor, id: policyId });
  return toVersionView(await getVersionRecord({ policyId, versionId }));
}
