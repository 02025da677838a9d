"use client";
import { useMemo, useRef, useState } from "react";
import { TextAreaField } from "@/components/forms/fields";
import type { PolicyKindName, PolicyVersionView } from "@/lib/policies/policy-schemas";
import { applicationPolicySchema, baselinePolicySchema } from "@/lib/policy-spec";
import { ContentSuggestions } from "./content-suggestions";
import { getIn } from "./document-edit";
import { dedupeErrors, type EditorView } from "./draft-document";
import { EditorActionBar } from "./editor-action-bar";
import { EditorAlerts, ErrorSummary } from "./editor-alerts";
import { EditorTabs } from "./editor-tabs";
import { byKey, type EditorError } from "./policy-errors";
import { PolicyFormSections } from "./policy-form";
import { shapeOf } from "./schema-shape";
import { useDraftActions } from "./use-draft-actions";
import { useDraftDocument } from "./use-draft-document";
import { focusError, YamlSource } from "./yaml-source";

// Editing a draft: a structured form and a YAML view of the same document, validated as
// you type with the schema the API uses, saved with If-Match (a stale save is a 409 with
// a way to reload), then submitted for review. Errors the API finds beyond the schema
// (loosening the baseline, a wrong application name) are placed on the same fields.
// The draft's state lives in useDraftDocument, saving and submitting in useDraftActions.

const SCHEMAS = { baseline: baselinePolicySchema, application: applicationPolicySchema };

export function PolicyEditor({
  policyId,
  kind,
  version,
  exceptionDates,
}: {
  policyId: string;
  kind: PolicyKindName;
  version: PolicyVersionView;
  /** Today (UTC) and the baseline's longest exception lifetime, for the exception editor's date picker. */
  exceptionDates: { today: string; maxLifetimeDays: number };
}) {
  const shape = useMemo(() => shapeOf(SCHEMAS[kind]), [kind]);
  const draft = useDraftDocument(version, kind);
  // Why the change is made: required to submit, for the reviewers.
  const [summary, setSummary] = useState(version.submissionSummary ?? "");
  const actions = useDraftActions(policyId, draft, summary);
  const yamlRef = useRef<HTMLTextAreaElement>(null);
  const { base, view } = draft;
  const errors = dedupeErrors([...draft.localErrors, ...actions.apiErrors]);
  const select = (error: EditorError) => focusError(error, view === "yaml" ? { textarea: yamlRef.current, text: draft.yamlText } : null);
  const switchTo = (next: EditorView) => {
    if (next !== view) actions.setProblem(draft.switchTo(next));
  };

  return (
    <section className="panel" aria-labelledby="editor-heading">
      <h2 id="editor-heading">Edit draft version {base.number}</h2>
      <p className="muted">
        You are editing revision {base.version} of this draft. Changes are checked as you type; saving stores them, submitting sends the draft for review and
        freezes it.
      </p>
      <EditorAlerts conflict={actions.conflict} problem={actions.problem} saved={actions.saved} onReload={() => void actions.reload()} />
      <ErrorSummary errors={errors} onSelect={select} />
      {kind === "application" ? (
        <ContentSuggestions
          savedSpec={getIn(draft.baseDocument, ["openapi", "spec"])}
          currentSpec={getIn(draft.shown, ["openapi", "spec"])}
          onMark={(at, profile) => {
            actions.clearSaved();
            actions.setProblem(draft.markContent(at, profile));
          }}
        />
      ) : null}
      <EditorTabs view={view} onSwitch={switchTo} />
      {view === "form" ? (
        <div role="tabpanel" id="editor-panel-form" aria-labelledby="editor-tab-form">
          <PolicyFormSections
            shape={shape}
            document={draft.document}
            errors={byKey(errors)}
            onChange={(path, value) => {
              actions.clearSaved();
              draft.change(path, value);
            }}
            inherits={kind === "application"}
            exceptionDates={exceptionDates}
          />
        </div>
      ) : (
        <div role="tabpanel" id="editor-panel-yaml" aria-labelledby="editor-tab-yaml">
          <YamlSource
            textRef={yamlRef}
            text={draft.yamlText}
            onChange={(text) => {
              actions.clearSaved();
              draft.editYaml(text);
            }}
            errors={errors}
            onSelect={select}
          />
        </div>
      )}
      <TextAreaField
        label="Why this change?"
        name="summary"
        value={summary}
        onChange={(event) => setSummary(event.target.value)}
        hint="Needed to submit: the reviewers read it first."
      />
      <EditorActionBar
        dirty={draft.dirty}
        saving={actions.save.isPending}
        submitting={actions.submit.isPending}
        onSave={actions.onSave}
        onSubmit={actions.onSubmit}
        onDiscard={actions.discard}
        compareHref={base.parentId ? `/policies/${policyId}/diff?from=${base.parentId}&to=${base.id}` : null}
        parentNumber={base.parentNumber}
      />
    </section>
  );
}
