import { describe, expect, it } from "vitest";
import { BoundedMemo } from "./bounded-memo";

describe("BoundedMemo", () => {
  it("creates once per key and forgets the least recently set entries beyond its limit", () => {
    const memo = new BoundedMemo<number>(2);
    let created = 0;
    const make = () => ++created;
    expect(memo.getOrCreate("a", make)).toBe(1);
    expect(memo.getOrCreate("a", make)).toBe(1);
    memo.getOrCreate("b", make);
    memo.getOrCreate("c", make);
    expect(memo.get("a")).toBeUndefined();
    expect(memo.get("b")).toBe(2);
    memo.delete("b");
    expect(memo.getOrCreate("b", make)).toBe(4);
  });
});
