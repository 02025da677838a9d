import Link from "next/link";
import type { FormEvent, ReactNode } from "react";
import type { FieldError } from "@/lib/errors/app-error";

/**
 * A GET form that filters a server-rendered list. It works without JavaScript, and the
 * filters live in the address, so a filtered list can be bookmarked and shared.
 */
export function FilterForm({
  action,
  label,
  resetKey,
  submitLabel = "Apply filters",
  canClear = true,
  wide = false,
  invalid = [],
  onSubmit,
  children,
}: {
  /** The list's path; "Clear" links back to it without filters. */
  action: string;
  /** The form's accessible name, e.g. "Filter applications". */
  label: string;
  /** The filters now applied: a change remounts the form, so its fields show them (they are uncontrolled). */
  resetKey: string;
  submitLabel?: string;
  canClear?: boolean;
  /** Wider columns, for fields with longer values (dates, hints). */
  wide?: boolean;
  /** Filters from the address that failed validation: the list was shown without them, and says so. */
  invalid?: readonly FieldError[];
  onSubmit?: (event: FormEvent<HTMLFormElement>) => void;
  children: ReactNode;
}) {
  return (
    <>
      {invalid.length > 0 ? (
        <div className="alert alert-warning" role="status">
          <p>Some filters in the address were not valid and were ignored:</p>
          <ul>
            {invalid.map((e) => (
              <li key={e.path}>
                {e.path.replace(/^query\./, "")}: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form
        key={resetKey}
        role="search"
        aria-label={label}
        method="get"
        action={action}
        onSubmit={onSubmit}
        className={wide ? "filters filters-wide" : "filters"}
      >
        {children}
        <div className="filters-actions">
          <button type="submit" className="button">
            {submitLabel}
          </button>
          {canClear ? (
            <Link href={action} className="button button-secondary">
              Clear
            </Link>
          ) : null}
        </div>
      </form>
    </>
  );
}
