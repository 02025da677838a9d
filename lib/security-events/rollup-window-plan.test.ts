import { describe, expect, it } from "vitest";
import { planRuleRollupWindow, type RollupRange } from "./rollup-window-plan";

const t = (iso: string) => new Date(`2026-12-${iso}:00:00.000Z`);
const show = (plan: RollupRange[]) =>
  plan.map((r) => `${r.sign > 0 ? "+" : "-"}${r.grain} ${r.from.toISOString().slice(8, 13)}..${r.to.toISOString().slice(8, 13)}`);

/** Which hours a plan counts, and how often: every hour of the window exactly once, none outside. */
function hourWeights(plan: RollupRange[]): Map<number, number> {
  const weights = new Map<number, number>();
  for (const r of plan) for (let h = r.from.getTime(); h < r.to.getTime(); h += 3_600_000) weights.set(h, (weights.get(h) ?? 0) + r.sign);
  for (const [h, w] of weights) if (w === 0) weights.delete(h);
  return weights;
}

describe("planRuleRollupWindow", () => {
  it("reads the last 24 hours as yesterday's last hours and today's day row", () => {
    const plan = planRuleRollupWindow(t("06T22"), t("07T23"), new Date("2026-12-07T22:50:00Z"));
    expect(show(plan)).toEqual(["+hour 06T22..07T00", "+day 07T00..08T00", "-hour 07T23..08T00"]);
  });

  it("reads whole days as day rows, and a past window by the cheaper side of each partial day", () => {
    const now = new Date("2026-12-20T00:00:00Z");
    expect(show(planRuleRollupWindow(t("03T00"), t("05T00"), now))).toEqual(["+day 03T00..04T00", "+day 04T00..05T00"]);
    expect(show(planRuleRollupWindow(t("03T02"), t("03T22"), now))).toEqual(["+day 03T00..04T00", "-hour 03T00..03T02", "-hour 03T22..04T00"]);
    expect(show(planRuleRollupWindow(t("03T10"), t("03T13"), now))).toEqual(["+hour 03T10..03T13"]);
  });

  it("counts every hour of any window exactly once", () => {
    const now = new Date("2026-12-10T13:20:00Z");
    for (const [from, to] of [
      ["01T05", "09T17"],
      ["09T00", "10T14"],
      ["10T01", "10T23"],
      ["02T23", "03T01"],
    ]) {
      const weights = hourWeights(planRuleRollupWindow(t(from!), t(to!), now));
      const expected = new Map<number, number>();
      for (let h = t(from!).getTime(); h < t(to!).getTime(); h += 3_600_000) expected.set(h, 1);
      expect(weights).toEqual(expected);
    }
  });
});
