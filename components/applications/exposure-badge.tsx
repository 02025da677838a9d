import type { ApplicationView } from "@/lib/applications/application-schemas";

export const EXPOSURE_LABELS: Record<ApplicationView["exposure"], string> = {
  internet: "Internet-facing",
  internal: "Internal only",
};

export const EXPOSURE_OPTIONS = Object.entries(EXPOSURE_LABELS).map(([value, label]) => ({ value, label }));

export function ExposureBadge({ exposure }: { exposure: ApplicationView["exposure"] }) {
  return <span className={`badge badge-${exposure}`}>{EXPOSURE_LABELS[exposure]}</span>;
}

export function ApplicationStatusBadge({ archivedAt }: { archivedAt: string | null }) {
  return archivedAt ? <span className="badge badge-neutral">Archived</span> : <span className="badge badge-success">Active</span>;
}
