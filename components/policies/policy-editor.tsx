"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useEffect, useMemo, useRef, useState, type RefObject } from "react";
import { parse as parseYaml } from "yaml";
import { ConflictAlert } from "@/components/applications/conflict-alert";
import { TextAreaField } from "@/components/forms/fields";
import { policyVersionSchema, type PolicyKindName, type PolicyVersionView } from "@/lib/policies/policy-schemas";
import {
  applicationPolicySchema,
  baselinePolicySchema,
  canonicalJson,
  parsePolicyDocument,
  serializePolicyDocument,
  type PolicyDocument,
} from "@/lib/policy-spec";
import { ApiError, apiRequest } from "@/lib/query/api-client";
import { setIn, type Document } from "./document-edit";
import { byKey, fromFieldErrors, fromPolicyErrors, type EditorError } from "./policy-errors";
import { PolicyFormSections } from "./policy-form";
import { pathLabel } from "./policy-labels";
import { shapeOf } from "./schema-shape";
import styles from "./policies.module.css";

// Editing a draft: a structured form and a YAML view of the same document, validated as
// you type with the schema the API uses, saved with If-Match (a stale save is a 409 with
// a way to reload), then submitted for review. Errors the API finds beyond the schema
// (loosening the baseline, a wrong application name) are placed on the same fields.

