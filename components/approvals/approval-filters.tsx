import { FilterForm } from "@/components/filter-form";
import { SelectField, TextField } from "@/components/forms/fields";
import { RISK_FLAG_CODES } from "@/lib/approvals/compute-risk-flags";
import type { ApprovalQueueQuery } from "@/lib/approvals/approval-schemas";
import type { FieldError } from "@/lib/errors/app-error";
import { RISK_FLAG_LABELS } from "./risk-flag-labels";

const SORTS = [
  { value: "oldest", label: "Oldest first" },
  { value: "newest", label: "Newest first" },
  { value: "risk", label: "Most risk flags" },
  { value: "policy", label: "Policy name" },
  { value: "author", label: "Author" },
];
const KINDS = [
  { value: "baseline", label: "Baseline" },
  { value: "application", label: "Fine-grained (application)" },
];
const RISKS = [
  { value: "any", label: "Any risk flag" },
  { value: "none", label: "No risk flag" },
  ...RISK_FLAG_CODES.map((code) => ({ value: code, label: RISK_FLAG_LABELS[code] })),
];

/** The queue's filters, in the address (works without JavaScript). */
export function ApprovalFilters({
  query,
  invalid,
  teams,
}: {
  query: ApprovalQueueQuery;
  invalid: readonly FieldError[];
  teams: readonly { id: string; name: string }[];
}) {
  return (
    <FilterForm action="/approvals" label="Filter the approval queue" resetKey={JSON.stringify(query)} invalid={invalid}>
      <TextField label="Search" name="q" type="search" defaultValue={query.q ?? ""} placeholder="Policy, application, author, summary" />
      <SelectField
        label="Team"
        name="teamId"
        defaultValue={query.teamId ?? ""}
        placeholder="Any team"
        options={teams.map((t) => ({ value: t.id, label: t.name }))}
      />
      <SelectField label="Kind" name="kind" defaultValue={query.kind ?? ""} placeholder="Any kind" options={KINDS} />
      <SelectField label="Risk" name="risk" defaultValue={query.risk ?? ""} placeholder="Any" options={RISKS} />
      <TextField label="Waiting at least (days)" name="olderThanDays" type="number" min={0} defaultValue={query.olderThanDays?.toString() ?? ""} />
      <SelectField label="Sort" name="sort" defaultValue={query.sort} options={SORTS} />
      {query.applicationId ? <input type="hidden" name="applicationId" value={query.applicationId} /> : null}
      {query.authorId ? <input type="hidden" name="authorId" value={query.authorId} /> : null}
    </FilterForm>
  );
}
