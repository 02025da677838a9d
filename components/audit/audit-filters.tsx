import Link from "next/link";
import type { ListAuditEventsQuery } from "@/lib/audit/audit-schemas";

// A plain GET form: filtering the audit log needs no JavaScript. Times are UTC, like
// every timestamp in the table, so what you type is what the table shows.
const TARGET_TYPES = ["application", "team", "membership", "user", "api-token", "session", "api-operation"];
const ACTION_PREFIXES = ["application.", "team.", "membership.", "user.", "token.", "auth.", "api."];

/** "2025-01-31T09:30:00.000Z" → "2025-01-31T09:30", the value a datetime-local input takes. */
function toInputValue(iso: string | undefined): string {
  return iso ? new Date(iso).toISOString().slice(0, 16) : "";
}

export function AuditFilters({ query }: { query: ListAuditEventsQuery }) {
  return (
    <form key={JSON.stringify(query)} role="search" aria-label="Filter audit events" method="get" action="/audit" className="filters filters-wide">
      <div className="field">
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" name="actor" type="search" defaultValue={query.actor ?? ""} placeholder="Email contains…" />
      </div>
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <input
          id="audit-action"
          name="action"
          type="search"
          list="audit-action-prefixes"
          defaultValue={query.action ?? ""}
          placeholder="e.g. application."
          aria-describedby="audit-action-hint"
        />
        <datalist id="audit-action-prefixes">
          {ACTION_PREFIXES.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <p id="audit-action-hint" className="field-hint">
          Matches the start of the action.
        </p>
      </div>
      <div className="field">
        <label htmlFor="audit-target-type">Target type</label>
        <select id="audit-target-type" name="targetType" defaultValue={query.targetType ?? ""}>
          <option value="">Any target</option>
          {TARGET_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-outcome">Outcome</label>
        <select id="audit-outcome" name="outcome" defaultValue={query.outcome ?? ""}>
          <option value="">Any outcome</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
          <option value="denied">Denied</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-from">From (UTC)</label>
        <input id="audit-from" name="from" type="datetime-local" defaultValue={toInputValue(query.from)} />
      </div>
      <div className="field">
        <label htmlFor="audit-to">To (UTC)</label>
        <input id="audit-to" name="to" type="datetime-local" defaultValue={toInputValue(query.to)} />
      </div>
      {query.targetId ? <input type="hidden" name="targetId" value={query.targetId} /> : null}
      <div className="filters-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <Link href="/audit" className="button button-secondary">
          Clear
        </Link>
      </div>
    </form>
  );
}
