"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { TextAreaField } from "@/components/forms/fields";
import { policyVersionSchema } from "@/lib/policies/policy-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";

type Decision = "approve" | "request-changes" | "reject";
const LABELS: Record<Decision, string> = { approve: "Approve", "request-changes": "Request changes", reject: "Reject" };

/** A reviewer's decision on one queue entry: a comment (required) and one of three answers. The server checks four eyes and If-Match. */
export function DecisionForm({ versionId, version, number }: { versionId: string; version: number; number: number }) {
  const router = useRouter();
  const id = useId();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: (decision: Decision) =>
      apiRequest(`/approvals/${versionId}/${decision}`, { method: "POST", ifMatch: version, body: { note }, schema: policyVersionSchema }),
    onSuccess: () => router.refresh(),
    onError: (e) => setError(e instanceof ApiError && e.fieldErrors.length > 0 ? `${e.message} ${e.fieldErrors.map((f) => f.message).join("; ")}` : e instanceof Error ? e.message : "The decision could not be made."),
  });
  function run(decision: Decision) {
    setError(null);
    if (!note.trim()) {
      setError("Write a comment: the author reads it, and the audit trail keeps it.");
      return;
    }
    decide.mutate(decision);
  }
  return (
    <div className="form-stack" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="visually-hidden">
        Decide version {number}
      </span>
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      <TextAreaField label="Comment" name="note" required value={note} onChange={(e) => setNote(e.target.value)} hint="Required for every decision." />
      <div className="button-row">
        {(["approve", "request-changes", "reject"] as const).map((decision) => (
          <button
            key={decision}
            type="button"
            className={decision === "approve" ? "button" : decision === "reject" ? "button button-danger-outline" : "button button-secondary"}
            disabled={decide.isPending}
            onClick={() => run(decision)}
          >
            {LABELS[decision]}
          </button>
        ))}
      </div>
    </div>
  );
}
