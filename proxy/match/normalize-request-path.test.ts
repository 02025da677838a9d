import { describe, expect, it } from "vitest";
import { normalizeRequestPath, percentDecode } from "./normalize-request-path.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../test-support/growth-ratio.js";

describe("normalizeRequestPath", () => {
  it.each([
    ["/", "/"],
    ["/api/items", "/api/items"],
    ["/api/items/", "/api/items"],
    ["//admin", "/admin"],
    ["/a//b///c", "/a/b/c"],
    ["/./admin", "/admin"],
    ["/x/../admin", "/admin"],
    ["/../../admin", "/admin"],
    ["/x/%2e%2e/admin", "/admin"],
    ["/x/.%2E/admin", "/admin"],
    ["/%61dmin", "/admin"],
    ["/\\admin", "/admin"],
    ["/x\\..\\admin", "/admin"],
    ["/admin;jsessionid=1/users", "/admin/users"],
    ["/files/a%2Fb", "/files/a/b"],
    ["/caf%C3%A9", "/café"],
    ["/%2561dmin", "/%61dmin"],
    ["/a/.", "/a"],
    ["/a/..", "/"],
  ])("%s → %s", (raw, expected) => {
    expect(normalizeRequestPath(raw)).toBe(expected);
  });

  it.each([["/admin/..%2Fhealth"], ["/health/..%2fadmin"], ["/x/%2e%2e%5cadmin"], ["/a/..%5c..%5cb"]])(
    "refuses %s: an encoded slash that would form a dot segment upstream",
    (raw) => {
      expect(normalizeRequestPath(raw)).toBeNull();
    },
  );

  it("keeps an encoded slash inside its segment, so it cannot climb out of a blocked prefix", () => {
    expect(normalizeRequestPath("/admin/x%2Fy")).toBe("/admin/x/y");
  });

  it("returns already normal paths without copying", () => {
    const raw = "/api/v1/items/42";
    expect(normalizeRequestPath(raw)).toBe(raw);
  });

  it("percent-decodes latin1 request bytes as bytes and leaves malformed escapes", () => {
    expect(percentDecode("%zz%4")).toBe("%zz%4");
    expect(percentDecode("a%00b")).toBe("a\u0000b");
  });

  it("takes linear time on a 64 KiB adversarial path", () => {
    for (const [unit, count] of [
      ["./", 32_768],
      ["%2e%2e/", 9000],
      ["a;", 32_768],
      ["\\", 65_536],
    ] as const) {
      const ratio = growthRatio((raw: string) => normalizeRequestPath(raw), "/" + unit.repeat(count), "/" + unit.repeat(count / 4));
      expect(ratio, unit).toBeLessThan(LINEAR_GROWTH_LIMIT);
    }
  });
});
