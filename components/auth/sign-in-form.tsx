"use client";
import type { LoginInput } from "@/lib/auth/auth-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { TextField, formValue } from "@/components/forms/fields";

export function SignInForm({ next }: { next: string }) {
  const form = useApiForm({
    fields: ["email", "password"],
    // Validated by the API (loginInput); its field errors land next to the fields.
    input: (data): LoginInput => ({ email: formValue(data, "email"), password: formValue(data, "password") }),
    mutationFn: (input) => apiRequest("/auth/login", { method: "POST", body: input }),
    meta: { allowUnauthenticated: true },
    // A full page load, so every server component sees the new session cookie.
    onSuccess: () => window.location.assign(next),
    leavesPage: true,
  });

  return (
    <ApiForm form={form} submitLabel="Sign in" pendingLabel="Signing in…" className="form-stack" aria-label="Sign in">
      <TextField label="Email" name="email" type="email" autoComplete="username" required error={form.errors.field("email")} autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={form.errors.field("password")} />
    </ApiForm>
  );
}
