import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./is-database-unavailable";

describe("isDatabaseUnavailable", () => {
  it.each([
    [{ code: "ECONNREFUSED" }, true],
    [{ code: "P1001" }, true],
    [new Error("Connection terminated unexpectedly"), true],
    [new Error("outer", { cause: { code: "57P01" } }), true],
    [{ kind: "DatabaseNotReachable" }, true],
    [{ code: "P2002" }, false],
    [new Error("syntax error at or near SELECT"), false],
    [null, false],
  ])("%o → %s", (error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
