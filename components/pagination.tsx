import Link from "next/link";

/** Previous/next links that keep the page's other search params. */
export function Pagination({
  page,
  pageSize,
  total,
  basePath,
  params,
  label,
}: {
  page: number;
  pageSize: number;
  total: number;
  basePath: string;
  params: Record<string, string | number | undefined>;
  /** What is being paged, for screen readers: "Applications pages". */
  label: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const href = (p: number) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== "" && key !== "page") search.set(key, String(value));
    }
    if (p > 1) search.set("page", String(p));
    const qs = search.toString();
    return qs ? `${basePath}?${qs}` : basePath;
  };
  return (
    <nav className="pagination" aria-label={label}>
      <p className="pagination-status">
        {total === 0 ? "No results" : `Showing ${from}–${to} of ${total}`}
        {pages > 1 ? ` · page ${page} of ${pages}` : null}
      </p>
      <div className="pagination-links">
        {page > 1 ? (
          <Link className="button button-secondary" href={href(page - 1)} rel="prev">
            ← Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link className="button button-secondary" href={href(page + 1)} rel="next">
            Next →
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
