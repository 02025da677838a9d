import { describe, expect, it } from "vitest";
import { lineDiff } from "./line-diff";

const kinds = (before: string, after: string) => lineDiff(before, after)!.map((row) => row.kind);

describe("lineDiff", () => {
  it("pairs equal lines and keeps both sides' line numbers", () => {
    expect(lineDiff("a\nb\n", "a\nb\n")).toEqual([
      { kind: "same", left: { number: 1, text: "a" }, right: { number: 1, text: "a" } },
      { kind: "same", left: { number: 2, text: "b" }, right: { number: 2, text: "b" } },
    ]);
  });

  it("shows a replaced line as changed, side by side", () => {
    expect(lineDiff("level: strict\nmode: block\n", "level: standard\nmode: block\n")).toEqual([
      { kind: "changed", left: { number: 1, text: "level: strict" }, right: { number: 1, text: "level: standard" } },
      { kind: "same", left: { number: 2, text: "mode: block" }, right: { number: 2, text: "mode: block" } },
    ]);
  });

  it("shows insertions and removals against nothing", () => {
    expect(kinds("a\nc\n", "a\nb\nc\n")).toEqual(["same", "added", "same"]);
    expect(kinds("a\nb\nc\n", "a\nc\n")).toEqual(["same", "removed", "same"]);
    expect(kinds("", "a\n")).toEqual(["added"]);
  });

  it("diffs long texts with few changes, and gives up when too many lines differ to show side by side", () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join("\n");
    expect(kinds(big, `${big}\nmore`).filter((kind) => kind !== "same")).toEqual(["added"]);
    const left = Array.from({ length: 600 }, (_, i) => `left ${i}`).join("\n");
    const right = Array.from({ length: 600 }, (_, i) => `right ${i}`).join("\n");
    expect(lineDiff(left, right)).toBeNull(); // 1,200 differing lines, more than MAX_LINE_DIFF_EDITS
  });
});
