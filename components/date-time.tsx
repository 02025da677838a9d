// Timestamps are shown in UTC with a fixed format: the same text on the server and in
// the browser (no hydration mismatch), and unambiguous when pasted into an incident report.
export function formatUtc(value: string | Date): string {
  const iso = new Date(value).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function DateTime({ value }: { value: string | Date | null | undefined }) {
  if (!value) return <span aria-label="never">—</span>;
  const iso = new Date(value).toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {formatUtc(iso)}
    </time>
  );
}
