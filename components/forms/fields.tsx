"use client";
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

type FieldFrameProps = {
  label: string;
  error?: string;
  hint?: ReactNode;
  /** `false` marks the label "(optional)"; filters leave it unset and get no marker. */
  required?: boolean;
  children: (control: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
};

// Messages from the API's schemas read as a predicate ("is required", "must be …"):
// they are shown after the field's label so they make a sentence on their own.
function errorText(label: string, message: string): string {
  return /^[a-z]/.test(message) ? `${label}: ${message}` : message;
}

function FieldFrame({ label, error, hint, required, children }: FieldFrameProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>
        {label}
        {required === false ? <span className="field-optional"> (optional)</span> : null}
      </label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {error ? (
        <p id={errorId} className="field-error">
          {errorText(label, error)}
        </p>
      ) : null}
    </div>
  );
}

type Common = { label: string; name: string; error?: string; hint?: ReactNode };

export function TextField({ label, error, hint, ...input }: Common & Omit<InputHTMLAttributes<HTMLInputElement>, "id">) {
  return (
    <FieldFrame label={label} error={error} hint={hint} required={input.required}>
      {(control) => <input type="text" {...input} {...control} />}
    </FieldFrame>
  );
}

export function TextAreaField({ label, error, hint, ...input }: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id">) {
  return (
    <FieldFrame label={label} error={error} hint={hint} required={input.required}>
      {(control) => <textarea rows={3} {...input} {...control} />}
    </FieldFrame>
  );
}

export function SelectField({
  label,
  error,
  hint,
  options,
  placeholder,
  ...select
}: Common &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, "id"> & {
    options: readonly { value: string; label: string }[];
    /** A first, empty choice such as "Any team". */
    placeholder?: string;
  }) {
  return (
    <FieldFrame label={label} error={error} hint={hint} required={select.required}>
      {(control) => (
        <select {...select} {...control}>
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

/** A slug: the URL-safe, unchangeable identifier of a team or an application. */
export function SlugField({ error, hint }: { error?: string; hint: ReactNode }) {
  return <TextField label="Slug" name="slug" required maxLength={63} autoCapitalize="none" spellCheck={false} error={error} hint={hint} />;
}

export function FormAlert({ errors }: { errors: { message: string; extra: string[] } | null }) {
  if (!errors) return null;
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1}>
      <p>{errors.message}</p>
      {errors.extra.length > 0 ? (
        <ul>
          {errors.extra.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function SubmitButton({ pending, children, pendingLabel }: { pending: boolean; children: ReactNode; pendingLabel?: string }) {
  return (
    <button type="submit" className="button" disabled={pending} aria-disabled={pending}>
      {pending ? (pendingLabel ?? "Saving…") : children}
    </button>
  );
}

/** The string value of a form control, or "" when absent. */
export function formValue(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === "string" ? value : "";
}
