"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { policyVersionSchema } from "@/lib/policies/policy-schemas";
import { apiRequest } from "@/lib/query/api-client";

/**
 * Starts a new draft: a copy of the latest version, or — with `fromVersion` — a restore of
 * an earlier one (a rollback). Opens the draft in the editor.
 */
export function StartDraftButton({
  policyId,
  fromVersion,
  label,
  secondary,
}: {
  policyId: string;
  fromVersion?: { id: string; number: number };
  label: string;
  secondary?: boolean;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: () =>
      apiRequest(`/policies/${policyId}/versions`, {
        method: "POST",
        body: fromVersion ? { fromVersionId: fromVersion.id, note: `Restores version ${fromVersion.number}` } : {},
        schema: policyVersionSchema,
      }),
    onSuccess: (draft) => router.push(`/policies/${policyId}/versions/${draft.id}`),
    onError: (e) => setError(e instanceof Error ? e.message : "The draft could not be started."),
  });
  return (
    <span className="inline-action">
      <button
        type="button"
        className={`button ${secondary ? "button-secondary button-small" : ""}`}
        onClick={() => {
          setError(null);
          start.mutate();
        }}
        disabled={start.isPending}
      >
        {start.isPending ? "Starting…" : label}
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}
