"use client";
import { useRouter } from "next/navigation";
import { createTeamInput, teamSchema } from "@/lib/teams/team-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { SlugField, TextAreaField, TextField, formValue } from "@/components/forms/fields";

export function CreateTeamForm() {
  const router = useRouter();
  const form = useApiForm({
    fields: ["name", "slug", "description"],
    input: (data, errors) =>
      errors.validate(createTeamInput, {
        name: formValue(data, "name"),
        slug: formValue(data, "slug").trim(),
        description: formValue(data, "description"),
      }),
    mutationFn: (input) => apiRequest("/teams", { method: "POST", body: input, schema: teamSchema }),
    onSuccess: (team) => router.push(`/teams/${team.id}`),
    leavesPage: true,
  });

  return (
    <ApiForm form={form} submitLabel="Create team" pendingLabel="Creating…" className="form-stack panel" aria-label="New team">
      <TextField label="Name" name="name" required maxLength={120} error={form.errors.field("name")} />
      <SlugField error={form.errors.field("slug")} hint="Lowercase letters, digits and dashes, e.g. payments. It cannot be changed later." />
      <TextAreaField label="Description" name="description" required={false} error={form.errors.field("description")} />
    </ApiForm>
  );
}
