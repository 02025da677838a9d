"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, type FormEvent } from "react";
import type { z } from "zod";
import { createTeamInput, teamSchema } from "@/lib/teams/team-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { FormAlert, SubmitButton, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";

export function CreateTeamForm() {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, ["name", "slug", "description"]);
  const create = useMutation({
    mutationFn: (input: z.output<typeof createTeamInput>) => apiRequest("/teams", { method: "POST", body: input, schema: teamSchema }),
    onSuccess: (team) => router.push(`/teams/${team.id}`),
    onError: errors.fromError,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const input = errors.validate(createTeamInput, {
      name: formValue(data, "name"),
      slug: formValue(data, "slug").trim(),
      description: formValue(data, "description"),
    });
    if (!input) return;
    errors.clear();
    create.mutate(input);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form-stack panel" aria-label="New team">
      <FormAlert errors={errors.form} />
      <TextField label="Name" name="name" required maxLength={120} error={errors.field("name")} />
      <TextField
        label="Slug"
        name="slug"
        required
        maxLength={63}
        autoCapitalize="none"
        spellCheck={false}
        error={errors.field("slug")}
        hint="Lowercase letters, digits and dashes, e.g. payments. It cannot be changed later."
      />
      <TextAreaField label="Description" name="description" required={false} error={errors.field("description")} />
      <div className="button-row">
        <SubmitButton pending={create.isPending || create.isSuccess} pendingLabel="Creating…">
          Create team
        </SubmitButton>
      </div>
    </form>
  );
}
