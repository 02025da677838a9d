"use client";
import { useRouter } from "next/navigation";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { teamDetailSchema, updateTeamInput } from "@/lib/teams/team-schemas";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { TextField, formValue } from "@/components/forms/fields";

/** Sets or removes the team's webhook URL (an empty field removes it). */
export function TeamWebhookForm({ team }: { team: { id: string; version: number; webhookUrl: string | null } }) {
  const router = useRouter();
  const form = useApiForm({
    fields: ["webhookUrl"],
    input: (data, errors) => {
      const url = formValue(data, "webhookUrl").trim();
      return errors.validate(updateTeamInput, { webhookUrl: url === "" ? null : url });
    },
    mutationFn: (input) => apiRequest(`/teams/${team.id}`, { method: "PATCH", ifMatch: team.version, body: input, schema: teamDetailSchema }),
    onSuccess: () => router.refresh(),
    onError: (error, errors) => {
      errors.fromError(error);
      // Someone else changed the team: show the current state; the message says to try again.
      if (error instanceof ApiError && error.isConflict) router.refresh();
    },
  });
  const saved = form.mutation.isSuccess ? form.mutation.data : null;

  return (
    <ApiForm
      key={team.version}
      form={form}
      submitLabel="Save webhook"
      pendingLabel="Saving…"
      success={saved ? (saved.webhookConfigured ? "Saved. Notices will also be sent to this URL." : "Removed. Notices stay in the app only.") : null}
      className="form-stack"
      aria-labelledby="webhook-heading"
    >
      <TextField
        label="Webhook URL"
        name="webhookUrl"
        type="url"
        required={false}
        maxLength={2000}
        defaultValue={team.webhookUrl ?? ""}
        error={form.errors.field("webhookUrl")}
        hint="https:// (http:// only to localhost, for development). Leave empty to send no webhooks."
      />
    </ApiForm>
  );
}
