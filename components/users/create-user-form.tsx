"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, type FormEvent } from "react";
import { ROLES, type Role } from "@/lib/auth/roles";
import type { CreateUserInput } from "@/lib/users/user-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { FormAlert, SelectField, SubmitButton, TextField, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";
import { roleLabel } from "@/components/role-label";

export function CreateUserForm({ teams }: { teams: { id: string; name: string }[] }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, ["email", "name", "password", "memberships"]);
  const create = useMutation({
    mutationFn: (input: CreateUserInput) => apiRequest("/users", { method: "POST", body: input }),
    onSuccess: () => {
      router.push("/users");
      router.refresh();
    },
    onError: errors.fromError,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    // The form offers one first membership; more are added from the team's page.
    const teamId = formValue(data, "teamId");
    // Validated by the API (createUserInput); its field errors land next to the fields.
    errors.clear();
    create.mutate({
      email: formValue(data, "email"),
      name: formValue(data, "name"),
      password: formValue(data, "password"),
      memberships: teamId ? [{ teamId, role: formValue(data, "role") as Role }] : [],
    });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form-stack panel" aria-label="New user">
      <FormAlert errors={errors.form} />
      <TextField label="Name" name="name" required maxLength={120} autoComplete="off" error={errors.field("name")} />
      <TextField label="Email" name="email" type="email" required autoComplete="off" error={errors.field("email")} />
      <TextField
        label="Initial password"
        name="password"
        type="password"
        required
        autoComplete="new-password"
        error={errors.field("password")}
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
          error={errors.field("memberships")}
        />
        <SelectField
          label="Role"
          name="role"
          defaultValue="developer"
          options={[...ROLES].reverse().map((r) => ({ value: r, label: roleLabel(r) }))}
        />
      </fieldset>
      <div className="button-row">
        <SubmitButton pending={create.isPending || create.isSuccess} pendingLabel="Creating…">
          Create user
        </SubmitButton>
      </div>
    </form>
  );
}
