"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { FormAlert, SelectField, SubmitButton, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";
import { policySchema } from "@/lib/policies/policy-schemas";
import { API_VERSION } from "@/lib/policy-spec";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { pathLabel } from "./policy-labels";
import { fromFieldErrors } from "./policy-errors";

// A new policy: a baseline or an application's fine-grained policy, started from a
// minimal document (every baseline section has safe defaults; an application policy
// inherits everything until it tightens something) or imported from a YAML file.

type ApplicationChoice = { id: string; slug: string; name: string };

export function NewPolicyForm({ canCreateBaseline, applications, preselected }: { canCreateBaseline: boolean; applications: ApplicationChoice[]; preselected?: string }) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, ["content"]);
  const [kind, setKind] = useState<"baseline" | "application">(!canCreateBaseline || preselected ? "application" : "baseline");
  const [yamlErrors, setYamlErrors] = useState<string[]>([]);

  const create = useMutation({
    mutationFn: (body: { json?: unknown; yaml?: string }) =>
      apiRequest("/policies", {
        method: "POST",
        ...(body.yaml !== undefined ? { rawBody: { text: body.yaml, contentType: "application/yaml" } } : { body: { content: body.json } }),
        schema: policySchema,
      }),
    onSuccess: (policy) => router.push(policy.draft ? `/policies/${policy.id}/versions/${policy.draft.id}` : `/policies/${policy.id}`),
    onError: (error) => {
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setYamlErrors(
          fromFieldErrors(error.fieldErrors).map((e) => `${e.line ? `Line ${e.line}, column ${e.column ?? 1}: ` : ""}${pathLabel(e.path)}: ${e.message}`),
        );
      }
      errors.fromError(error);
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setYamlErrors([]);
    errors.clear();
    const data = new FormData(event.currentTarget);
    const yaml = formValue(data, "yaml");
    if (yaml.trim() !== "") {
      create.mutate({ yaml });
      return;
    }
    if (kind === "baseline") {
      const environment = formValue(data, "environment").trim();
      create.mutate({
        json: { apiVersion: API_VERSION, kind: "BaselinePolicy", metadata: { name: formValue(data, "name").trim(), ...(environment ? { environment } : {}) } },
      });
    } else {
      const application = applications.find((a) => a.id === formValue(data, "applicationId"));
      create.mutate({
        json: {
          apiVersion: API_VERSION,
          kind: "ApplicationPolicy",
          metadata: { application: application?.slug ?? "", applicationVersion: formValue(data, "applicationVersion").trim() },
        },
      });
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form-stack panel" aria-labelledby="new-policy-heading">
      <h2 id="new-policy-heading">New policy</h2>
      <FormAlert errors={errors.form} />
      {yamlErrors.length > 0 ? (
        <div className="alert alert-error" role="alert">
          <ul>
            {yamlErrors.map((e) => (
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
          <TextField label="Name" name="name" defaultValue="standard" required hint="Lower-case letters, digits and hyphens, e.g. standard or strict." />
          <TextField label="Environment" name="environment" required={false} hint="Leave empty for the baseline of every environment." />
        </>
      ) : applications.length === 0 ? (
        <p className="muted">Every application you may write policy for has one already.</p>
      ) : (
        <>
          <SelectField label="Application" name="applicationId" defaultValue={preselected} options={applications.map((a) => ({ value: a.id, label: `${a.name} (${a.slug})` }))} required />
          <TextField label="Application version" name="applicationVersion" defaultValue="1.0.0" required hint="The release this policy goes with, e.g. 2.4.1." />
        </>
      )}
      <TextAreaField
        label="Or import a YAML document"
        name="yaml"
        required={false}
        rows={8}
        spellCheck={false}
        hint="Paste a BaselinePolicy or ApplicationPolicy document (e.g. from Git); what it applies to comes from its metadata. Leave empty to start from the fields above."
      />
      <div className="button-row">
        <SubmitButton pending={create.isPending} pendingLabel="Creating…">
          Create draft
        </SubmitButton>
      </div>
    </form>
  );
}
