"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import type { ListApplicationsQuery } from "@/lib/applications/application-schemas";
import { toSearchParams } from "@/lib/query/api-client";
import { SelectField, TextField, formValue } from "@/components/forms/fields";
import { EXPOSURE_LABELS } from "./exposure-badge";

// A plain GET form (it works without JavaScript); with JavaScript it navigates client-side.
export function ApplicationFilters({ query, teams }: { query: ListApplicationsQuery; teams: { id: string; name: string }[] }) {
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
    <form
      key={JSON.stringify(query)}
      role="search"
      aria-label="Filter applications"
      method="get"
      action="/applications"
      onSubmit={onSubmit}
      className="filters"
    >
      <TextField label="Search" name="q" type="search" defaultValue={query.q ?? ""} placeholder="Name or slug" />
      <SelectField
        label="Team"
        name="teamId"
        defaultValue={query.teamId ?? ""}
        placeholder="All teams"
        options={teams.map((t) => ({ value: t.id, label: t.name }))}
      />
      <SelectField
        label="Exposure"
        name="exposure"
        defaultValue={query.exposure ?? ""}
        placeholder="Any exposure"
        options={Object.entries(EXPOSURE_LABELS).map(([value, label]) => ({ value, label }))}
      />
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
      <div className="filters-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <Link href="/applications" className="button button-secondary">
          Clear
        </Link>
      </div>
    </form>
  );
}
