"use client";
import { useMutation } from "@tanstack/react-query";
import { useRef, type FormEvent } from "react";
import type { LoginInput } from "@/lib/auth/auth-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { FormAlert, SubmitButton, TextField, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";

export function SignInForm({ next }: { next: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, ["email", "password"]);
  const signIn = useMutation({
    mutationFn: (input: LoginInput) => apiRequest("/auth/login", { method: "POST", body: input }),
    meta: { allowUnauthenticated: true },
    // A full page load, so every server component sees the new session cookie.
    onSuccess: () => window.location.assign(next),
    onError: errors.fromError,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    // Validated by the API (loginInput); its field errors land next to the fields.
    errors.clear();
    signIn.mutate({ email: formValue(data, "email"), password: formValue(data, "password") });
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form-stack" aria-label="Sign in">
      <FormAlert errors={errors.form} />
      <TextField label="Email" name="email" type="email" autoComplete="username" required error={errors.field("email")} autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={errors.field("password")} />
      <SubmitButton pending={signIn.isPending || signIn.isSuccess} pendingLabel="Signing in…">
        Sign in
      </SubmitButton>
    </form>
  );
}
