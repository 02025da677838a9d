"use client";
import type { ChangePasswordInput } from "@/lib/auth/auth-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { TextField, formValue } from "@/components/forms/fields";

export function ChangePasswordForm() {
  const form = useApiForm({
    fields: ["currentPassword", "newPassword", "confirmPassword", "revokeApiTokens"],
    input: (data, errors): ChangePasswordInput | null => {
      const input = {
        currentPassword: formValue(data, "currentPassword"),
        newPassword: formValue(data, "newPassword"),
        revokeApiTokens: data.get("revokeApiTokens") === "on",
      };
      // The confirmation never reaches the API; everything else is validated there (changePasswordInput).
      if (input.newPassword !== formValue(data, "confirmPassword")) {
        errors.fromError(
          new ApiError(422, "VALIDATION_FAILED", "Some fields need attention.", [{ path: "body.confirmPassword", message: "does not match the new password" }]),
        );
        return null;
      }
      return input;
    },
    mutationFn: (input) => apiRequest("/me/password", { method: "POST", body: input }),
    onSuccess: () => form.ref.current?.reset(),
  });

  return (
    <ApiForm
      form={form}
      submitLabel="Change password"
      success={form.mutation.isSuccess ? "Password changed. Your other sessions were signed out." : null}
      className="form-stack"
      aria-labelledby="password-heading"
    >
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        required
        autoComplete="current-password"
        error={form.errors.field("currentPassword")}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        required
        autoComplete="new-password"
        error={form.errors.field("newPassword")}
        hint="At least 12 characters. A passphrase of several words is easy to remember and hard to guess."
      />
      <TextField
        label="Confirm new password"
        name="confirmPassword"
        type="password"
        required
        autoComplete="new-password"
        error={form.errors.field("confirmPassword")}
      />
      <label className="checkbox">
        <input type="checkbox" name="revokeApiTokens" /> Also revoke my API tokens (do this if someone else may have known the old password)
      </label>
    </ApiForm>
  );
}
