"use client";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import type { ListApplicationsQuery } from "@/lib/applications/application-schemas";
import type { FieldError } from "@/lib/errors/app-error";
import { toSearchParams } from "@/lib/query/api-client";
import { FilterForm } from "@/components/filter-form";
import { SelectField, TextField, formValue } from "@/components/forms/fields";
import { EXPOSURE_OPTIONS } from "./exposure-badge";

// With JavaScript the filters navigate client-side, leaving defaults out of the address.
export function ApplicationFilters({
  query,
  invalid,
  teams,
}: {
  query: ListApplicationsQuery;
  invalid: readonly FieldError[];
  teams: { id: string; name: string }[];
}) {
  const router = useRouter();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const archived = formValue(data, "archived");
    const params = toSearchParams({
      q: formValue(data, "q").trim(),
      teamId: formValue(data, "teamId"),
      exposure: formValue(data, "exposure"),
      archived: archived === "false" ? undefined : archived,
    }).toString();
    router.push(params ? `/applications?${params}` : "/applications");
  }

  return (
    <FilterForm action="/applications" label="Filter applications" resetKey={JSON.stringify(query)} invalid={invalid} onSubmit={onSubmit}>
      <TextField label="Search" name="q" type="search" defaultValue={query.q ?? ""} placeholder="Name or slug" />
      <SelectField
        label="Team"
        name="teamId"
        defaultValue={query.teamId ?? ""}
        placeholder="All teams"
        options={teams.map((t) => ({ value: t.id, label: t.name }))}
      />
      <SelectField label="Exposure" name="exposure" defaultValue={query.exposure ?? ""} placeholder="Any exposure" options={EXPOSURE_OPTIONS} />
      <SelectField
        label="Status"
        name="archived"
        defaultValue={query.archived}
        options={[
          { value: "false", label: "Active" },
          { value: "true", label: "Archived" },
          { value: "all", label: "Active and archived" },
        ]}
      />
    </FilterForm>
  );
}
