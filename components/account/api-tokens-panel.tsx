"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { z } from "zod";
import { apiTokenListSchema, apiTokenSchema, createApiTokenInput, createdApiTokenSchema } from "@/lib/tokens/token-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/query-keys";
import { ActionButton } from "@/components/action-button";
import { ACTIONS_HEADER, DataTable } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { SelectField, TextField, formValue } from "@/components/forms/fields";
import { roleLabel } from "@/components/role-label";
import { SecretShownOnce } from "@/components/secret-shown-once";

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
      ) : (
        <DataTable
          labelledBy="token-list-heading"
          rows={tokens.data.items.map((token) => ({ ...token, state: tokenState(token) }))}
          empty={<p className="muted">You have no API tokens.</p>}
          columns={[
            { header: "Name", cell: (token) => token.name },
            { header: "Role", cell: (token) => roleLabel(token.role) },
            { header: "Prefix", cellClassName: "mono", cell: (token) => `${token.prefix}…` },
            { header: "Expires", cell: (token) => <DateTime value={token.expiresAt} /> },
            { header: "Last used", cell: (token) => <DateTime value={token.lastUsedAt} /> },
            { header: "Status", cell: (token) => <span className={`badge badge-${token.state.tone}`}>{token.state.label}</span> },
            {
              header: ACTIONS_HEADER,
              cellClassName: "actions",
              cell: (token) => (token.state.label === "Active" ? <RevokeTokenButton token={token} /> : null),
            },
          ]}
        />
      )}
    </>
  );
}

function CreateTokenForm({ allowedRoles, onCreated }: { allowedRoles: string[]; onCreated: (token: z.output<typeof createdApiTokenSchema>) => void }) {
  const form = useApiForm({
    fields: ["name", "role", "expiresInDays"],
    input: (data, errors) => {
      const days = formValue(data, "expiresInDays");
      return errors.validate(createApiTokenInput, {
        name: formValue(data, "name"),
        role: formValue(data, "role"),
        expiresInDays: days === "" ? undefined : Number(days),
      });
    },
    mutationFn: (input) => apiRequest("/tokens", { method: "POST", body: input, schema: createdApiTokenSchema }),
    onSuccess: (token) => {
      form.ref.current?.reset();
      onCreated(token);
    },
  });

  return (
    <ApiForm
      form={form}
      submitLabel="Create token"
      pendingLabel="Creating…"
      heading={<h3 id="create-token-heading">Create a token</h3>}
      className="form-stack token-form"
      aria-labelledby="create-token-heading"
    >
      <TextField label="Token name" name="name" required maxLength={80} error={form.errors.field("name")} hint="What will use it, e.g. ci-deploy" />
      <SelectField
        label="Role"
        name="role"
        required
        defaultValue={allowedRoles.at(-1)}
        options={allowedRoles.map((r) => ({ value: r, label: roleLabel(r) }))}
        error={form.errors.field("role")}
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
        error={form.errors.field("expiresInDays")}
      />
    </ApiForm>
  );
}

function NewTokenSecret({ token, onDone }: { token: z.output<typeof createdApiTokenSchema>; onDone: () => void }) {
  return <SecretShownOnce id="new-token" heading={<>Token “{token.name}” created</>} label="New API token" value={token.token} onDone={onDone} />;
}

function RevokeTokenButton({ token }: { token: ApiToken }) {
  const queryClient = useQueryClient();
  return (
    <ActionButton
      action={() => apiRequest(`/tokens/${token.id}`, { method: "DELETE", schema: apiTokenSchema })}
      onDone={() => queryClient.invalidateQueries({ queryKey: queryKeys.tokens })}
      label={`Revoke token ${token.name}`}
      pendingLabel="Revoking…"
      className="button button-small button-danger-outline"
    >
      Revoke
    </ActionButton>
  );
}
