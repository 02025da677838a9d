"use client";
import Link from "next/link";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { TextAreaField, TextField, formValue } from "@/components/forms/fields";
import { apiRequest } from "@/lib/query/api-client";
import { exceptionDraftInput, exceptionDraftResultSchema } from "@/lib/security-events/security-event-schemas";

type Proposal = {
  policyId: string;
  exception: {
    id: string;
    ruleId: string;
    part: string;
    name?: string;
    pointer?: string;
    conditions: { paths: string[]; methods?: string[] };
    expires: string;
  };
  maxLifetimeDays: number;
  impact: { days: number; events: number; clients: number };
};

/**
 * "This is a false positive": the narrowest exception, prefilled and shown in words, with
 * what it would have let through; the person adds why and, if they want, an earlier expiry.
 * Saving puts it into the application's draft (the policy editor shows and edits it there).
 */
export function FalsePositiveWizard({ eventId, proposal, today }: { eventId: string; proposal: Proposal; today: string }) {
  const { exception, impact } = proposal;
  const latest = new Date(Date.parse(`${today}T00:00:00Z`) + proposal.maxLifetimeDays * 86_400_000).toISOString().slice(0, 10);
  const form = useApiForm({
    fields: ["justification", "expires", "ticket"],
    input: (data, errors) =>
      errors.validate(exceptionDraftInput, {
        justification: formValue(data, "justification"),
        expires: formValue(data, "expires") || undefined,
        ticket: formValue(data, "ticket") || undefined,
      }),
    mutationFn: (input) => apiRequest(`/security-events/${eventId}/exception-draft`, { method: "POST", body: input, schema: exceptionDraftResultSchema }),
  });
  const result = form.mutation.data;
  const target =
    exception.part === "json-pointer"
      ? `JSON pointer ${exception.pointer}`
      : exception.name
        ? `${exception.part} "${exception.name}"`
        : `the ${exception.part}`;

  return (
    <ApiForm
      form={form}
      submitLabel="Add the exception to the draft"
      pendingLabel="Adding…"
      className="form-stack panel"
      aria-label="This is a false positive"
      heading={<h2>This is a false positive</h2>}
      success={
        result ? (
          <>
            Exception <code>{result.exceptionId}</code> is in {result.createdDraft ? "a new" : "the"} draft, version {result.versionNumber}.{" "}
            <Link href={`/policies/${result.policyId}/versions/${result.versionId}`}>Open the draft</Link> to review it and submit it for approval.
          </>
        ) : null
      }
    >
      <p>
        Let <strong>{exception.ruleId}</strong> through on {target}, only for <code>{exception.conditions.methods?.join(", ") ?? "any method"}</code>{" "}
        <code>{exception.conditions.paths.join(", ")}</code>. Exception id <code>{exception.id}</code>.
      </p>
      <p className="muted" data-testid="exception-impact">
        In the last {impact.days} days this exception would have let through {impact.events.toLocaleString("en")} event{impact.events === 1 ? "" : "s"} from{" "}
        {impact.clients.toLocaleString("en")} client{impact.clients === 1 ? "" : "s"}.
      </p>
      <TextAreaField
        label="Justification"
        name="justification"
        required
        hint="Why is this request legitimate, and why is the application safe without this rule here? At least 20 characters."
        error={form.errors.field("justification")}
      />
      <TextField
        label="Expires"
        name="expires"
        type="date"
        defaultValue={exception.expires}
        min={today}
        max={latest}
        hint={`At most ${proposal.maxLifetimeDays} days (the baseline's maximum).`}
        error={form.errors.field("expires")}
      />
      <TextField label="Ticket (optional)" name="ticket" required={false} error={form.errors.field("ticket")} />
    </ApiForm>
  );
}
