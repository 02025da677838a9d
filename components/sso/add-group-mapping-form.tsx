"use client";
import { useRouter } from "next/navigation";
import { createSsoGroupMappingInput, ssoMappingChangeSchema } from "@/lib/auth/sso/sso-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { SelectField, TextField, formValue } from "@/components/forms/fields";
import { ROLE_OPTIONS, roleLabel } from "@/components/role-label";

export function AddGroupMappingForm({ providers, teams }: { providers: { id: string; displayName: string }[]; teams: { id: string; label: string }[] }) {
  const router = useRouter();
  const form = useApiForm({
    fields: ["provider", "group", "teamId", "role"],
    input: (data, errors) =>
      errors.validate(createSsoGroupMappingInput, {
        provider: formValue(data, "provider"),
        group: formValue(data, "group"),
        teamId: formValue(data, "teamId"),
        role: formValue(data, "role"),
      }),
    mutationFn: (input) => apiRequest("/sso/mappings", { method: "POST", body: input, schema: ssoMappingChangeSchema }),
    onSuccess: () => {
      form.ref.current?.reset();
      router.refresh();
    },
  });
  const result = form.mutation.data;

  return (
    <ApiForm
      form={form}
      submitLabel="Add mapping"
      pendingLabel="Adding…"
      success={
        result
          ? `${result.mapping.group} now gives ${roleLabel(result.mapping.role)} in ${result.mapping.teamName ?? result.mapping.teamSlug}` +
            ` (${result.membershipsAdded === 1 ? "1 person" : `${result.membershipsAdded} people`} got it now).`
          : null
      }
      className="form-inline"
      aria-labelledby="add-mapping-heading"
    >
      <SelectField
        label="Provider"
        name="provider"
        required
        defaultValue={providers[0]?.id}
        options={providers.map((p) => ({ value: p.id, label: p.displayName }))}
        error={form.errors.field("provider")}
      />
      <TextField label="Group" name="group" required maxLength={256} spellCheck={false} autoCapitalize="none" error={form.errors.field("group")} />
      <SelectField
        label="Team"
        name="teamId"
        required
        placeholder="Choose a team"
        options={teams.map((t) => ({ value: t.id, label: t.label }))}
        error={form.errors.field("teamId")}
      />
      <SelectField label="Role" name="role" required defaultValue="developer" options={ROLE_OPTIONS} error={form.errors.field("role")} />
    </ApiForm>
  );
}
