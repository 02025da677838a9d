"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, type FormEvent } from "react";
import type { z } from "zod";
import { applicationSchema, createApplicationInput } from "@/lib/applications/application-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/query-keys";
import { FormAlert, SelectField, SubmitButton, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import { useFormErrors } from "@/components/forms/use-form-errors";
import { EXPOSURE_LABELS } from "./exposure-badge";

const FIELDS = ["teamId", "name", "slug", "description", "exposure", "upstreamUrl"] as const;

/** `teams` are the teams the user may register applications for (the server decides). */
export function CreateApplicationForm({ teams }: { teams: { id: string; name: string }[] }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const errors = useFormErrors(formRef, FIELDS);

  const create = useMutation({
    mutationFn: (input: z.output<typeof createApplicationInput>) =>
      apiRequest("/applications", { method: "POST", body: input, schema: applicationSchema }),
    onSuccess: (created) => {
      queryClient.setQueryData(queryKeys.applications.detail(created.id), created);
      void queryClient.invalidateQueries({ queryKey: queryKeys.applications.lists });
      router.push(`/applications/${created.id}`);
    },
    onError: errors.fromError,
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const input = errors.validate(createApplicationInput, {
      teamId: formValue(data, "teamId"),
      name: formValue(data, "name"),
      slug: formValue(data, "slug").trim(),
      description: formValue(data, "description"),
      exposure: formValue(data, "exposure"),
      upstreamUrl: formValue(data, "upstreamUrl").trim(),
    });
    if (!input) return;
    errors.clear();
    create.mutate(input);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form-stack panel" aria-label="New application">
      <FormAlert errors={errors.form} />
      <SelectField
        label="Team"
        name="teamId"
        required
        defaultValue={teams.length === 1 ? teams[0]?.id : ""}
        placeholder={teams.length === 1 ? undefined : "Choose a team"}
        options={teams.map((t) => ({ value: t.id, label: t.name }))}
        error={errors.field("teamId")}
        hint="You can register applications for the teams you lead."
      />
      <TextField label="Name" name="name" required maxLength={120} error={errors.field("name")} />
      <TextField
        label="Slug"
        name="slug"
        required
        maxLength={63}
        autoCapitalize="none"
        spellCheck={false}
        error={errors.field("slug")}
        hint="A unique identifier: lowercase letters, digits and dashes, e.g. payments-api. It cannot be changed later."
      />
      <TextAreaField label="Description" name="description" required={false} error={errors.field("description")} />
      <SelectField
        label="Exposure"
        name="exposure"
        required
        defaultValue="internal"
        options={Object.entries(EXPOSURE_LABELS).map(([value, label]) => ({ value, label }))}
        error={errors.field("exposure")}
      />
      <TextField
        label="Upstream URL"
        name="upstreamUrl"
        type="url"
        required
        placeholder="http://service.internal:8080"
        error={errors.field("upstreamUrl")}
        hint="Where the microgateway forwards traffic. http or https, without credentials."
      />
      <div className="button-row">
        <SubmitButton pending={create.isPending || create.isSuccess} pendingLabel="Creating…">
          Create application
        </SubmitButton>
      </div>
    </form>
  );
}
