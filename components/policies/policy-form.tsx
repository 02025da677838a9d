"use client";
import { useId, useState } from "react";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { SelectField, TextAreaField, TextField } from "@/components/forms/fields";
import { baselinePolicySchema } from "@/lib/policy-spec";
import { openApiOperations } from "@/lib/policy-spec/openapi-operations";
import { getIn, type Document } from "./document-edit";
import { ExceptionEditor } from "./exception-editor";
import { RoutesEditor } from "./routes-editor";
import type { FieldErrors } from "./policy-errors";
import { fieldLabel } from "./policy-labels";
import type { Shape } from "./schema-shape";
import styles from "./policies.module.css";

// The structured editor: one collapsible section per part of the policy, its fields
// drawn from the policy schema (lib/policy-spec), each showing the errors that name it.
// Errors come keyed by dot-joined document path ("denyRules.sqli.level").

type FormContext = {
  document: Document;
  errors: FieldErrors;
  onChange: (path: string[], value: unknown) => void;
  /** Application policies: an empty field inherits the baseline's setting. */
  inherits: boolean;
  /** What the exception editor's date picker allows: today (UTC) and the baseline's longest lifetime. */
  exceptionDates: { today: string; maxLifetimeDays: number };
};

const HIDDEN_SECTIONS = new Set(["apiVersion", "kind"]);
/** Sections an application policy can inherit; the others (OpenAPI, CORS, exceptions, …) are its own. */
const BASELINE_SECTIONS = new Set(Object.keys(baselinePolicySchema.shape));

export function PolicyFormSections({ shape, ...context }: FormContext & { shape: Shape }) {
  if (shape.kind !== "object") return null;
  return (
    <div>
      {shape.fields
        .filter(([key]) => !HIDDEN_SECTIONS.has(key))
        .map(([key, field]) => (
          <Section key={key} name={key} shape={field} {...context} />
        ))}
    </div>
  );
}

function errorsUnder(errors: FieldErrors, key: string): number {
  let count = 0;
  for (const [path, messages] of errors) if (path === key || path.startsWith(`${key}.`)) count += messages.length;
  return count;
}

function Section({ name, shape, ...context }: FormContext & { name: string; shape: Shape }) {
  const value = context.document[name];
  const problems = errorsUnder(context.errors, name);
  // Opened by its problems or by the person; fixing the last problem must not close it under their hands.
  const [opened, setOpened] = useState(false);
  const open = opened || problems > 0 || name === "metadata";
  const present = value !== undefined;
  const status =
    problems > 0
      ? `${problems} ${problems === 1 ? "problem" : "problems"}`
      : !context.inherits || name === "metadata"
        ? null
        : present && !(Array.isArray(value) && value.length === 0)
          ? "Set in this policy"
          : BASELINE_SECTIONS.has(name)
            ? "Inherits the baseline"
            : "Not used";
  return (
    <details
      className={`${styles.section} ${problems > 0 ? styles.sectionInvalid : ""}`}
      open={open}
      onToggle={(event) => setOpened(event.currentTarget.open)}
      data-section={name}
    >
      <summary>
        <span className={styles.sectionTitle}>{fieldLabel(name)}</span>
        {status ? <span className={problems > 0 ? "badge badge-danger" : "muted"}>{status}</span> : null}
      </summary>
      <div className={styles.sectionBody}>
        {shape.description ? <p className="muted">{shape.description}</p> : null}
        {context.inherits && BASELINE_SECTIONS.has(name) && name !== "metadata" && shape.kind === "object" ? (
          <p className="muted">Leave a field empty to keep the baseline&apos;s setting; the baseline can only be tightened here.</p>
        ) : null}
        {name === "exceptions" ? (
          <ExceptionEditor
            value={value}
            onChange={(next) => context.onChange([name], next)}
            errors={context.errors}
            operations={openApiOperations(getIn(context.document, ["openapi", "spec"]))}
            {...context.exceptionDates}
          />
        ) : name === "allow" ? (
          <RoutesEditor
            value={value}
            onChange={(next) => context.onChange([name], next)}
            errors={context.errors}
            operations={openApiOperations(getIn(context.document, ["openapi", "spec"]))}
          />
        ) : (
          <FieldOf path={[name]} shape={shape} {...context} />
        )}
        {context.inherits && present && name !== "metadata" ? (
          <p>
            <button type="button" className="button button-secondary button-small" onClick={() => context.onChange([name], undefined)}>
              Clear {fieldLabel(name)}
            </button>
          </p>
        ) : null}
      </div>
    </details>
  );
}

