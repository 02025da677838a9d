"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { TextAreaField } from "@/components/forms/fields";
import { policyVersionSchema } from "@/lib/policies/policy-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";

type Decision = "approve" | "request-changes" | "reject";
const LABELS: Record<Decision, string> = { approve: "Approve", "request-changes": "Request changes", reject: "Reject" };

/**
 * A reviewer's decision on one queue entry: a comment and one of three answers. The
 * server is the judge of every rule (comment, four eyes, If-Match) and audits a refusal,
 * so even a missing comment is sent and its answer shown next to the field.
 */
export function DecisionForm({
  versionId,
  version,
  number,
  label,
  ownChange = false,
}: {
  versionId: string;
  version: number;
  number: number;
  label: string;
  ownChange?: boolean;
}) {
  const router = useRouter();
  const id = useId();
  const [note, setNote] = useState("");
  const [error, setError] = useState<{ message: string; note?: string } | null>(null);
  const decide = useMutation({
    mutationFn: (decision: Decision) =>
      apiRequest(`/approvals/${versionId}/${decision}`, { method: "POST", ifMatch: version, body: { note }, schema: policyVersionSchema }),
    onSuccess: () => router.refresh(),
    onError: (e) => {
      const noteError = e instanceof ApiError ? e.fieldErrors.find((f) => f.path === "body.note")?.message : undefined;
      setError({ message: e instanceof Error ? e.message : "The decision could not be made.", note: noteError });
      // Someone else decided first: show the entry as it is now.
      if (e instanceof ApiError && e.isConflict) router.refresh();
    },
  });
  return (
    <div className="form-stack" role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="visually-hidden">
        Decide {label} version {number}
      </span>
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>{error.message}</p>
        </div>
      ) : null}
      <TextAreaField
        label="Comment"
        name="note"
        required
        value={note}
        onChange={(e) => setNote(e.target.value)}
        error={error?.note ? `Comment ${error.note}` : undefined}
        hint="Required for every decision: the author reads it, and the audit trail keeps it."
      />
      <div className="button-row">
        {(["approve", "request-changes", "reject"] as const).map((decision) => (
          <button
            key={decision}
            type="button"
            className={decision === "approve" ? "button" : decision === "reject" ? "button button-danger-outline" : "button button-secondary"}
            // Four eyes: the author sees why instead of a refusal after the click (the server checks all the same).
            disabled={decide.isPending || (decision === "approve" && ownChange)}
            aria-describedby={decision === "approve" && ownChange ? `${id}-own` : undefined}
            onClick={() => {
              setError(null);
              decide.mutate(decision);
            }}
          >
            {LABELS[decision]}
          </button>
        ))}
        {ownChange ? (
          <span id={`${id}-own`} className="muted">
            Your own change: another security officer approves it.
          </span>
        ) : null}
      </div>
    </div>
  );
}
