import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it("keeps paths of this origin, with their query and fragment", () => {
    expect(safeNext("/audit?outcome=denied")).toBe("/audit?outcome=denied");
    expect(safeNext("/policies/1#history")).toBe("/policies/1#history");
  });

  it.each([
    "//evil.example/steal",
    "/\t/evil.example",
    "/\n/x",
    "/\r\n/x",
    "/\\evil.example",
    "/.//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "/sign-in?next=/x",
    "/api/v1/me",
    "",
  ])("sends %j home", (next) => {
    expect(safeNext(next)).toBe("/");
  });
});
