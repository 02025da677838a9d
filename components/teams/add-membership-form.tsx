"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import type { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { addMembershipInput, teamDetailSchema } from "@/lib/teams/team-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { FormAlert, SelectField, SubmitButton, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";
import { roleLabel } from "@/components/role-label";

export function AddMembershipForm({ teamId, users }: { teamId: string; users: { id: string; label: string }[] }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, ["userId", "role"]);
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (input: z.output<typeof addMembershipInput>) =>
      apiRequest(`/teams/${teamId}/memberships`, { method: "POST", body: input, schema: teamDetailSchema }),
    onSuccess: (_team, input) => {
      setAdded(`${users.find((u) => u.id === input.userId)?.label ?? "The user"} is now ${roleLabel(input.role)}.`);
      formRef.current?.reset();
      router.refresh();
    },
    onError: errors.fromError,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAdded(null);
    const data = new FormData(event.currentTarget);
    const input = errors.validate(addMembershipInput, { userId: formValue(data, "userId"), role: formValue(data, "role") });
    if (!input) return;
    errors.clear();
    add.mutate(input);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form-inline" aria-labelledby="add-member-heading">
      <FormAlert errors={errors.form} />
      {added ? (
        <p className="alert alert-success" role="status">
          {added}
        </p>
      ) : null}
      <SelectField
        label="User"
        name="userId"
        required
        placeholder="Choose a user"
        options={users.map((u) => ({ value: u.id, label: u.label }))}
        error={errors.field("userId")}
      />
      <SelectField
        label="Role"
        name="role"
        required
        defaultValue="developer"
        options={[...ROLES].reverse().map((r) => ({ value: r, label: roleLabel(r) }))}
        error={errors.field("role")}
      />
      <div className="button-row">
        <SubmitButton pending={add.isPending} pendingLabel="Adding…">
          Add member
        </SubmitButton>
      </div>
    </form>
  );
}
