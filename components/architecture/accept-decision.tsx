"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { decisionSchema } from "@/lib/architecture/architecture-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";

/** Accepting asks for confirmation, sends the version seen (If-Match), then re-renders the record. */
export function AcceptDecision({ id, version, reference, supersedes }: { id: string; version: number; reference: string; supersedes: string | null }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const accept = useMutation({
    mutationFn: () => apiRequest(`/architecture/decisions/${id}/accept`, { method: "POST", ifMatch: version, schema: decisionSchema }),
    onSuccess: () => router.refresh(),
  });

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const error = accept.error;
  return (
    <section className="panel" aria-labelledby="accept-heading">
      <h2 id="accept-heading">Accept this decision</h2>
      <p>
        Accepting makes {reference} the decision in force{supersedes ? ` and supersedes ${supersedes}` : ""}. From then on it decides where the baseline is
        enforced, who edits which policy, and where policy is delivered.
      </p>
      {error ? (
        <div className="alert alert-error" role="alert" tabIndex={-1}>
          <p>{error.message}</p>
          {error instanceof ApiError && error.isConflict ? (
            <button type="button" className="button button-secondary" onClick={() => router.refresh()}>
              Reload the record
            </button>
          ) : null}
        </div>
      ) : null}
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="accept-confirm-text">
          <p id="accept-confirm-text">
            <strong>Accept {reference}?</strong>
          </p>
          <div className="button-row">
            <button ref={confirmRef} type="button" className="button" onClick={() => accept.mutate()} disabled={accept.isPending || accept.isSuccess}>
              {accept.isPending || accept.isSuccess ? "Accepting…" : `Yes, accept ${reference}`}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setConfirming(false)} disabled={accept.isPending}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button" onClick={() => setConfirming(true)}>
          Accept {reference}
        </button>
      )}
    </section>
  );
}
