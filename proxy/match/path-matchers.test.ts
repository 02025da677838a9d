import { describe, expect, it } from "vitest";
import { matchesPath, type PathMatcher } from "@/lib/policy-spec";
import { compilePathPattern } from "@/lib/policy-spec/path-pattern";
import { compilePathMatcher, compilePathMatchers } from "./path-matchers.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../test-support/growth-ratio.js";

const PATTERNS = ["/", "/admin", "/admin/**", "/api/*/items", "/api/{id}", "/payments/{id}/refunds/**", "/a/b/c", "/**", "/Health"];
const PATHS = [
  "/",
  "/admin",
  "/ADMIN",
  "/admin/x",
  "/adminx",
  "/api/1/items",
  "/api/1/items/2",
  "/api/x",
  "/api",
  "/payments/p1/refunds",
  "/payments/p1/refunds/r/2",
  "/a/b/c",
  "/a/b",
  "/health",
  "/Health",
  "/x/y/z",
];

describe("compiled path matchers agree with lib/policy-spec matchesPath", () => {
  const matchers: PathMatcher[] = [];
  for (const pattern of PATTERNS) {
    for (const caseInsensitive of [false, true]) {
      matchers.push(compilePathPattern(pattern, { caseInsensitive }));
      matchers.push(compilePathPattern(pattern, { caseInsensitive, subtree: true }));
    }
  }
  it.each(matchers.map((m) => [JSON.stringify(m), m] as const))("%s", (_label, matcher) => {
    const compiled = compilePathMatcher(matcher);
    const list = compilePathMatchers([matcher]);
    for (const path of PATHS) {
      expect(compiled(path, path.toLowerCase()), path).toBe(matchesPath(matcher, path));
      expect(list(path, path.toLowerCase()), path).toBe(matchesPath(matcher, path));
    }
  });

  it("a list matches when any member matches, and an empty list matches nothing", () => {
    const list = compilePathMatchers([compilePathPattern("/a", { caseInsensitive: false }), compilePathPattern("/b/**", { caseInsensitive: true })]);
    expect(list("/a", "/a")).toBe(true);
    expect(list("/B/x", "/b/x")).toBe(true);
    expect(list("/c", "/c")).toBe(false);
    expect(compilePathMatchers([])("/", "/")).toBe(false);
  });

  it("segment regexes stay linear on a 64 KiB path", () => {
    const matcher = compilePathMatcher(compilePathPattern("/api/{a}/{b}/x/**", { caseInsensitive: true }));
    const pathOf = (length: number) => "/api/" + "a".repeat(length);
    const ratio = growthRatio((path: string) => matcher(path, path), pathOf(65_536), pathOf(16_384));
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