/** Errors of the field at `key` (and, for list and YAML fields, of the items inside it). */
function messagesFor(errors: FieldErrors, key: string, includeNested: boolean): string | undefined {
  const messages: string[] = [];
  for (const [path, list] of errors) {
    if (path === key) messages.push(...list);
    else if (includeNested && path.startsWith(`${key}.`)) {
      const rest = path.slice(key.length + 1);
      const where = /^\d+$/.test(rest.split(".")[0]!)
        ? `item ${Number(rest.split(".")[0]) + 1}${rest.includes(".") ? ` (${rest.split(".").slice(1).join(".")})` : ""}`
        : rest;
      messages.push(...list.map((m) => `${where}: ${m}`));
    }
  }
  return messages.length > 0 ? messages.join("; ") : undefined;
}

function FieldOf({ path, shape, ...context }: FormContext & { path: string[]; shape: Shape }) {
  const key = path.join(".");
  const name = path[path.length - 1]!;
  const label = fieldLabel(name);
  const value = getIn(context.document, path);
  const set = (next: unknown) => context.onChange(path, next);
  // A field with a default is never missing (the default applies), so it is not marked optional.
  const hasDefault = shape.defaultValue !== undefined && typeof shape.defaultValue !== "object";
  const required = shape.optional && !hasDefault ? false : undefined;
  const hint =
    shape.kind !== "object"
      ? [shape.description, hasDefault ? `Default: ${String(shape.defaultValue)}.` : null].filter(Boolean).join(" ") || undefined
      : undefined;
  const emptyChoice = context.inherits ? "Inherit" : hasDefault ? `Default (${String(shape.defaultValue)})` : "Not set";
  const fieldProps = { "data-field": key } as Record<string, string>;

  switch (shape.kind) {
    case "object":
      if (path.length === 1) {
        return (
          <div className={styles.fieldGrid}>
            {shape.fields.map(([child, field]) => (
              <FieldOf key={child} path={[...path, child]} shape={field} {...context} />
            ))}
          </div>
        );
      }
      return (
        <fieldset className={`fieldset ${styles.fieldWide}`}>
          <legend>{label}</legend>
          <div className={styles.fieldGrid}>
            {shape.fields.map(([child, field]) => (
              <FieldOf key={child} path={[...path, child]} shape={field} {...context} />
            ))}
          </div>
        </fieldset>
      );
    case "literal":
      return <TextField label={label} name={key} value={String(value ?? shape.value)} readOnly hint="Fixed for this kind of document." {...fieldProps} />;
    case "enum":
      return (
        <SelectField
          label={label}
          name={key}
          value={value === undefined ? "" : String(value)}
          onChange={(event) => set(event.target.value === "" ? undefined : event.target.value)}
          options={shape.options.map((option) => ({ value: option, label: option }))}
          placeholder={shape.optional ? emptyChoice : undefined}
          required={required}
          error={messagesFor(context.errors, key, false)}
          hint={hint}
          {...fieldProps}
        />
      );
    case "boolean":
      if (shape.optional && shape.defaultValue === undefined) {
        return (
          <SelectField
            label={label}
            name={key}
            value={value === undefined ? "" : value ? "true" : "false"}
            onChange={(event) => set(event.target.value === "" ? undefined : event.target.value === "true")}
            options={[
              { value: "true", label: "Yes" },
              { value: "false", label: "No" },
            ]}
            placeholder={emptyChoice}
            required={false}
            error={messagesFor(context.errors, key, false)}
            hint={hint}
            {...fieldProps}
          />
        );
      }
      return (
        <CheckboxField
          label={label}
          fieldKey={key}
          checked={Boolean(value ?? shape.defaultValue)}
          onChange={set}
          error={messagesFor(context.errors, key, false)}
          hint={hint}
        />
      );
    case "number":
      return (
        <TextField
          label={label}
          name={key}
          inputMode="numeric"
          value={value === undefined ? "" : String(value)}
          // Text that is not a number is kept as it is, so the schema names the problem.
          onChange={(event) => {
            const text = event.target.value.trim();
            set(text === "" ? undefined : /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);
          }}
          required={required}
          error={messagesFor(context.errors, key, false)}
          hint={hint}
          {...fieldProps}
        />
      );
    case "string":
      return (
        <TextField
          label={label}
          name={key}
          value={value === undefined ? "" : String(value)}
          onChange={(event) => set(event.target.value === "" && shape.optional ? undefined : event.target.value)}
          required={required}
          error={messagesFor(context.errors, key, false)}
          hint={hint}
          {...fieldProps}
        />
      );
    case "enum-list":
      return (
        <ChoiceListField
          label={label}
          fieldKey={key}
          options={shape.options}
          value={Array.isArray(value) ? value.map(String) : undefined}
          optional={shape.optional}
          onChange={set}
          error={messagesFor(context.errors, key, true)}
          hint={context.inherits && shape.optional ? "None chosen: inherited." : hint}
        />
      );
    case "string-list":
      return (
        <div className={styles.fieldWide}>
          <LinesField
            label={label}
            fieldKey={key}
            value={Array.isArray(value) ? value.map(String) : undefined}
            optional={shape.optional}
            onChange={set}
            error={messagesFor(context.errors, key, true)}
            hint={hint}
          />
        </div>
      );
    case "yaml":
      return (
        <div className={styles.fieldWide}>
          <YamlSnippetField label={label} fieldKey={key} value={value} onChange={set} error={messagesFor(context.errors, key, true)} hint={hint} />
        </div>
      );
  }
}

