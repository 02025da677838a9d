import type { FieldError } from "@/lib/errors/app-error";
import type { ListAuditEventsQuery } from "@/lib/audit/audit-schemas";
import { FilterForm } from "@/components/filter-form";
import { SelectField, TextField } from "@/components/forms/fields";

// Filtering the audit log needs no JavaScript. Times are UTC, like every timestamp in
// the table, so what you type is what the table shows.
const TARGET_TYPES = ["application", "team", "membership", "user", "api-token", "session", "api-operation"];
const ACTION_PREFIXES = ["application.", "team.", "membership.", "user.", "token.", "auth.", "api."];
const OUTCOMES = [
  { value: "success", label: "Success" },
  { value: "failure", label: "Failure" },
  { value: "denied", label: "Denied" },
];

/** "2025-01-31T09:30:00.000Z" → "2025-01-31T09:30", the value a datetime-local input takes. */
function toInputValue(iso: string | undefined): string {
  return iso ? new Date(iso).toISOString().slice(0, 16) : "";
}

export function AuditFilters({ query, invalid }: { query: ListAuditEventsQuery; invalid: readonly FieldError[] }) {
  return (
    <FilterForm action="/audit" label="Filter audit events" resetKey={JSON.stringify(query)} invalid={invalid} wide>
      <TextField
        label="Search"
        name="q"
        type="search"
        defaultValue={query.q ?? ""}
        placeholder="e.g. approve, payments-api, dana"
        hint="Actor, action (in words too), target."
      />
      <TextField label="Actor" name="actor" type="search" defaultValue={query.actor ?? ""} placeholder="Email contains…" />
      <TextField
        label="Action"
        name="action"
        type="search"
        list="audit-action-prefixes"
        defaultValue={query.action ?? ""}
        placeholder="e.g. application."
        hint="Matches the start of the action."
      />
      <datalist id="audit-action-prefixes">
        {ACTION_PREFIXES.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <SelectField
        label="Target type"
        name="targetType"
        defaultValue={query.targetType ?? ""}
        placeholder="Any target"
        options={TARGET_TYPES.map((t) => ({ value: t, label: t }))}
      />
      <SelectField label="Outcome" name="outcome" defaultValue={query.outcome ?? ""} placeholder="Any outcome" options={OUTCOMES} />
      <TextField label="From (UTC)" name="from" type="datetime-local" defaultValue={toInputValue(query.from)} />
      <TextField label="To (UTC)" name="to" type="datetime-local" defaultValue={toInputValue(query.to)} />
      {query.targetId ? <input type="hidden" name="targetId" value={query.targetId} /> : null}
    </FilterForm>
  );
}
