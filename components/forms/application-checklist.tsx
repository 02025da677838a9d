import { useId } from "react";

/**
 * Applications to choose, as a list: one per line with its name and slug, the error beside
 * the list. Uncontrolled checkboxes named `name`, read from the form's data on submit.
 */
export function ApplicationChecklist({
  legend,
  name,
  applications,
  defaultChecked = [],
  error,
  hint,
  empty = "No applications yet.",
}: {
  legend: string;
  name: string;
  applications: readonly { id: string; slug: string; name: string }[];
  defaultChecked?: readonly string[];
  error?: string;
  hint?: string;
  empty?: string;
}) {
  const id = useId();
  return (
    <fieldset
      className={error ? "fieldset field-invalid" : "fieldset"}
      aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : ""].join(" ").trim() || undefined}
    >
      <legend>{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {applications.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="checkbox-list">
          {applications.map((application) => (
            <li key={application.id}>
              <label>
                <input
                  type="checkbox"
                  name={name}
                  value={application.id}
                  defaultChecked={defaultChecked.includes(application.id)}
                  aria-invalid={Boolean(error)}
                />
                <span>
                  {application.name} <span className="muted mono slug">{application.slug}</span>
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {legend}: {error}
        </p>
      ) : null}
    </fieldset>
  );
}
