"use client";
import { useState } from "react";
import type { z } from "zod";
import { createDeliveryTargetInput, deliveryTargetWithTokenSchema, KUBERNETES_RENDERS, PROXY_MODES } from "@/lib/delivery/delivery-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { ApplicationChecklist } from "@/components/forms/application-checklist";
import { SelectField, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import styles from "./delivery.module.css";

type Kind = "proxy" | "kubernetes" | "git";
type Created = z.output<typeof deliveryTargetWithTokenSchema>;

const KIND_OPTIONS = [
  { value: "proxy", label: "Rampart proxy (gateway or microgateway)" },
  { value: "kubernetes", label: "Kubernetes cluster" },
  { value: "git", label: "Git repository (GitOps)" },
];

const FIELDS = [
  "kind",
  "name",
  "description",
  "environment",
  "applicationIds",
  "mode",
  "kubeconfig",
  "namespaces",
  "renders",
  "repository",
  "branch",
  "folder",
  "credentials",
];

/** Registers a delivery target (security officers). A proxy target's token comes back once. */
export function CreateTargetForm({
  applications,
  onCreated,
}: {
  applications: { id: string; slug: string; name: string }[];
  onCreated: (target: Created) => void;
}) {
  const [kind, setKind] = useState<Kind>("proxy");
  const [mode, setMode] = useState<(typeof PROXY_MODES)[number]>("gateway");
  const [kubeconfig, setKubeconfig] = useState("");
  // A gateway without applications serves nothing: warned about once, saved on the second press.
  const [emptyGateway, setEmptyGateway] = useState<"unwarned" | "warned">("unwarned");

  const form = useApiForm({
    fields: FIELDS,
    input: (data, errors) => {
      const applicationIds = data.getAll("applicationIds").map(String);
      if (kind === "proxy" && mode === "gateway" && applicationIds.length === 0 && emptyGateway === "unwarned") {
        setEmptyGateway("warned");
        return null;
      }
      const common = {
        kind,
        name: formValue(data, "name"),
        description: formValue(data, "description"),
        environment: formValue(data, "environment") || null,
        applicationIds,
      };
      const list = (value: string) => value.split(/[\s,]+/).filter(Boolean);
      const extra =
        kind === "proxy"
          ? { mode }
          : kind === "kubernetes"
            ? { kubeconfig, namespaces: list(formValue(data, "namespaces")), renders: data.getAll("renders").map(String) }
            : {
                repository: formValue(data, "repository"),
                branch: formValue(data, "branch"),
                folder: formValue(data, "folder"),
                credentials: credentialsOf(data),
              };
      return errors.validate(createDeliveryTargetInput, { ...common, ...extra });
    },
    mutationFn: (input) => apiRequest("/delivery/targets", { method: "POST", body: input, schema: deliveryTargetWithTokenSchema }),
    onSuccess: (target) => {
      form.ref.current?.reset();
      setKubeconfig("");
      setEmptyGateway("unwarned");
      onCreated(target);
    },
  });

  return (
    <ApiForm
      form={form}
      submitLabel={emptyGateway === "warned" && kind === "proxy" && mode === "gateway" ? "Register without applications" : "Register target"}
      pendingLabel="Registering…"
      heading={<h3 id="create-target-heading">Register a target</h3>}
      className="form-stack"
      aria-labelledby="create-target-heading"
    >
      <SelectField
        label="Kind"
        name="kind"
        value={kind}
        onChange={(e) => setKind(e.currentTarget.value as Kind)}
        options={KIND_OPTIONS}
        error={form.errors.field("kind")}
      />
      <TextField label="Name" name="name" required maxLength={80} error={form.errors.field("name")} hint="e.g. edge-gateway-eu, prod-cluster" />
      <TextField label="Description" name="description" required={false} maxLength={2000} error={form.errors.field("description")} />
      <TextField
        label="Environment"
        name="environment"
        required={false}
        error={form.errors.field("environment")}
        hint="Which published baseline applies: that environment's, else the one for every environment."
      />
      <ApplicationChecklist legend="Applications" name="applicationIds" applications={applications} error={form.errors.field("applicationIds")} />
      {emptyGateway === "warned" && kind === "proxy" && mode === "gateway" ? <EmptyGatewayWarning /> : null}

      {kind === "proxy" ? (
        <SelectField
          label="Mode"
          name="mode"
          value={mode}
          onChange={(e) => setMode(e.currentTarget.value as typeof mode)}
          options={PROXY_MODES.map((m) => ({
            value: m,
            label: m === "gateway" ? "Gateway (in front of the cluster)" : "Microgateway (beside one application)",
          }))}
          error={form.errors.field("mode")}
        />
      ) : null}

      {kind === "kubernetes" ? (
        <>
          <div className="field">
            <label htmlFor="kubeconfig-file">Kubeconfig file</label>
            <p className="field-hint">Stored encrypted; never shown again, only its fingerprint.</p>
            <input
              id="kubeconfig-file"
              type="file"
              accept=".yaml,.yml,.conf,text/yaml,text/plain"
              onChange={async (e) => setKubeconfig((await e.currentTarget.files?.[0]?.text()) ?? "")}
            />
          </div>
          <TextAreaField
            label="Kubeconfig"
            name="kubeconfig"
            rows={6}
            className="mono"
            value={kubeconfig}
            onChange={(e) => setKubeconfig(e.currentTarget.value)}
            error={form.errors.field("kubeconfig")}
            hint="Or paste it here."
            spellCheck={false}
          />
          <TextField label="Namespaces" name="namespaces" error={form.errors.field("namespaces")} hint="Separated by commas or spaces." />
          <fieldset className="fieldset">
            <legend>Render</legend>
            <div className={styles.checkboxes}>
              {KUBERNETES_RENDERS.map((render) => (
                <label key={render}>
                  <input type="checkbox" name="renders" value={render} defaultChecked={render === "rampart"} /> {render}
                </label>
              ))}
            </div>
            {form.errors.field("renders") ? <p className="field-error">{form.errors.field("renders")}</p> : null}
          </fieldset>
        </>
      ) : null}

      {kind === "git" ? (
        <>
          <TextField
            label="Repository"
            name="repository"
            error={form.errors.field("repository")}
            hint="An absolute local path or a Git URL (no password in it)."
            spellCheck={false}
          />
          <TextField label="Branch" name="branch" defaultValue="main" error={form.errors.field("branch")} />
          <TextField label="Folder" name="folder" required={false} error={form.errors.field("folder")} hint="Inside the repository, e.g. rampart/prod." />
          <fieldset className="fieldset">
            <legend>Credentials (stored encrypted)</legend>
            <TextField label="Username" name="credentials.username" required={false} autoComplete="off" />
            <TextField label="Password or access token" name="credentials.password" type="password" required={false} autoComplete="new-password" />
            <TextAreaField label="SSH private key" name="credentials.sshPrivateKey" required={false} rows={3} className="mono" spellCheck={false} />
            {form.errors.field("credentials") ? <p className="field-error">{form.errors.field("credentials")}</p> : null}
          </fieldset>
        </>
      ) : null}
    </ApiForm>
  );
}

function credentialsOf(data: FormData) {
  const username = formValue(data, "credentials.username");
  const password = formValue(data, "credentials.password");
  const sshPrivateKey = formValue(data, "credentials.sshPrivateKey");
  if (!username && !password && !sshPrivateKey) return null;
  return { ...(username ? { username } : {}), ...(password ? { password } : {}), ...(sshPrivateKey ? { sshPrivateKey } : {}) };
}

/** Said before a gateway with no applications is saved: it would receive an empty set. */
export function EmptyGatewayWarning() {
  return (
    <p className="alert alert-warning" role="alert">
      A gateway with no applications receives an empty set: it answers every request with 404 and protects nothing. Choose the applications it fronts, or press
      the button again to save it without any.
    </p>
  );
}
