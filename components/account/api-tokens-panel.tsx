"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { z } from "zod";
import { apiTokenListSchema, apiTokenSchema, createApiTokenInput, createdApiTokenSchema } from "@/lib/tokens/token-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/query-keys";
import { DateTime } from "@/components/date-time";
import { FormAlert, SelectField, SubmitButton, TextField, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";
import { roleLabel } from "@/components/role-label";

type ApiToken = z.output<typeof apiTokenSchema>;

function tokenState(token: ApiToken): { label: string; tone: string } {
  if (token.revokedAt) return { label: "Revoked", tone: "neutral" };
  // Server render and hydration read the clock a moment apart; only a token expiring
  // in that very moment could render differently, which React tolerates.
  if (new Date(token.expiresAt).getTime() <= Date.now()) return { label: "Expired", tone: "neutral" };
  return { label: "Active", tone: "success" };
}

export function ApiTokensPanel({ allowedRoles }: { allowedRoles: string[] }) {
  const queryClient = useQueryClient();
  const tokens = useQuery({
    queryKey: queryKeys.tokens,
    queryFn: ({ signal }) => apiRequest("/tokens", { schema: apiTokenListSchema, signal }),
  });
  const [created, setCreated] = useState<z.output<typeof createdApiTokenSchema> | null>(null);

  return (
    <>
      {created ? <NewTokenSecret token={created} onDone={() => setCreated(null)} /> : null}
      <CreateTokenForm
        allowedRoles={allowedRoles}
        onCreated={(token) => {
          setCreated(token);
          void queryClient.invalidateQueries({ queryKey: queryKeys.tokens });
        }}
      />
      <h3 id="token-list-heading">Your tokens</h3>
      {tokens.error ? (
        <div className="alert alert-error" role="alert">
          <p>The tokens could not be loaded: {tokens.error.message}</p>
        </div>
      ) : !tokens.data ? (
        <p role="status">Loading tokens…</p>
      ) : tokens.data.items.length === 0 ? (
        <p className="muted">You have no API tokens.</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="token-list-heading" tabIndex={0}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Prefix</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((token) => {
                const state = tokenState(token);
                return (
                  <tr key={token.id}>
                    <td>{token.name}</td>
                    <td>{roleLabel(token.role)}</td>
                    <td className="mono">{token.prefix}…</td>
                    <td>
                      <DateTime value={token.expiresAt} />
                    </td>
                    <td>
                      <DateTime value={token.lastUsedAt} />
                    </td>
                    <td>
                      <span className={`badge badge-${state.tone}`}>{state.label}</span>
                    </td>
                    <td className="actions">{state.label === "Active" ? <RevokeTokenButton token={token} /> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function CreateTokenForm({
  allowedRoles,
  onCreated,
}: {
  allowedRoles: string[];
  onCreated: (token: z.output<typeof createdApiTokenSchema>) => void;
}) {
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, ["name", "role", "expiresInDays"]);
  const create = useMutation({
    mutationFn: (input: z.output<typeof createApiTokenInput>) =>
      apiRequest("/tokens", { method: "POST", body: input, schema: createdApiTokenSchema }),
    onSuccess: (token) => {
      formRef.current?.reset();
      onCreated(token);
    },
    onError: errors.fromError,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const days = formValue(data, "expiresInDays");
    const input = errors.validate(createApiTokenInput, {
      name: formValue(data, "name"),
      role: formValue(data, "role"),
      expiresInDays: days === "" ? undefined : Number(days),
    });
    if (!input) return;
    errors.clear();
    create.mutate(input);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form-stack token-form" aria-labelledby="create-token-heading">
      <h3 id="create-token-heading">Create a token</h3>
      <FormAlert errors={errors.form} />
      <TextField label="Token name" name="name" required maxLength={80} error={errors.field("name")} hint="What will use it, e.g. ci-deploy" />
      <SelectField
        label="Role"
        name="role"
        required
        defaultValue={allowedRoles.at(-1)}
        options={allowedRoles.map((r) => ({ value: r, label: roleLabel(r) }))}
        error={errors.field("role")}
        hint="Never more than your own role."
      />
      <TextField
        label="Expires after (days)"
        name="expiresInDays"
        type="number"
        inputMode="numeric"
        min={1}
        max={365}
        defaultValue={90}
        required
        error={errors.field("expiresInDays")}
      />
      <div className="button-row">
        <SubmitButton pending={create.isPending} pendingLabel="Creating…">
          Create token
        </SubmitButton>
      </div>
    </form>
  );
}

function NewTokenSecret({ token, onDone }: { token: z.output<typeof createdApiTokenSchema>; onDone: () => void }) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);

  async function copyToken() {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  }

  return (
    <div ref={ref} className="alert alert-success token-secret" role="region" aria-labelledby="new-token-heading" tabIndex={-1}>
      <h3 id="new-token-heading">Token “{token.name}” created</h3>
      <p>
        Copy it now. <strong>It will not be shown again</strong>; Rampart keeps only a hash.
      </p>
      <div className="token-value">
        <label htmlFor="new-token-value" className="visually-hidden">
          New API token
        </label>
        <input id="new-token-value" readOnly value={token.token} className="mono" onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="button" onClick={copyToken}>
          Copy token
        </button>
      </div>
      <p role="status" className="muted">
        {copy === "copied" ? "Copied to the clipboard." : copy === "failed" ? "Copying failed: select the token and copy it yourself." : ""}
      </p>
      <p>
        <button type="button" className="button button-secondary" onClick={onDone}>
          I have stored it
        </button>
      </p>
    </div>
  );
}

function RevokeTokenButton({ token }: { token: ApiToken }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => apiRequest(`/tokens/${token.id}`, { method: "DELETE", schema: apiTokenSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens }),
  });
  return (
    <div className="inline-action">
      <button
        type="button"
        className="button button-small button-danger-outline"
        onClick={() => revoke.mutate()}
        disabled={revoke.isPending}
        aria-label={`Revoke token ${token.name}`}
      >
        {revoke.isPending ? "Revoking…" : "Revoke"}
      </button>
      {revoke.error ? (
        <p className="field-error" role="alert">
          {revoke.error.message}
        </p>
      ) : null}
    </div>
  );
}
