// Which rule rollup rows sum to an hour-aligned window (no "server-only": pure, unit-tested).
//
// A 24-hour window read hour by hour sums 24 × (applications × rules × actions) rows, about
// 120,000 at 5 million events. Day rows hold the same counts (ingestion writes a decision's
// hour and day rows in one statement, so at any snapshot a day row is the sum of its hours),
// so a day the window covers only in part can be read either as its hours inside the
// window, or as its day row minus its hours outside — whichever has fewer hours that can
// hold rows (none past `horizon`: "the last 24 hours" reads yesterday's last hours and
// today's day row, minus nothing). Either way the sum is exact.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type RollupRange = { grain: "hour" | "day"; from: Date; to: Date; sign: 1 | -1 };

/** from and to whole hours; horizon: no row is stored for an hour at or after it. */
export function planRuleRollupWindow(from: Date, to: Date, horizon: Date): RollupRange[] {
  const plan: RollupRange[] = [];
  const [start, end, last] = [from.getTime(), to.getTime(), Math.ceil(horizon.getTime() / HOUR) * HOUR];
  // Hours of [a, b) that can hold rows.
  const filled = (a: number, b: number) => Math.max(0, Math.min(b, last) - a) / HOUR;
  const range = (grain: RollupRange["grain"], a: number, b: number, sign: RollupRange["sign"]) => {
    if (b > a) plan.push({ grain, from: new Date(a), to: new Date(b), sign });
  };
  for (let day = Math.floor(start / DAY) * DAY; day < end; day += DAY) {
    const [a, b] = [Math.max(day, start), Math.min(day + DAY, end)];
    if (a === day && b === day + DAY) range("day", day, day + DAY, 1);
    else if (filled(day, a) + filled(b, day + DAY) < filled(a, b)) {
      range("day", day, day + DAY, 1);
      range("hour", day, a, -1);
      range("hour", b, day + DAY, -1);
    } else range("hour", a, b, 1);
  }
  return plan;
}
