"use client";
import { useMutation } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import type { ChangePasswordInput } from "@/lib/auth/auth-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { FormAlert, SubmitButton, TextField, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";

export function ChangePasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, ["currentPassword", "newPassword", "confirmPassword"]);
  const [done, setDone] = useState(false);
  const change = useMutation({
    mutationFn: (input: ChangePasswordInput) => apiRequest("/me/password", { method: "POST", body: input }),
    onSuccess: () => {
      setDone(true);
      formRef.current?.reset();
    },
    onError: errors.fromError,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    const data = new FormData(event.currentTarget);
    const input = { currentPassword: formValue(data, "currentPassword"), newPassword: formValue(data, "newPassword") };
    // The confirmation never reaches the API; everything else is validated there (changePasswordInput).
    if (input.newPassword !== formValue(data, "confirmPassword")) {
      errors.fromError(new ApiError(422, "VALIDATION_FAILED", "Some fields need attention.", [
        { path: "body.confirmPassword", message: "does not match the new password" },
      ]));
      return;
    }
    errors.clear();
    change.mutate(input);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form-stack" aria-labelledby="password-heading">
      <FormAlert errors={errors.form} />
      {done ? (
        <p className="alert alert-success" role="status">
          Password changed. Your other sessions were signed out.
        </p>
      ) : null}
      <TextField label="Current password" name="currentPassword" type="password" required autoComplete="current-password" error={errors.field("currentPassword")} />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        required
        autoComplete="new-password"
        error={errors.field("newPassword")}
        hint="At least 12 characters. A passphrase of several words is easy to remember and hard to guess."
      />
      <TextField label="Confirm new password" name="confirmPassword" type="password" required autoComplete="new-password" error={errors.field("confirmPassword")} />
      <div className="button-row">
        <SubmitButton pending={change.isPending}>Change password</SubmitButton>
      </div>
    </form>
  );
}
