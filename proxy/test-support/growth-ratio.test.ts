import { describe, expect, it } from "vitest";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "./growth-ratio.js";

// The ReDoS guard is only as good as its measure: it must tell linear from quadratic work.
describe("growthRatio", () => {
  const whole = "a".repeat(16 * 1024);
  const quarter = whole.slice(0, whole.length / 4);

  it("stays below the limit for linear work", () => {
    const linear = (s: string) => {
      let h = 0;
      for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
      return h;
    };
    expect(growthRatio(linear, whole, quarter)).toBeLessThan(LINEAR_GROWTH_LIMIT);
  }, 60_000);

  it("exceeds it for quadratic work (catastrophic backtracking)", () => {
    // A backtracking regex that fails at every start position: O(n²) on a run of "a".
    const quadratic = (s: string) => /a+b/.test(s);
    const short = whole.slice(0, 4096);
    expect(growthRatio(quadratic, short, short.slice(0, 1024))).toBeGreaterThan(LINEAR_GROWTH_LIMIT);
  }, 60_000);
});
