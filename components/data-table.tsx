import type { ReactNode } from "react";

/** One column of a DataTable: its header, and what each row shows in it. */
export type Column<T> = {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Classes on the header and on every cell of the column ("numeric", "hide-narrow"). */
  className?: string;
  /** Classes on the body cells only ("actions", "mono"). */
  cellClassName?: string;
  /** The cell names its row (`<th scope="row">`), so screen readers announce it with each value. */
  isRowHeader?: boolean;
};

type DataTableProps<T extends { id: string }> = {
  rows: readonly T[];
  /** Columns; `false` or `null` leaves a column out, e.g. actions the viewer may not take. */
  columns: readonly (Column<T> | false | null)[];
  /** Shown instead of the table when there are no rows. */
  empty?: ReactNode;
  /** Extra classes on the table, e.g. a hook for tests or page-specific styles. */
  className?: string;
  /** A visually hidden caption, for tables whose heading is not a nearby element. */
  caption?: string;
} & ({ label: string; labelledBy?: never } | { labelledBy: string; label?: never } | { label?: never; labelledBy?: never });

function classes(...names: (string | undefined)[]): string | undefined {
  return names.filter(Boolean).join(" ") || undefined;
}

/**
 * The portal's table of records. A wide table scrolls inside its wrapper; when it is
 * named (`label` or `labelledBy`) the wrapper is a focusable region, so keyboard users
 * can scroll it too.
 */
export function DataTable<T extends { id: string }>({ rows, columns, empty, className, caption, label, labelledBy }: DataTableProps<T>) {
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>;
  const shown = columns.filter((c): c is Column<T> => Boolean(c));
  const region = label !== undefined || labelledBy !== undefined ? { role: "region", "aria-label": label, "aria-labelledby": labelledBy, tabIndex: 0 } : {};
  return (
    <div className="table-wrap" {...region}>
      <table className={classes("data-table", className)}>
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {shown.map((column, i) => (
              <th key={i} scope="col" className={column.className}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              {shown.map((column, i) => {
                const Cell = column.isRowHeader ? "th" : "td";
                return (
                  <Cell key={i} scope={column.isRowHeader ? "row" : undefined} className={classes(column.className, column.cellClassName)}>
                    {column.cell(row)}
                  </Cell>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The panel a list shows when it has nothing to list: what happened, and what to do. */
export function EmptyState({ title, children, action }: { title: ReactNode; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="panel empty-state">
      <h2>{title}</h2>
      <p>{children}</p>
      {action ? <p>{action}</p> : null}
    </div>
  );
}

/** A visually hidden header, for a column of buttons that needs no visible title. */
export const ACTIONS_HEADER = <span className="visually-hidden">Actions</span>;
