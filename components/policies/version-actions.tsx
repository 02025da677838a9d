"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { TextAreaField } from "@/components/forms/fields";
import { policyVersionSchema, type PolicyAbilities, type PolicyVersionState } from "@/lib/policies/policy-schemas";
import { POLICY_TRANSITIONS, transitionsFrom, type PolicyTransition } from "@/lib/policies/policy-transitions";
import { ApiError, apiRequest } from "@/lib/query/api-client";

// The state changes a version can take now (from POLICY_TRANSITIONS), offered to whom
// may take them. Each sends If-Match; the server checks everything again.

const ABILITY: Record<PolicyTransition, keyof PolicyAbilities> = { submit: "edit", approve: "review", reject: "review", publish: "publish" };

export function VersionActions({
  policyId,
  version,
  abilities,
}: {
  policyId: string;
  version: { id: string; number: number; state: PolicyVersionState; version: number };
  abilities: PolicyAbilities;
}) {
  const router = useRouter();
  const [error, setError] = useState<{ message: string; extra: string[] } | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const noteId = useId();
  const run = useMutation({
    mutationFn: ({ transition, note }: { transition: PolicyTransition; note?: string }) =>
      apiRequest(`/policies/${policyId}/versions/${version.id}/${transition}`, {
        method: "POST",
        ifMatch: version.version,
        ...(transition === "reject" ? { body: { note } } : {}),
        schema: policyVersionSchema,
      }),
    onSuccess: () => {
      setRejecting(false);
      router.refresh();
    },
    onError: (e) =>
      setError({
        message: e instanceof Error ? e.message : "The change could not be made.",
        extra: e instanceof ApiError ? e.fieldErrors.map((f) => `${f.path}: ${f.message}`) : [],
      }),
  });
  const available = transitionsFrom(version.state).filter((t) => abilities[ABILITY[t]]);
  if (available.length === 0) return null;

  function onReject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get("note") ?? "").trim();
    if (!note) {
      setError({ message: "Say why the version is rejected.", extra: [] });
      return;
    }
    run.mutate({ transition: "reject", note });
  }

  return (
    <section className="panel no-print" aria-labelledby={`${noteId}-heading`}>
      <h2 id={`${noteId}-heading`}>Next step</h2>
      {error ? (
        <div className="alert alert-error" role="alert" tabIndex={-1}>
          <p>{error.message}</p>
          {error.extra.length > 0 ? (
            <ul>
              {error.extra.map((e) => (
                <li key={e}>{e}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <div className="button-row">
        {available
          .filter((t) => t !== "reject")
          .map((transition) => (
            <button
              key={transition}
              type="button"
              className="button"
              disabled={run.isPending}
              onClick={() => {
                setError(null);
                run.mutate({ transition });
              }}
            >
              {POLICY_TRANSITIONS[transition].label}
            </button>
          ))}
        {available.includes("reject") && !rejecting ? (
          <button type="button" className="button button-danger-outline" onClick={() => setRejecting(true)}>
            Reject…
          </button>
        ) : null}
      </div>
      {rejecting ? (
        <form onSubmit={onReject} className="form-stack" noValidate>
          <TextAreaField label="Why is it rejected?" name="note" required hint="The author reads this; the version stays as a record." autoFocus />
          <div className="button-row">
            <button type="submit" className="button button-danger" disabled={run.isPending}>
              Reject version {version.number}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setRejecting(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