type View = "form" | "yaml";
const DOCUMENT_KIND = { baseline: "BaselinePolicy", application: "ApplicationPolicy" } as const;
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
  const router = useRouter();
  const shape = useMemo(() => shapeOf(SCHEMAS[kind]), [kind]);
  // The revision this editor started from: what If-Match sends. It moves only on a save.
  const [base, setBase] = useState(version);
  // The document as its author wrote it: its key order survives a save from the form, and
  // the YAML tab starts from the authored text, comments included.
  const [document, setDocument] = useState<Document>(() => authoredDocument(version));
  const [view, setView] = useState<View>("form");
  const [yamlText, setYamlText] = useState(() => version.source);
  const [serverErrors, setServerErrors] = useState<{ errors: EditorError[]; snapshot: string; view: View } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  // Why the change is made: required to submit, for the reviewers.
  const [summary, setSummary] = useState(version.submissionSummary ?? "");
  const summaryRef = useRef<HTMLDivElement>(null);
  const yamlRef = useRef<HTMLTextAreaElement>(null);

  // Validation runs on a deferred copy, so typing stays responsive on large documents.
  const deferredDocument = useDeferredValue(document);
  const deferredYaml = useDeferredValue(yamlText);
  const formErrors = useMemo(() => validate(deferredDocument, kind), [deferredDocument, kind]);
  const yamlErrors = useMemo(() => (view === "yaml" ? validateText(deferredYaml, kind) : []), [deferredYaml, kind, view]);
  const current = view === "form" ? canonicalJson(document) : yamlText;
  // The API's errors stand until the document changes or the next save.
  const apiErrors = serverErrors && serverErrors.view === view && serverErrors.snapshot === current ? serverErrors.errors : [];
  const errors = dedupe([...(view === "form" ? formErrors : yamlErrors), ...apiErrors]);
  const baseDocument = useMemo(() => authoredDocument(base), [base]);
  const dirty =
    view === "form" ? canonicalJson(document) !== canonicalJson(baseDocument) : canonicalJson(readYaml(yamlText) ?? null) !== canonicalJson(baseDocument);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const save = useMutation({
    mutationFn: () =>
      apiRequest(`/policies/${policyId}/versions/${base.id}`, {
        method: "PUT",
        ifMatch: base.version,
        ...(view === "yaml" ? { rawBody: { text: yamlText, contentType: "application/yaml" } } : { body: { content: document } }),
        schema: policyVersionSchema,
      }),
    onSuccess: (updated) => {
      setBase(updated);
      setDocument(authoredDocument(updated));
      setYamlText(updated.source);
      setServerErrors(null);
      setSaved(updated.version);
      router.refresh();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.isConflict) setConflict(error.message);
      else if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setServerErrors({ errors: fromFieldErrors(error.fieldErrors), snapshot: current, view });
        setProblem(error.message);
      } else setProblem(error instanceof Error ? error.message : "The draft could not be saved.");
    },
  });

  const submit = useMutation({
    mutationFn: () =>
      apiRequest(`/policies/${policyId}/versions/${base.id}/submit`, { method: "POST", ifMatch: base.version, body: { summary }, schema: policyVersionSchema }),
    onSuccess: () => router.refresh(),
    onError: (error) => {
      if (error instanceof ApiError && error.fieldErrors.length > 0) {
        setServerErrors({ errors: fromFieldErrors(error.fieldErrors), snapshot: current, view });
      }
      if (error instanceof ApiError && error.status === 409 && error.fieldErrors.length === 0) setConflict(error.message);
      else setProblem(error instanceof Error ? error.message : "The draft could not be submitted.");
    },
  });

  useEffect(() => {
    if (problem || conflict) summaryRef.current?.querySelector<HTMLElement>('[role="alert"]')?.focus();
  }, [problem, conflict]);

  function change(path: string[], value: unknown) {
    setSaved(null);
    setDocument((doc) => setIn(doc, path, value));
  }

  function switchTo(next: View) {
    if (next === view) return;
    setProblem(null);
    if (next === "yaml") {
      // Unchanged in the form: keep the text as written (its comments); else the form's document.
      const same = canonicalJson(readYaml(yamlText) ?? null) === canonicalJson(document);
      if (!same) setYamlText(toYaml(document));
      setView("yaml");
      return;
    }
    const data = readYaml(yamlText);
    if (data === undefined) {
      setProblem("Fix the YAML syntax errors before switching to the form.");
      return;
    }
    setDocument(data);
    setView("form");
  }

  function onSave() {
    setSaved(null);
    setConflict(null);
    setProblem(null);
    const local = view === "form" ? validate(document, kind) : validateText(yamlText, kind);
    if (local.length > 0) {
      setProblem(`The policy has ${local.length === 1 ? "1 problem" : `${local.length} problems`}; fix ${local.length === 1 ? "it" : "them"} before saving.`);
      return;
    }
    save.mutate();
  }

  async function reload() {
    const fresh = await apiRequest(`/policies/${policyId}/versions/${base.id}`, { schema: policyVersionSchema });
    setBase(fresh);
    setDocument(authoredDocument(fresh));
    setYamlText(fresh.source);
    setConflict(null);
    setServerErrors(null);
    setProblem(null);
    router.refresh();
  }

  function focusError(error: EditorError) {
    if (view === "yaml" && error.line) {
      moveCaret(yamlRef.current, yamlText, error.line, error.column ?? 1);
      return;
    }
    const section = window.document.querySelector<HTMLDetailsElement>(`details[data-section="${error.path[0]}"]`);
    if (section) section.open = true;
    // The field itself, or the nearest field above it (a list or YAML snippet holding it).
    for (let length = error.path.length; length > 0; length--) {
      const field = window.document.querySelector<HTMLElement>(`[data-field="${CSS.escape(error.path.slice(0, length).join("."))}"]`);
      if (field) {
        field.focus();
        return;
      }
    }
    section?.querySelector("summary")?.focus();
  }

  return (
    <section className="panel" aria-labelledby="editor-heading">
      <h2 id="editor-heading">Edit draft version {base.number}</h2>
      <p className="muted">
        You are editing revision {base.version} of this draft. Changes are checked as you type; saving stores them, submitting sends the draft for review and
        freezes it.
      </p>

      <div ref={summaryRef}>
        {conflict ? <ConflictAlert detail={conflict} onReload={() => void reload()} reloading={false} /> : null}
        {problem ? (
          <div className="alert alert-error" role="alert" tabIndex={-1}>
            <p>{problem}</p>
          </div>
        ) : null}
        {saved !== null ? (
          <p className="alert alert-success" role="status">
            Saved. The draft is now at revision {saved}.
          </p>
        ) : null}
      </div>

      {errors.length > 0 ? (
        <div className={`alert alert-error ${styles.errorSummary}`} aria-labelledby="policy-error-summary">
          <p id="policy-error-summary">
            <strong>{errors.length === 1 ? "1 problem" : `${errors.length} problems`} in this policy</strong>
          </p>
          <ul>
            {errors.map((error) => (
              <li key={`${error.key}:${error.message}:${error.line ?? ""}`}>
                <button type="button" onClick={() => focusError(error)}>
                  {error.line ? `Line ${error.line}, column ${error.column ?? 1}: ` : ""}
                  {pathLabel(error.path)}: {error.message}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className={styles.tabs} role="tablist" aria-label="Editor view">
        {(["form", "yaml"] as const).map((tab) => (
          <button
            key={tab}
            type="button"
            role="tab"
            id={`editor-tab-${tab}`}
            aria-selected={view === tab}
            aria-controls={`editor-panel-${tab}`}
            tabIndex={view === tab ? 0 : -1}
            className={styles.tab}
            onClick={() => switchTo(tab)}
            onKeyDown={(event) => {
              if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
                const next = tab === "form" ? "yaml" : "form";
                switchTo(next);
                window.document.getElementById(`editor-tab-${next}`)?.focus();
              }
            }}
          >
            {tab === "form" ? "Form" : "YAML"}
          </button>
        ))}
      </div>

      {view === "form" ? (
        <div role="tabpanel" id="editor-panel-form" aria-labelledby="editor-tab-form">
          <PolicyFormSections
            shape={shape}
            document={document}
            errors={byKey(errors)}
            onChange={change}
            inherits={kind === "application"}
            exceptionDates={exceptionDates}
          />
        </div>
      ) : (
        <div role="tabpanel" id="editor-panel-yaml" aria-labelledby="editor-tab-yaml">
          <YamlSource
            textRef={yamlRef}
            text={yamlText}
            onChange={(text) => {
              setSaved(null);
              setYamlText(text);
            }}
            errors={errors}
            onSelect={focusError}
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
      <div className={styles.stickyActions}>
        <button type="button" className="button" onClick={onSave} disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save draft"}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setProblem(null);
            if (!summary.trim()) {
              setProblem("Say why this change is made: the reviewers read it first.");
              return;
            }
            submit.mutate();
          }}
          disabled={dirty || submit.isPending}
          aria-describedby={dirty ? "submit-hint" : undefined}
        >
          {submit.isPending ? "Submitting…" : "Submit for review"}
        </button>
        {dirty ? (
          <span id="submit-hint" className="muted">
            Save your changes before submitting.
          </span>
        ) : null}
        {dirty ? (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setDocument(authoredDocument(base));
              setYamlText(base.source);
              setServerErrors(null);
              setProblem(null);
            }}
          >
            Discard changes
          </button>
        ) : null}
        {base.parentId ? <Link href={`/policies/${policyId}/diff?from=${base.parentId}&to=${base.id}`}>Compare with version {base.parentNumber}</Link> : null}
      </div>
    </section>
  );
}

function YamlSource({
  textRef,
  text,
  onChange,
  errors,
  onSelect,
}: {
  textRef: RefObject<HTMLTextAreaElement | null>;
  text: string;
  onChange: (text: string) => void;
  errors: EditorError[];
  onSelect: (error: EditorError) => void;
}) {
  return (
    <div className={errors.length > 0 ? "field field-invalid" : "field"}>
      <label htmlFor="policy-yaml">Policy document (YAML)</label>
      <p id="policy-yaml-hint" className="field-hint">
        The whole document, as it would be kept in Git. Problems are listed below with their line and column.
      </p>
      <textarea
        id="policy-yaml"
        ref={textRef}
        className={`${styles.code} ${styles.yamlSource}`}
        value={text}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={errors.length > 0}
        aria-describedby={errors.length > 0 ? "policy-yaml-hint policy-yaml-errors" : "policy-yaml-hint"}
      />
      {errors.length > 0 ? (
        <ul id="policy-yaml-errors" className="field-error plain-list">
          {errors.map((error) => (
            <li key={`${error.key}:${error.message}:${error.line ?? ""}`}>
              <button type="button" className={styles.linkButton} onClick={() => onSelect(error)}>
                {error.line ? `Line ${error.line}, column ${error.column ?? 1}` : pathLabel(error.path)}
              </button>
              : {error.line && error.path.length > 0 ? `${pathLabel(error.path)}: ` : ""}
              {error.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function validate(document: Document, kind: PolicyKindName): EditorError[] {
  const parsed = parsePolicyDocument(document, { kind: DOCUMENT_KIND[kind] });
  return parsed.ok ? [] : fromPolicyErrors(parsed.errors);
}

function validateText(text: string, kind: PolicyKindName): EditorError[] {
  const parsed = parsePolicyDocument(text, { kind: DOCUMENT_KIND[kind], format: "yaml" });
  return parsed.ok ? [] : fromPolicyErrors(parsed.errors);
}

/** The data in YAML text, or undefined when it is not YAML at all. */
function readYaml(text: string): Document | undefined {
  try {
    const data = parseYaml(text) as unknown;
    return data !== null && typeof data === "object" && !Array.isArray(data) ? (data as Document) : {};
  } catch {
    return undefined;
  }
}

/** A version's document in its author's order (from its authored text), or its stored content. */
function authoredDocument(version: { source: string; content: Document }): Document {
  return readYaml(version.source) ?? version.content;
}

function toYaml(document: Document): string {
  return serializePolicyDocument(document as PolicyDocument);
}

function dedupe(errors: EditorError[]): EditorError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const id = `${error.key}\n${error.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function moveCaret(textarea: HTMLTextAreaElement | null, text: string, line: number, column: number) {
  if (!textarea) return;
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  offset += Math.max(0, column - 1);
  textarea.focus();
  textarea.setSelectionRange(offset, offset);
}
