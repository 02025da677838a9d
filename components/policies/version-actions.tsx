"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { TextAreaField } from "@/components/forms/fields";
import { policyVersionSchema, type PolicyAbilities, type PolicyVersionState } from "@/lib/policies/policy-schemas";
import { POLICY_TRANSITIONS, transitionsFrom, type PolicyTransition } from "@/lib/policies/policy-transitions";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { PublishConfirmation, type PublishImpact } from "./publish-confirmation";

// The state changes a version can take now (from POLICY_TRANSITIONS), offered to whom
// may take them. Each sends If-Match; the server checks everything again.

const ABILITY: Record<PolicyTransition, keyof PolicyAbilities> = {
  submit: "edit",
  approve: "review",
  "request-changes": "review",
  reject: "review",
  publish: "publish",
};

// The transitions that need words: a submission says why, a decision has a comment
// (both required by the server, which audits a refusal).
type AskingTransition = "submit" | "approve" | "request-changes" | "reject";
const ASKING: Record<AskingTransition, { label: string; hint: string; missing: string }> = {
  submit: { label: "Why this change?", hint: "The reviewers read this first.", missing: "Say why this change is made." },
  approve: {
    label: "Comment",
    hint: "The author reads it; the audit trail keeps it. You cannot approve your own change.",
    missing: "Write a comment for the approval.",
  },
  "request-changes": {
    label: "What should change?",
    hint: "The version goes back to its author as a draft, with this comment.",
    missing: "Say what should change.",
  },
  reject: { label: "Why is it rejected?", hint: "The author reads this; the version stays as a record.", missing: "Say why the version is rejected." },
};

export function VersionActions({
  policyId,
  version,
  abilities,
  approveBlocked,
  publishImpact,
  reviewComments = 0,
}: {
  policyId: string;
  version: { id: string; number: number; state: PolicyVersionState; version: number };
  abilities: PolicyAbilities;
  /** Why this reader may not approve (four eyes: their own change), shown beside a disabled button. */
  approveBlocked?: string | null;
  /** What publishing will do, shown for confirmation before it happens. */
  publishImpact?: PublishImpact | null;
  /** Open inline review comments on this version, sent with "Request changes". */
  reviewComments?: number;
}) {
  const router = useRouter();
  const [confirmingPublish, setConfirmingPublish] = useState(false);
  const [error, setError] = useState<{ message: string; extra: string[] } | null>(null);
  // The transition whose form is open: a submission says why, a decision has a comment.
  const [asking, setAsking] = useState<AskingTransition | null>(null);
  const noteId = useId();
  const run = useMutation({
    mutationFn: ({ transition, text }: { transition: PolicyTransition; text?: string }) =>
      apiRequest(`/policies/${policyId}/versions/${version.id}/${transition}`, {
        method: "POST",
        ifMatch: version.version,
        ...(transition === "submit" ? { body: { summary: text } } : transition in ASKING ? { body: { note: text } } : {}),
        schema: policyVersionSchema,
      }),
    onSuccess: () => {
      setAsking(null);
      setConfirmingPublish(false);
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

  function onAsked(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!asking) return;
    const text = String(new FormData(event.currentTarget).get("text") ?? "").trim();
    if (!text) {
      setError({ message: ASKING[asking].missing, extra: [] });
      return;
    }
    run.mutate({ transition: asking, text });
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
        {available.map((transition) =>
          transition === "approve" && approveBlocked ? (
            <span key={transition} className="inline-action">
              <button type="button" className="button" disabled aria-describedby={`${noteId}-approve-blocked`}>
                {POLICY_TRANSITIONS.approve.label}…
              </button>
              <span id={`${noteId}-approve-blocked`} className="muted">
                {approveBlocked}
              </span>
            </span>
          ) : transition === "publish" && publishImpact ? (
            confirmingPublish ? null : (
              <button
                key={transition}
                type="button"
                className="button"
                onClick={() => {
                  setError(null);
                  setConfirmingPublish(true);
                }}
              >
                {POLICY_TRANSITIONS.publish.label}…
              </button>
            )
          ) : transition in ASKING ? (
            asking === transition ? null : (
              <button
                key={transition}
                type="button"
                className={transition === "reject" ? "button button-danger-outline" : transition === "request-changes" ? "button button-secondary" : "button"}
                onClick={() => {
                  setError(null);
                  setAsking(transition as AskingTransition);
                }}
              >
                {POLICY_TRANSITIONS[transition].label}…
              </button>
            )
          ) : (
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
          ),
        )}
      </div>
      {confirmingPublish && publishImpact ? (
        <PublishConfirmation
          versionNumber={version.number}
          impact={publishImpact}
          pending={run.isPending}
          onConfirm={() => run.mutate({ transition: "publish" })}
          onCancel={() => setConfirmingPublish(false)}
        />
      ) : null}
      {asking ? (
        <form onSubmit={onAsked} className="form-stack" noValidate>
          <TextAreaField label={ASKING[asking].label} name="text" required hint={ASKING[asking].hint} autoFocus />
          {asking === "request-changes" && reviewComments > 0 ? (
            <p className="muted">
              {reviewComments === 1 ? "The open inline comment goes" : `The ${reviewComments} open inline comments go`} to the author with this request.
            </p>
          ) : null}
          <div className="button-row">
            <button type="submit" className={asking === "reject" ? "button button-danger" : "button"} disabled={run.isPending}>
              {POLICY_TRANSITIONS[asking].label} version {version.number}
            </button>
            <button type="button" className="button button-secondary" onClick={() => setAsking(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