type ErrorProps = { error?: string; hint?: string };

function useDescribedBy(error?: string, hint?: string) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return { id, hintId, errorId, describedBy: [hintId, errorId].filter(Boolean).join(" ") || undefined };
}

function FieldMessages({ label, error, hint, hintId, errorId }: ErrorProps & { label: string; hintId?: string; errorId?: string }) {
  return (
    <>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error">
          {/^[a-z]/.test(error) ? `${label}: ${error}` : error}
        </p>
      ) : null}
    </>
  );
}

function CheckboxField({
  label,
  fieldKey,
  checked,
  onChange,
  error,
  hint,
}: ErrorProps & { label: string; fieldKey: string; checked: boolean; onChange: (value: boolean) => void }) {
  const { id, hintId, errorId, describedBy } = useDescribedBy(error, hint);
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <div className={styles.checkboxRow}>
        <input
          type="checkbox"
          id={id}
          name={fieldKey}
          data-field={fieldKey}
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-invalid={Boolean(error)}
          aria-describedby={describedBy}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <FieldMessages label={label} error={error} hint={hint} hintId={hintId} errorId={errorId} />
    </div>
  );
}

function ChoiceListField({
  label,
  fieldKey,
  options,
  value,
  optional,
  onChange,
  error,
  hint,
}: ErrorProps & {
  label: string;
  fieldKey: string;
  options: string[];
  value: string[] | undefined;
  optional: boolean;
  onChange: (value: string[] | undefined) => void;
}) {
  const { hintId, errorId, describedBy } = useDescribedBy(error, hint);
  const chosen = new Set(value ?? []);
  const toggle = (option: string, on: boolean) => {
    const next = options.filter((o) => (o === option ? on : chosen.has(o)));
    onChange(next.length === 0 && optional ? undefined : next);
  };
  return (
    <fieldset className={`fieldset ${styles.fieldWide} ${error ? "field-invalid" : ""}`} aria-describedby={describedBy}>
      <legend>
        {label}
        {optional ? <span className="field-optional"> (optional)</span> : null}
      </legend>
      <div className={styles.checkboxGroup}>
        {options.map((option, index) => (
          <label key={option}>
            <input
              type="checkbox"
              name={fieldKey}
              value={option}
              checked={chosen.has(option)}
              onChange={(e) => toggle(option, e.target.checked)}
              aria-invalid={Boolean(error)}
              {...(index === 0 ? { "data-field": fieldKey } : {})}
            />
            {option}
          </label>
        ))}
      </div>
      <FieldMessages label={label} error={error} hint={hint} hintId={hintId} errorId={errorId} />
    </fieldset>
  );
}

