"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { DateTime } from "@/components/date-time";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { TextAreaField, TextField, formValue } from "@/components/forms/fields";
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
  const form = useApiForm({
    fields: ["reason", "expiresAt"],
    input: (data, errors) => {
      const date = formValue(data, "expiresAt");
      return errors.validate(createRiskAcceptanceInput, {
        reason: formValue(data, "reason"),
        // A date picker gives a day; the acceptance ends at the start of it, UTC.
        expiresAt: date ? `${date}T00:00:00Z` : "",
      });
    },
    mutationFn: (input) => apiRequest(`/applications/${applicationId}/risk-acceptances`, { method: "POST", body: input, schema: riskAcceptanceSchema }),
    onSuccess: () => {
      form.ref.current?.reset();
      router.refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiRequest(`/applications/${applicationId}/risk-acceptances/${id}/revoke`, { method: "POST", schema: riskAcceptanceSchema }),
    onSuccess: () => router.refresh(),
    onError: form.errors.fromError,
  });

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
              <span className={`badge ${a.active ? "badge-success" : "badge-neutral"}`}>{a.active ? "In force" : a.revokedAt ? "Revoked" : "Expired"}</span>{" "}
              {a.reason} — {a.acceptedBy.name}, until <DateTime value={a.expiresAt} />
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
        <ApiForm form={form} submitLabel="Accept the risk" className="form-stack" aria-label="Accept the risk">
          <TextAreaField label="Why is the risk accepted?" name="reason" required error={form.errors.field("reason")} />
          <TextField label="Until" name="expiresAt" type="date" required error={form.errors.field("expiresAt")} hint="At most 180 days from today." />
        </ApiForm>
      ) : null}
    </section>
  );
}
