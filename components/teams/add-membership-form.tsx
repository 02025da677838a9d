"use client";
import { useRouter } from "next/navigation";
import { addMembershipInput, teamDetailSchema } from "@/lib/teams/team-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { SelectField, formValue } from "@/components/forms/fields";
import { ROLE_OPTIONS, roleLabel } from "@/components/role-label";

export function AddMembershipForm({ teamId, users }: { teamId: string; users: { id: string; label: string }[] }) {
  const router = useRouter();
  const form = useApiForm({
    fields: ["userId", "role"],
    input: (data, errors) => errors.validate(addMembershipInput, { userId: formValue(data, "userId"), role: formValue(data, "role") }),
    mutationFn: (input) => apiRequest(`/teams/${teamId}/memberships`, { method: "POST", body: input, schema: teamDetailSchema }),
    onSuccess: () => {
      form.ref.current?.reset();
      router.refresh();
    },
  });
  const added = form.mutation.isSuccess ? form.mutation.variables : undefined;

  return (
    <ApiForm
      form={form}
      submitLabel="Add member"
      pendingLabel="Adding…"
      success={added ? `${users.find((u) => u.id === added.userId)?.label ?? "The user"} is now ${roleLabel(added.role)}.` : null}
      className="form-inline"
      aria-labelledby="add-member-heading"
    >
      <SelectField
        label="User"
        name="userId"
        required
        placeholder="Choose a user"
        options={users.map((u) => ({ value: u.id, label: u.label }))}
        error={form.errors.field("userId")}
      />
      <SelectField label="Role" name="role" required defaultValue="developer" options={ROLE_OPTIONS} error={form.errors.field("role")} />
    </ApiForm>
  );
}
