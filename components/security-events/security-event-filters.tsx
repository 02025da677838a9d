import type { FieldError } from "@/lib/errors/app-error";
import type { ListSecurityEventsQuery } from "@/lib/security-events/security-event-schemas";
import { FilterForm } from "@/components/filter-form";
import { SelectField, TextField } from "@/components/forms/fields";

function toInputValue(iso: string | undefined): string {
  return iso ? new Date(iso).toISOString().slice(0, 16) : "";
}

export function SecurityEventFilters({
  query,
  invalid,
  applications,
}: {
  query: ListSecurityEventsQuery;
  invalid: readonly FieldError[];
  applications: readonly { id: string; name: string }[];
}) {
  return (
    <FilterForm action="/security-events" label="Filter security events" resetKey={JSON.stringify(query)} invalid={invalid} wide>
      <SelectField
        label="Application"
        name="applicationId"
        defaultValue={query.applicationId ?? ""}
        placeholder="Any application"
        options={applications.map((a) => ({ value: a.id, label: a.name }))}
      />
      <SelectField
        label="Action"
        name="action"
        defaultValue={query.action ?? ""}
        placeholder="Blocked and logged"
        options={[
          { value: "blocked", label: "Blocked" },
          { value: "logged", label: "Logged (log-only)" },
        ]}
      />
      <TextField label="Family" name="family" type="search" defaultValue={query.family ?? ""} placeholder="e.g. sqli" />
      <TextField label="Rule" name="ruleId" type="search" defaultValue={query.ruleId ?? ""} placeholder="e.g. sqli.union-select" />
      <TextField
        label="Path"
        name="path"
        type="search"
        defaultValue={query.path ?? ""}
        placeholder="/search or /api/*"
        hint="Exact, or a prefix ending in *."
      />
      <TextField label="Client IP" name="clientIp" type="search" defaultValue={query.clientIp ?? ""} />
      <TextField label="From (UTC)" name="from" type="datetime-local" defaultValue={toInputValue(query.from)} />
      <TextField label="To (UTC)" name="to" type="datetime-local" defaultValue={toInputValue(query.to)} />
    </FilterForm>
  );
}
