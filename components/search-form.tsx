import { FilterForm } from "@/components/filter-form";
import { TextField } from "@/components/forms/fields";

/** A one-field GET search form for server-rendered lists. */
export function SearchForm({ action, label, q, placeholder }: { action: string; label: string; q?: string; placeholder?: string }) {
  return (
    <FilterForm action={action} label={label} resetKey={q ?? ""} submitLabel="Search" canClear={Boolean(q)}>
      <TextField label="Search" name="q" type="search" defaultValue={q ?? ""} placeholder={placeholder} />
    </FilterForm>
  );
}
