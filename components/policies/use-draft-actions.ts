"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { policyVersionSchema } from "@/lib/policies/policy-schemas";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { problemCount, type EditorView } from "./draft-document";
import { fromFieldErrors, type EditorError } from "./policy-errors";
import type { DraftDocument } from "./use-draft-document";

// Saving a draft with If-Match (a stale save is a 409 with a way to reload) and
// submitting it for review. Errors the API finds beyond the schema (loosening the
// baseline, a wrong application name) are kept with the snapshot they were found on.

export function useDraftActions(policyId: string, draft: DraftDocument, summary: string) {
  const router = useRouter();
  const { base, view } = draft;
  const [serverErrors, setServerErrors] = useState<{ errors: EditorError[]; snapshot: string; view: EditorView } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const keepFieldErrors = (error: unknown) => {
    if (error instanceof ApiError && error.fieldErrors.length > 0)
      setServerErrors({ errors: fromFieldErrors(error.fieldErrors), snapshot: draft.snapshot, view });
  };

  const save = useMutation({
    mutationFn: () =>
      apiRequest(`/policies/${policyId}/versions/${base.id}`, {
        method: "PUT",
        ifMatch: base.version,
        ...(view === "yaml" ? { rawBody: { text: draft.yamlText, contentType: "application/yaml" } } : { body: { content: draft.document } }),
        schema: policyVersionSchema,
      }),
    onSuccess: (updated) => {
      draft.load(updated);
      setServerErrors(null);
      setSaved(updated.version);
      router.refresh();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.isConflict) return setConflict(error.message);
      keepFieldErrors(error);
      setProblem(error instanceof Error ? error.message : "The draft could not be saved.");
    },
  });

  const submit = useMutation({
    mutationFn: () =>
      apiRequest(`/policies/${policyId}/versions/${base.id}/submit`, { method: "POST", ifMatch: base.version, body: { summary }, schema: policyVersionSchema }),
    onSuccess: () => router.refresh(),
    onError: (error) => {
      keepFieldErrors(error);
      if (error instanceof ApiError && error.status === 409 && error.fieldErrors.length === 0) setConflict(error.message);
      else setProblem(error instanceof Error ? error.message : "The draft could not be submitted.");
    },
  });

  function clearMessages() {
    setConflict(null);
    setProblem(null);
  }

  return {
    save,
    submit,
    problem,
    setProblem,
    conflict,
    saved,
    /** The API's errors stand until the document changes or the next save. */
    apiErrors: serverErrors && serverErrors.view === view && serverErrors.snapshot === draft.snapshot ? serverErrors.errors : [],
    clearSaved: () => setSaved(null),
    onSave() {
      setSaved(null);
      clearMessages();
      const local = draft.validateNow();
      if (local.length > 0) return setProblem(`The policy has ${problemCount(local.length)}; fix ${local.length === 1 ? "it" : "them"} before saving.`);
      save.mutate();
    },
    onSubmit() {
      setProblem(null);
      if (!summary.trim()) return setProblem("Say why this change is made: the reviewers read it first.");
      submit.mutate();
    },
    async reload() {
      draft.load(await apiRequest(`/policies/${policyId}/versions/${base.id}`, { schema: policyVersionSchema }));
      clearMessages();
      setServerErrors(null);
      router.refresh();
    },
    discard() {
      draft.load(base);
      setServerErrors(null);
      setProblem(null);
    },
  };
}