function LinesField({
  label,
  fieldKey,
  value,
  optional,
  onChange,
  error,
  hint,
}: ErrorProps & { label: string; fieldKey: string; value: string[] | undefined; optional: boolean; onChange: (value: string[] | undefined) => void }) {
  // The text as typed (blank lines included); the document gets the non-empty lines.
  const [text, setText] = useSynced(
    value,
    (v) => (v ?? []).join("\n"),
    (t) => lines(t),
    sameList,
  );
  return (
    <TextAreaField
      label={label}
      name={fieldKey}
      data-field={fieldKey}
      className={styles.code}
      rows={Math.min(10, Math.max(3, text.split("\n").length + 1))}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        const next = lines(event.target.value);
        onChange(next.length === 0 && optional ? undefined : next);
      }}
      required={optional ? false : undefined}
      error={error}
      hint={hint ? `${hint} One per line.` : "One per line."}
    />
  );
}

function YamlSnippetField({
  label,
  fieldKey,
  value,
  onChange,
  error,
  hint,
}: ErrorProps & { label: string; fieldKey: string; value: unknown; onChange: (value: unknown) => void }) {
  const [syntaxError, setSyntaxError] = useState<string | null>(null);
  const [text, setText] = useSynced(
    value,
    toYaml,
    (t) => {
      try {
        return t.trim() === "" ? undefined : (parseYaml(t) as unknown);
      } catch {
        return Symbol.for("invalid");
      }
    },
    (a, b) => JSON.stringify(a) === JSON.stringify(b),
  );
  return (
    <TextAreaField
      label={label}
      name={fieldKey}
      data-field={fieldKey}
      className={styles.code}
      rows={Math.min(18, Math.max(3, text.split("\n").length + 1))}
      value={text}
      spellCheck={false}
      onChange={(event) => {
        const next = event.target.value;
        setText(next);
        if (next.trim() === "") {
          setSyntaxError(null);
          onChange(undefined);
          return;
        }
        try {
          onChange(parseYaml(next) as unknown);
          setSyntaxError(null);
        } catch (e) {
          setSyntaxError(`is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
        }
      }}
      required={false}
      error={[syntaxError, error].filter(Boolean).join("; ") || undefined}
      hint={hint ? `${hint} Written in YAML.` : "Written in YAML."}
    />
  );
}

/**
 * Local text for a field whose document value it edits: typing keeps the text as typed,
 * while a change of the value from elsewhere (a reload, the YAML view) replaces the text.
 */
function useSynced<T>(value: T, format: (value: T) => string, read: (text: string) => unknown, same: (a: unknown, b: unknown) => boolean) {
  const [state, setState] = useState(() => ({ value, text: format(value) }));
  let text = state.text;
  if (state.value !== value) {
    // Adjusting state while rendering (React's pattern for "a prop changed"): keep what
    // was typed if it still says the same, else show the new value.
    text = same(read(state.text), value) ? state.text : format(value);
    setState({ value, text });
  }
  const setText = (next: string) => setState((current) => ({ ...current, text: next }));
  return [text, setText] as const;
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

function sameList(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function toYaml(value: unknown): string {
  return value === undefined ? "" : stringifyYaml(value, { indent: 2, lineWidth: 0 }).trimEnd();
}
