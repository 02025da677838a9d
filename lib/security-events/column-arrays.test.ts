import { describe, expect, it } from "vitest";
import { columnArrays, unnestSql, type ColumnSpec } from "./column-arrays";

type Row = { at: string; name: string | null; n: number };
const COLUMNS: ColumnSpec<Row> = [
  ["at", "timestamptz", (r) => r.at],
  ["name", "text", (r) => r.name],
  ["n", "int", (r) => r.n],
];

describe("column arrays for unnest", () => {
  it("numbers one typed array parameter per column from the given position", () => {
    expect(unnestSql("r", COLUMNS, 8)).toBe("unnest($8::timestamptz[], $9::text[], $10::int[]) AS r(at, name, n)");
  });

  it("turns rows into one array per column, in column order, keeping nulls", () => {
    const rows: Row[] = [
      { at: "2026-12-08T10:00:00Z", name: "a", n: 1 },
      { at: "2026-12-08T10:01:00Z", name: null, n: 2 },
    ];
    expect(columnArrays(COLUMNS, rows)).toEqual([
      ["2026-12-08T10:00:00Z", "2026-12-08T10:01:00Z"],
      ["a", null],
      [1, 2],
    ]);
    expect(columnArrays(COLUMNS, [])).toEqual([[], [], []]);
  });
});
