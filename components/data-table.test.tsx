import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable, EmptyState } from "./data-table";

const rows = [
  { id: "a", name: "Payments", members: 3 },
  { id: "b", name: "Storefront", members: 0 },
];

describe("DataTable", () => {
  it("renders a header per column and a cell per row and column, leaving out columns given as false", () => {
    const html = renderToStaticMarkup(
      <DataTable
        label="Teams"
        rows={rows}
        columns={[
          { header: "Team", isRowHeader: true, cell: (r) => r.name },
          { header: "Members", className: "numeric", cell: (r) => r.members },
          false && { header: "Actions", cell: () => "Remove" },
        ]}
      />,
    );
    expect(html).toContain('<th scope="col">Team</th><th scope="col" class="numeric">Members</th></tr>');
    expect(html).toContain('<tr><th scope="row">Payments</th><td class="numeric">3</td></tr>');
    expect(html).not.toContain("Remove");
  });

  it("makes a named table a focusable region, so a wide table can be scrolled from the keyboard", () => {
    expect(renderToStaticMarkup(<DataTable label="Teams" rows={rows} columns={[{ header: "Team", cell: (r) => r.name }]} />)).toContain(
      '<div class="table-wrap" role="region" aria-label="Teams" tabindex="0">',
    );
    expect(renderToStaticMarkup(<DataTable labelledBy="teams-heading" rows={rows} columns={[{ header: "Team", cell: (r) => r.name }]} />)).toContain(
      '<div class="table-wrap" role="region" aria-labelledby="teams-heading" tabindex="0">',
    );
    const captioned = renderToStaticMarkup(<DataTable caption="Versions" rows={rows} columns={[{ header: "Team", cell: (r) => r.name }]} />);
    expect(captioned).toContain('<div class="table-wrap"><table class="data-table"><caption class="visually-hidden">Versions</caption>');
  });

  it("shows the empty state instead of a table when there are no rows", () => {
    const html = renderToStaticMarkup(
      <DataTable
        label="Teams"
        rows={[]}
        empty={<EmptyState title="No teams found">Try another search.</EmptyState>}
        columns={[{ header: "Team", cell: () => "x" }]}
      />,
    );
    expect(html).toBe('<div class="panel empty-state"><h2>No teams found</h2><p>Try another search.</p></div>');
  });
});
