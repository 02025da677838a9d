import { FilterForm } from "@/components/filter-form";
import { SelectField } from "@/components/forms/fields";
import type { ListExceptionsQuery } from "@/lib/approvals/exception-schemas";
import type { FieldError } from "@/lib/errors/app-error";
import { DENY_FAMILIES, DENY_FAMILY_LABELS, DENY_RULES } from "@/lib/policy-spec";

const STATUSES = [
  { value: "active", label: "In force" },
  { value: "expired", label: "Expired" },
];
const WITHIN = [7, 30, 90].map((days) => ({ value: String(days), label: `${days} days` }));

/** The register's filters, in the address: application, rule (family or one rule), expiry. */
export function ExceptionFilters({
  query,
  invalid,
  applications,
}: {
  query: ListExceptionsQuery;
  invalid: readonly FieldError[];
  applications: readonly { id: string; slug: string; name: string }[];
}) {
  return (
    <FilterForm action="/exceptions" label="Filter exceptions" resetKey={JSON.stringify(query)} invalid={invalid}>
      <SelectField
        label="Application"
        name="applicationId"
        defaultValue={query.applicationId ?? ""}
        placeholder="Any application"
        options={applications.map((a) => ({ value: a.id, label: `${a.name} (${a.slug})` }))}
      />
      <SelectField
        label="Rule family"
        name="family"
        defaultValue={query.family ?? ""}
        placeholder="Any family"
        options={DENY_FAMILIES.map((family) => ({ value: family, label: DENY_FAMILY_LABELS[family] }))}
      />
      <SelectField
        label="Rule"
        name="ruleId"
        defaultValue={query.ruleId ?? ""}
        placeholder="Any rule"
        options={DENY_RULES.map(([id]) => ({ value: id, label: id }))}
      />
      <SelectField label="Status" name="status" defaultValue={query.status ?? ""} placeholder="Any status" options={STATUSES} />
      <SelectField
        label="Expiring within"
        name="expiringWithinDays"
        defaultValue={query.expiringWithinDays?.toString() ?? ""}
        placeholder="Any time"
        options={WITHIN}
      />
    </FilterForm>
  );
}
