"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { z } from "zod";
import { applicationSchema, updateApplicationInput, type ApplicationView } from "@/lib/applications/application-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { applicationDetailQuery } from "@/lib/query/application-queries";
import { queryKeys } from "@/lib/query/query-keys";
import { FormAlert, SelectField, SubmitButton, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";
import { ConflictAlert } from "./conflict-alert";
import { EXPOSURE_LABELS } from "./exposure-badge";

const FIELDS = ["name", "description", "exposure", "upstreamUrl"] as const;

export function EditApplicationForm({ application }: { application: ApplicationView }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, FIELDS);
  // The version this form was filled from. It is what If-Match sends, and it only moves
  // on a successful save or an explicit reload: a background refetch must never turn
  // someone's edit of an old version into an overwrite of a newer one.
  const [base, setBase] = useState(application);
  const [conflict, setConflict] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [reloading, setReloading] = useState(false);
  const conflictRef = useRef<HTMLDivElement>(null);

  const save = useMutation({
    mutationFn: (input: z.output<typeof updateApplicationInput>) =>
      apiRequest(`/applications/${base.id}`, { method: "PATCH", ifMatch: base.version, body: input, schema: applicationSchema }),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.applications.detail(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.applications.lists });
      setBase(updated);
      setSaved(updated.version);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.isConflict) setConflict(error.message);
      else errors.fromError(error);
    },
  });

  useEffect(() => {
    if (conflict) conflictRef.current?.querySelector<HTMLElement>('[role="alert"]')?.focus();
  }, [conflict]);

  async function reload() {
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({ ...applicationDetailQuery(base.id), staleTime: 0 });
      setBase(fresh);
      setConflict(null);
      errors.clear();
    } catch (error) {
      errors.fromError(error);
    } finally {
      setReloading(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    setConflict(null);
    const data = new FormData(event.currentTarget);
    const input = errors.validate(updateApplicationInput, {
      name: formValue(data, "name"),
      description: formValue(data, "description"),
      exposure: formValue(data, "exposure"),
      upstreamUrl: formValue(data, "upstreamUrl"),
    });
    if (!input) return;
    errors.clear();
    save.mutate(input);
  }

  const changedElsewhere = application.version > base.version && !conflict;

  return (
    <section className="panel no-print" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit application</h2>
      <p className="muted">
        You are editing version {base.version}.
        {changedElsewhere ? " A newer version exists; saving will be refused until you reload." : null}
      </p>
      <div ref={conflictRef}>{conflict ? <ConflictAlert detail={conflict} onReload={reload} reloading={reloading} /> : null}</div>
      {saved !== null ? (
        <p className="alert alert-success" role="status">
          Saved. The application is now at version {saved}.
        </p>
      ) : null}
      {/* Remounted (fresh default values) whenever the edited version changes. */}
      <form key={base.version} ref={formRef} onSubmit={onSubmit} noValidate className="form-stack" aria-labelledby="edit-heading">
        <FormAlert errors={errors.form} />
        <TextField label="Name" name="name" required defaultValue={base.name} error={errors.field("name")} maxLength={120} />
        <TextAreaField label="Description" name="description" required={false} defaultValue={base.description} error={errors.field("description")} />
        <SelectField
          label="Exposure"
          name="exposure"
          required
          defaultValue={base.exposure}
          error={errors.field("exposure")}
          options={Object.entries(EXPOSURE_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <TextField
          label="Upstream URL"
          name="upstreamUrl"
          type="url"
          required
          defaultValue={base.upstreamUrl}
          error={errors.field("upstreamUrl")}
          hint="Where the microgateway forwards traffic, e.g. http://payments-api.internal:8080"
        />
        <div className="button-row">
          <SubmitButton pending={save.isPending}>Save changes</SubmitButton>
        </div>
      </form>
    </section>
  );
}
