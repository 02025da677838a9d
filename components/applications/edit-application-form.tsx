"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { applicationSchema, updateApplicationInput, type ApplicationView } from "@/lib/applications/application-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { applicationDetailQuery } from "@/lib/query/application-queries";
import { queryKeys } from "@/lib/query/query-keys";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { SelectField, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import { ConflictAlert } from "./conflict-alert";
import { EXPOSURE_OPTIONS } from "./exposure-badge";

const FIELDS = ["name", "description", "exposure", "upstreamUrl"] as const;

function isConflict(error: unknown): error is ApiError {
  return error instanceof ApiError && error.isConflict;
}

export function EditApplicationForm({ application }: { application: ApplicationView }) {
  const queryClient = useQueryClient();
  // The version this form was filled from. It is what If-Match sends, and it only moves
  // on a successful save or an explicit reload: a background refetch must never turn
  // someone's edit of an old version into an overwrite of a newer one.
  const [base, setBase] = useState(application);
  const [reloading, setReloading] = useState(false);
  const conflictRef = useRef<HTMLDivElement>(null);

  const form = useApiForm({
    fields: FIELDS,
    input: (data, errors) =>
      errors.validate(updateApplicationInput, {
        name: formValue(data, "name"),
        description: formValue(data, "description"),
        exposure: formValue(data, "exposure"),
        upstreamUrl: formValue(data, "upstreamUrl"),
      }),
    mutationFn: (input) => apiRequest(`/applications/${base.id}`, { method: "PATCH", ifMatch: base.version, body: input, schema: applicationSchema }),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.applications.detail(updated.id), updated);
      void queryClient.invalidateQueries({ queryKey: queryKeys.applications.lists });
      setBase(updated);
    },
    // A conflict is not a problem with the fields: it gets its own alert, with a reload.
    onError: (error, errors) => {
      if (!isConflict(error)) errors.fromError(error);
    },
  });
  const conflict = isConflict(form.mutation.error) ? form.mutation.error.message : null;
  const saved = form.mutation.isSuccess ? form.mutation.data.version : null;

  useEffect(() => {
    if (conflict) conflictRef.current?.querySelector<HTMLElement>('[role="alert"]')?.focus();
  }, [conflict]);

  async function reload() {
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({ ...applicationDetailQuery(base.id), staleTime: 0 });
      setBase(fresh);
      form.mutation.reset();
      form.errors.clear();
    } catch (error) {
      form.errors.fromError(error);
    } finally {
      setReloading(false);
    }
  }

  const changedElsewhere = application.version > base.version && !conflict;

  return (
    <section className="panel no-print" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit application</h2>
      <p className="muted">
        You are editing version {base.version}.{changedElsewhere ? " A newer version exists; saving will be refused until you reload." : null}
      </p>
      <div ref={conflictRef}>{conflict ? <ConflictAlert detail={conflict} onReload={reload} reloading={reloading} /> : null}</div>
      {saved !== null ? (
        <p className="alert alert-success" role="status">
          Saved. The application is now at version {saved}.
        </p>
      ) : null}
      {/* Remounted (fresh default values) whenever the edited version changes. */}
      <ApiForm key={base.version} form={form} submitLabel="Save changes" className="form-stack" aria-labelledby="edit-heading">
        <TextField label="Name" name="name" required defaultValue={base.name} error={form.errors.field("name")} maxLength={120} />
        <TextAreaField label="Description" name="description" required={false} defaultValue={base.description} error={form.errors.field("description")} />
        <SelectField label="Exposure" name="exposure" required defaultValue={base.exposure} error={form.errors.field("exposure")} options={EXPOSURE_OPTIONS} />
        <TextField
          label="Upstream URL"
          name="upstreamUrl"
          type="url"
          required
          defaultValue={base.upstreamUrl}
          error={form.errors.field("upstreamUrl")}
          hint="Where the microgateway forwards traffic, e.g. http://payments-api.internal:8080"
        />
      </ApiForm>
    </section>
  );
}
