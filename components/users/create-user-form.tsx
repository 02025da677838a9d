"use client";
import { useRouter } from "next/navigation";
import type { Role } from "@/lib/auth/roles";
import type { CreateUserInput } from "@/lib/users/user-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { SelectField, TextField, formValue } from "@/components/forms/fields";
import { ROLE_OPTIONS } from "@/components/role-label";

export function CreateUserForm({ teams }: { teams: { id: string; name: string }[] }) {
  const router = useRouter();
  const form = useApiForm({
    fields: ["email", "name", "password", "memberships"],
    // Validated by the API (createUserInput); its field errors land next to the fields.
    input: (data): CreateUserInput => {
      // The form offers one first membership; more are added from the team's page.
      const teamId = formValue(data, "teamId");
      return {
        email: formValue(data, "email"),
        name: formValue(data, "name"),
        password: formValue(data, "password"),
        memberships: teamId ? [{ teamId, role: formValue(data, "role") as Role }] : [],
      };
    },
    mutationFn: (input) => apiRequest("/users", { method: "POST", body: input }),
    onSuccess: () => {
      router.push("/users");
      router.refresh();
    },
    leavesPage: true,
  });

  return (
    <ApiForm form={form} submitLabel="Create user" pendingLabel="Creating…" className="form-stack panel" aria-label="New user">
      <TextField label="Name" name="name" required maxLength={120} autoComplete="off" error={form.errors.field("name")} />
      <TextField label="Email" name="email" type="email" required autoComplete="off" error={form.errors.field("email")} />
      <TextField
        label="Initial password"
        name="password"
        type="password"
        required
        autoComplete="new-password"
        error={form.errors.field("password")}
        hint="At least 12 characters. Share it safely; the user can change it from their account page."
      />
      <fieldset className="fieldset">
        <legend>First team role</legend>
        <p className="field-hint">Optional. Without a role the user can sign in but sees nothing.</p>
        <SelectField
          label="Team"
          name="teamId"
          placeholder="No team yet"
          options={teams.map((t) => ({ value: t.id, label: t.name }))}
          error={form.errors.field("memberships")}
        />
        <SelectField label="Role" name="role" defaultValue="developer" options={ROLE_OPTIONS} />
      </fieldset>
    </ApiForm>
  );
}
