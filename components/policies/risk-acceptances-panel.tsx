"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, type FormEvent } from "react";
import { DateTime } from "@/components/date-time";
import { FormAlert, SubmitButton, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";
import { createRiskAcceptanceInput, riskAcceptanceSchema, type RiskAcceptanceView } from "@/lib/policies/policy-schemas";
import { apiRequest } from "@/lib/query/api-client";

// Risk acceptances of one application: the record of each, and for security officers a
// form to accept the risk until a date (or revoke an acceptance early).

export function RiskAcceptancesPanel({
  applicationId,
  acceptances,
  canManage,
  required,
}: {
  applicationId: string;
  acceptances: RiskAcceptanceView[];
  canManage: boolean;
  required: boolean;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, ["reason", "expiresAt"]);
  const create = useMutation({
    mutationFn: (input: { reason: string; expiresAt: string }) =>
      apiRequest(`/applications/${applicationId}/risk-acceptances`, { method: "POST", body: input, schema: riskAcceptanceSchema }),
    onSuccess: () => {
      formRef.current?.reset();
      errors.clear();
      router.refresh();
    },
    onError: errors.fromError,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiRequest(`/applications/${applicationId}/risk-acceptances/${id}/revoke`, { method: "POST", schema: riskAcceptanceSchema }),
    onSuccess: () => router.refresh(),
    onError: errors.fromError,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const date = formValue(data, "expiresAt");
    const input = errors.validate(createRiskAcceptanceInput, {
      reason: formValue(data, "reason"),
      // A date picker gives a day; the acceptance ends at the start of it, UTC.
      expiresAt: date ? `${date}T00:00:00Z` : "",
    });
    if (input) create.mutate(input);
  }

  return (
    <section className="panel" aria-labelledby="risk-heading">
      <h2 id="risk-heading">Risk acceptances</h2>
      <p className="muted">
        An application exposed to the internet goes live only with fine-grained policy of its own, or while a security officer has accepted the risk.
      </p>
      {acceptances.length === 0 ? (
        <p>None recorded.</p>
      ) : (
        <ul className="plain-list">
          {acceptances.map((a) => (
            <li key={a.id}>
              <span className={`badge ${a.active ? "badge-success" : "badge-neutral"}`}>{a.active ? "In force" : a.revokedAt ? "Revoked" : "Expired"}</span> {a.reason} —{" "}
              {a.acceptedBy.name}, until <DateTime value={a.expiresAt} />
              {a.active && canManage ? (
                <>
                  {" "}
                  <button type="button" className="button button-secondary button-small" onClick={() => revoke.mutate(a.id)} disabled={revoke.isPending}>
                    Revoke
                  </button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canManage && required ? (
        <form ref={formRef} onSubmit={onSubmit} noValidate className="form-stack" aria-label="Accept the risk">
          <FormAlert errors={errors.form} />
          <TextAreaField label="Why is the risk accepted?" name="reason" required error={errors.field("reason")} />
          <TextField label="Until" name="expiresAt" type="date" required error={errors.field("expiresAt")} hint="At most 180 days from today." />
          <div className="button-row">
            <SubmitButton pending={create.isPending}>Accept the risk</SubmitButton>
          </div>
        </form>
      ) : null}
    </section>
  );
}
