"use client";
import { useDeferredValue, useEffect, useMemo, useState } from "react";
import { parseDocument } from "yaml";
import type { PolicyKindName, PolicyVersionView } from "@/lib/policies/policy-schemas";
import { canonicalJson, CONTENT_MARKER, markContentField, type ContentProfile, type SpecPath } from "@/lib/policy-spec";
import { getIn, setIn, type Document } from "./document-edit";
import { authoredDocument, readYaml, toYaml, validateDocument, validateText, type EditorView } from "./draft-document";

// The draft being edited: the revision it started from, the document in the form and
// the text in the YAML view, which of the two is shown, and what the schema says of it.

export type DraftDocument = ReturnType<typeof useDraftDocument>;

export function useDraftDocument(version: PolicyVersionView, kind: PolicyKindName) {
  // The revision this editor started from: what If-Match sends. It moves only on a save.
  const [base, setBase] = useState(version);
  // The document as its author wrote it: its key order survives a save from the form, and
  // the YAML tab starts from the authored text, comments included.
  const [document, setDocument] = useState<Document>(() => authoredDocument(version));
  const [view, setView] = useState<EditorView>("form");
  const [yamlText, setYamlText] = useState(() => version.source);

  // Validation runs on a deferred copy, so typing stays responsive on large documents.
  const deferredDocument = useDeferredValue(document);
  const deferredYaml = useDeferredValue(yamlText);
  const formErrors = useMemo(() => validateDocument(deferredDocument, kind), [deferredDocument, kind]);
  const yamlErrors = useMemo(() => (view === "yaml" ? validateText(deferredYaml, kind) : []), [deferredYaml, kind, view]);
  const baseDocument = useMemo(() => authoredDocument(base), [base]);
  const shown = view === "form" ? document : (readYaml(yamlText) ?? null);
  const dirty = canonicalJson(shown) !== canonicalJson(baseDocument);
  useLeaveWarning(dirty);

  /** Starts over from a stored revision: after a save, a reload or a discard. */
  function load(next: PolicyVersionView) {
    setBase(next);
    setDocument(authoredDocument(next));
    setYamlText(next.source);
  }

  /** Switches views; returns why it cannot, or null. */
  function switchTo(next: EditorView): string | null {
    if (next === view) return null;
    if (next === "yaml") {
      // Unchanged in the form: keep the text as written (its comments); else the form's document.
      const same = canonicalJson(readYaml(yamlText) ?? null) === canonicalJson(document);
      if (!same) setYamlText(toYaml(document));
      setView("yaml");
      return null;
    }
    const data = readYaml(yamlText);
    if (data === undefined) return "Fix the YAML syntax errors before switching to the form.";
    setDocument(data);
    setView("form");
    return null;
  }

  /**
   * Marks (or unmarks) a field of the OpenAPI specification as free text, in the view
   * shown: the YAML text keeps its comments. Returns why it cannot, or null.
   */
  function markContent(at: SpecPath, profile: ContentProfile | null): string | null {
    const path = ["openapi", "spec", ...at];
    if (view === "form") {
      setDocument((doc) => setIn(doc, ["openapi", "spec"], markContentField(getIn(doc, ["openapi", "spec"]), at, profile)));
      return null;
    }
    const text = parseDocument(yamlText);
    if (text.errors.length > 0) return "Fix the YAML syntax errors before marking a field.";
    if (profile === null) text.deleteIn([...path, CONTENT_MARKER]);
    else text.setIn([...path, CONTENT_MARKER], profile);
    setYamlText(text.toString());
    return null;
  }

  return {
    base,
    baseDocument,
    document,
    yamlText,
    view,
    /** What the API's errors were found on: they stand until it changes. */
    snapshot: view === "form" ? canonicalJson(document) : yamlText,
    localErrors: view === "form" ? formErrors : yamlErrors,
    /** The document as the view shows it now (null: YAML that does not parse). */
    shown,
    dirty,
    load,
    markContent,
    switchTo,
    change: (path: string[], value: unknown) => setDocument((doc) => setIn(doc, path, value)),
    editYaml: setYamlText,
    /** The schema's verdict on what is shown now, not on the deferred copy. */
    validateNow: () => (view === "form" ? validateDocument(document, kind) : validateText(yamlText, kind)),
  };
}

/** Unsaved changes: the browser asks before leaving the page. */
function useLeaveWarning(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
}
