import Link from "next/link";

/** A one-field GET search form for server-rendered lists. */
export function SearchForm({ action, label, q, placeholder }: { action: string; label: string; q?: string; placeholder?: string }) {
  return (
    <form key={q ?? ""} role="search" aria-label={label} method="get" action={action} className="filters">
      <div className="field">
        <label htmlFor={`${action.slice(1)}-search`}>Search</label>
        <input id={`${action.slice(1)}-search`} type="search" name="q" defaultValue={q ?? ""} placeholder={placeholder} />
      </div>
      <div className="filters-actions">
        <button type="submit" className="button">
          Search
        </button>
        {q ? (
          <Link href={action} className="button button-secondary">
            Clear
          </Link>
        ) : null}
      </div>
    </form>
  );
}
