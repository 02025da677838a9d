"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { applicationSchema, createApplicationInput } from "@/lib/applications/application-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/query-keys";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { SelectField, SlugField, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import { EXPOSURE_OPTIONS } from "./exposure-badge";

const FIELDS = ["teamId", "name", "slug", "description", "exposure", "upstreamUrl"] as const;

/** `teams` are the teams the user may register applications for (the server decides). */
export function CreateApplicationForm({ teams }: { teams: { id: string; name: string }[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useApiForm({
    fields: FIELDS,
    input: (data, errors) =>
      errors.validate(createApplicationInput, {
        teamId: formValue(data, "teamId"),
        name: formValue(data, "name"),
        slug: formValue(data, "slug").trim(),
        description: formValue(data, "description"),
        exposure: formValue(data, "exposure"),
        upstreamUrl: formValue(data, "upstreamUrl").trim(),
      }),
    mutationFn: (input) => apiRequest("/applications", { method: "POST", body: input, schema: applicationSchema }),
    onSuccess: (created) => {
      queryClient.setQueryData(queryKeys.applications.detail(created.id), created);
      void queryClient.invalidateQueries({ queryKey: queryKeys.applications.lists });
      router.push(`/applications/${created.id}`);
    },
    leavesPage: true,
  });

  return (
    <ApiForm form={form} submitLabel="Create application" pendingLabel="Creating…" className="form-stack panel" aria-label="New application">
      <SelectField
        label="Team"
        name="teamId"
        required
        defaultValue={teams.length === 1 ? teams[0]?.id : ""}
        placeholder={teams.length === 1 ? undefined : "Choose a team"}
        options={teams.map((t) => ({ value: t.id, label: t.name }))}
        error={form.errors.field("teamId")}
        hint="You can register applications for the teams you lead."
      />
      <TextField label="Name" name="name" required maxLength={120} error={form.errors.field("name")} />
      <SlugField
        error={form.errors.field("slug")}
        hint="A unique identifier: lowercase letters, digits and dashes, e.g. payments-api. It cannot be changed later."
      />
      <TextAreaField label="Description" name="description" required={false} error={form.errors.field("description")} />
      <SelectField label="Exposure" name="exposure" required defaultValue="internal" options={EXPOSURE_OPTIONS} error={form.errors.field("exposure")} />
      <TextField
        label="Upstream URL"
        name="upstreamUrl"
        type="url"
        required
        placeholder="http://service.internal:8080"
        error={form.errors.field("upstreamUrl")}
        hint="Where the microgateway forwards traffic. http or https, without credentials."
      />
    </ApiForm>
  );
}
