"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { policyVersionSchema } from "@/lib/policies/policy-schemas";
import { apiRequest } from "@/lib/query/api-client";

/**
 * Rollback: puts an earlier published version back in force as a new version, published at
 * once (security officers). Asks first: the proxies pick it up within a second.
 */
export function RollbackVersionButton({
  policyId,
  policyVersion,
  version,
}: {
  policyId: string;
  policyVersion: number;
  version: { id: string; number: number };
}) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const rollback = useMutation({
    mutationFn: () =>
      apiRequest(`/policies/${policyId}/versions/${version.id}/rollback`, { method: "POST", body: {}, ifMatch: policyVersion, schema: policyVersionSchema }),
    onSuccess: () => {
      setConfirming(false);
      router.refresh();
    },
  });
  if (!confirming) {
    return (
      <button type="button" className="button button-secondary button-small" onClick={() => setConfirming(true)}>
        Roll back to version {version.number}
      </button>
    );
  }
  return (
    <span className="inline-action" role="group" aria-label={`Roll back to version ${version.number}`}>
      <span>Publish version {version.number}’s content again, now?</span>
      <button type="button" className="button button-small button-danger" onClick={() => rollback.mutate()} disabled={rollback.isPending}>
        {rollback.isPending ? "Rolling back…" : "Roll back"}
      </button>
      <button type="button" className="button button-small button-secondary" onClick={() => setConfirming(false)} disabled={rollback.isPending}>
        Cancel
      </button>
      {rollback.error ? (
        <span className="field-error" role="alert">
          {rollback.error.message}
        </span>
      ) : null}
    </span>
  );
}
