// Rows as column arrays for `INSERT … SELECT … FROM unnest($1::type[], $2::type[], …)`:
// one statement and one parameter per column, however many rows (PostgreSQL's limit of
// 65,535 parameters never applies, and the plan is the same for every batch size). The
// one helper behind the events and the counters of a batch.

export type ColumnSpec<Row> = ReadonlyArray<readonly [name: string, sqlType: string, value: (row: Row) => unknown]>;

/** `unnest($first::t1[], …) AS alias(c1, …)`. Column names and types come from code, never from input. */
export function unnestSql<Row>(alias: string, columns: ColumnSpec<Row>, first: number): string {
  const arrays = columns.map(([, type], c) => `$${first + c}::${type}[]`).join(", ");
  return `unnest(${arrays}) AS ${alias}(${columns.map(([name]) => name).join(", ")})`;
}

/** The parameters of `unnestSql`: one array per column, in the same order. */
export function columnArrays<Row>(columns: ColumnSpec<Row>, rows: readonly Row[]): unknown[][] {
  const arrays = columns.map(() => new Array<unknown>(rows.length));
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let c = 0; c < columns.length; c++) arrays[c]![r] = columns[c]![2](row);
  }
  return arrays;
}
