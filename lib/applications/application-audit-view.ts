// What of an application goes into audit before/after summaries: the editable fields.
export function auditView(a: {
  slug: string;
  name: string;
  description: string;
  exposure: string;
  upstreamUrl: string;
  archivedAt: Date | null;
  version: number;
}) {
  return {
    slug: a.slug,
    name: a.name,
    description: a.description,
    exposure: a.exposure,
    upstreamUrl: a.upstreamUrl,
    archived: a.archivedAt !== null,
    version: a.version,
  };
}
