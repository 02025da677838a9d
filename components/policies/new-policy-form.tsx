"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { SelectField, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import { policySchema } from "@/lib/policies/policy-schemas";
import { API_VERSION } from "@/lib/policy-spec";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { pathLabel } from "./policy-labels";
import { fromFieldErrors } from "./policy-errors";

// A new policy: a baseline or an application's fine-grained policy, started from a
// minimal document (every baseline section has safe defaults; an application policy
// inherits everything until it tightens something) or imported from a YAML file.

type ApplicationChoice = { id: string; slug: string; name: string };

/** The document fields this form writes, by the form field that holds each: their errors are shown there. */
const FIELD_OF_PATH: Record<string, string> = {
  "metadata.name": "name",
  "metadata.environment": "environment",
  "metadata.application": "applicationId",
  "metadata.applicationVersion": "applicationVersion",
};

export function NewPolicyForm({
  canCreateBaseline,
  applications,
  preselected,
}: {
  canCreateBaseline: boolean;
  applications: ApplicationChoice[];
  preselected?: string;
}) {
  const router = useRouter();
  const [kind, setKind] = useState<"baseline" | "application">(!canCreateBaseline || preselected ? "application" : "baseline");

  const form = useApiForm({
    fields: ["content"],
    input: (data): { json?: unknown; yaml?: string } => {
      const yaml = formValue(data, "yaml");
      if (yaml.trim() !== "") return { yaml };
      if (kind === "baseline") {
        const environment = formValue(data, "environment").trim();
        return {
          json: {
            apiVersion: API_VERSION,
            kind: "BaselinePolicy",
            metadata: { name: formValue(data, "name").trim(), ...(environment ? { environment } : {}) },
          },
        };
      }
      const application = applications.find((a) => a.id === formValue(data, "applicationId"));
      return {
        json: {
          apiVersion: API_VERSION,
          kind: "ApplicationPolicy",
          metadata: { application: application?.slug ?? "", applicationVersion: formValue(data, "applicationVersion").trim() },
        },
      };
    },
    mutationFn: (body) =>
      apiRequest("/policies", {
        method: "POST",
        ...(body.yaml !== undefined ? { rawBody: { text: body.yaml, contentType: "application/yaml" } } : { body: { content: body.json } }),
        schema: policySchema,
      }),
    onSuccess: (policy) => router.push(policy.draft ? `/policies/${policy.id}/versions/${policy.draft.id}` : `/policies/${policy.id}`),
  });
  // The API names problems by document path (and, for YAML, line and column): each goes
  // beside the field that wrote it — the imported YAML, or the field of the minimal document.
  const error = form.mutation.error;
  const fromYaml = form.mutation.variables?.yaml !== undefined;
  const problems = error instanceof ApiError ? fromFieldErrors(error.fieldErrors) : [];
  const besideField = (field: string) =>
    fromYaml
      ? undefined
      : problems
          .filter((e) => FIELD_OF_PATH[e.key] === field)
          .map((e) => e.message)
          .join("; ") || undefined;
  const describe = (e: (typeof problems)[number]) => `${e.line ? `Line ${e.line}, column ${e.column ?? 1}: ` : ""}${pathLabel(e.path)}: ${e.message}`;
  const yamlError = fromYaml && problems.length > 0 ? problems.map(describe).join("; ") : undefined;
  const documentErrors = fromYaml ? [] : problems.filter((e) => !FIELD_OF_PATH[e.key]).map(describe);

  return (
    <ApiForm
      form={form}
      submitLabel="Create draft"
      pendingLabel="Creating…"
      heading={<h2 id="new-policy-heading">New policy</h2>}
      className="form-stack panel"
      aria-labelledby="new-policy-heading"
    >
      {documentErrors.length > 0 ? (
        <div className="alert alert-error" role="alert">
          <ul>
            {documentErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <SelectField
        label="Kind"
        name="kind"
        value={kind}
        onChange={(event) => setKind(event.target.value as "baseline" | "application")}
        options={[
          ...(canCreateBaseline ? [{ value: "baseline", label: "Baseline (every application)" }] : []),
          { value: "application", label: "Fine-grained policy of one application" },
        ]}
        required
      />
      {kind === "baseline" ? (
        <>
          <TextField
            label="Name"
            name="name"
            defaultValue="standard"
            required
            hint="Lower-case letters, digits and hyphens, e.g. standard or strict."
            error={besideField("name")}
          />
          <TextField
            label="Environment"
            name="environment"
            required={false}
            hint="Leave empty for the baseline of every environment."
            error={besideField("environment")}
          />
        </>
      ) : applications.length === 0 ? (
        <p className="muted">Every application you may write policy for has one already.</p>
      ) : (
        <>
          <SelectField
            label="Application"
            name="applicationId"
            defaultValue={preselected}
            options={applications.map((a) => ({ value: a.id, label: `${a.name} (${a.slug})` }))}
            required
            error={besideField("applicationId")}
          />
          <TextField
            label="Application version"
            name="applicationVersion"
            defaultValue="1.0.0"
            required
            hint="The release this policy goes with, e.g. 2.4.1."
            error={besideField("applicationVersion")}
          />
        </>
      )}
      <TextAreaField
        label="Or import a YAML document"
        name="yaml"
        required={false}
        rows={8}
        spellCheck={false}
        error={yamlError}
        hint="Paste a BaselinePolicy or ApplicationPolicy document (e.g. from Git); what it applies to comes from its metadata. Leave empty to start from the fields above."
      />
    </ApiForm>
  );
}
