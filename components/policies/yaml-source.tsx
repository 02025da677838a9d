"use client";
import type { RefObject } from "react";
import type { EditorError } from "./policy-errors";
import { pathLabel } from "./policy-labels";
import styles from "./policies.module.css";

// The YAML view: the whole document as text, its problems listed with line and column.

export function YamlSource({
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

/** Puts the caret of the YAML view at a line and column (1-based). */
export function moveCaret(textarea: HTMLTextAreaElement | null, text: string, line: number, column: number) {
  if (!textarea) return;
  const lines = text.split("\n");
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i]!.length + 1;
  offset += Math.max(0, column - 1);
  textarea.focus();
  textarea.setSelectionRange(offset, offset);
}

/** Takes the person to a problem: its line in the YAML view, or its field (or the nearest one above it) in the form. */
export function focusError(error: EditorError, yaml: { textarea: HTMLTextAreaElement | null; text: string } | null) {
  if (yaml && error.line) {
    moveCaret(yaml.textarea, yaml.text, error.line, error.column ?? 1);
    return;
  }
  const section = window.document.querySelector<HTMLDetailsElement>(`details[data-section="${error.path[0]}"]`);
  if (section) section.open = true;
  for (let length = error.path.length; length > 0; length--) {
    const field = window.document.querySelector<HTMLElement>(`[data-field="${CSS.escape(error.path.slice(0, length).join("."))}"]`);
    if (field) {
      field.focus();
      return;
    }
  }
  section?.querySelector("summary")?.focus();
}
