import { describe, expect, it } from "vitest";
import { lineDiff } from "@/lib/policies/line-diff";
import { foldUnchanged } from "./review-diff";

describe("the folded diff", () => {
  const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");
  const after = before.replace("line 15", "line fifteen");

  it("shows each change with three lines of context and folds the unchanged stretches around it", () => {
    const segments = foldUnchanged(lineDiff(before, after)!);
    expect(segments.map((s) => [s.kind, s.rows.length])).toEqual([
      ["fold", 11],
      ["rows", 7],
      ["fold", 12],
    ]);
    expect(segments[1]!.rows[3]).toMatchObject({ kind: "changed", right: { number: 15, text: "line fifteen" } });
  });

  it("does not fold a stretch of one or two lines, nor anything when all lines changed", () => {
    const short = foldUnchanged(lineDiff("a\nb\nc\nd\ne\nf\ng\nh\ni", "a\nb\nc\nd\nE\nf\ng\nh\ni")!);
    expect(short.map((s) => s.kind)).toEqual(["rows"]);
    expect(foldUnchanged(lineDiff("a", "b")!).map((s) => s.kind)).toEqual(["rows"]);
  });
});
