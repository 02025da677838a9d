import { describe, expect, it } from "vitest";
import { compilePathPattern, matchesPath, parsePathPattern, pathPatternCovers, pathPatternsOverlap } from "./path-pattern";

describe("parsePathPattern", () => {
  it.each(["/", "/search", "/users/*", "/users/{id}/orders", "/admin/**", "/**", "/.well-known/**", "/a%20b"])("accepts %s", (pattern) => {
    expect(parsePathPattern(pattern).ok).toBe(true);
  });

  it.each([
    ["search", /must start with/],
    ["/admin/", /must not end with/],
    ["/a//b", /empty segment/],
    ["/**/x", /only allowed as the last segment/],
    ["/files/*.php", /invalid segment/],
    ["/a/../b", /dot segment/],
  ])("refuses %s", (pattern, message) => {
    const parsed = parsePathPattern(pattern);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe("pattern relations", () => {
  it.each([
    ["/**", "/anything/below", true],
    ["/docs/**", "/docs/*/index", true],
    ["/docs/**", "/docs", true],
    ["/users/*", "/users/{id}", true],
    ["/users/*", "/users/42", true],
    ["/users/42", "/users/*", false],
    ["/docs/*", "/docs/**", false],
    ["/health", "/Health", false],
  ])("%s covers %s: %s", (outer, inner, expected) => {
    expect(pathPatternCovers(outer, inner)).toBe(expected);
  });

  it.each([
    ["/api/**", "/**", true],
    ["/api/*", "/api/users", true],
    ["/ADMIN/**", "/admin", true],
    ["/api/users", "/api/orders", false],
    ["/a/*", "/a/b/c", false],
  ])("%s overlaps %s: %s", (a, b, expected) => {
    expect(pathPatternsOverlap(a, b)).toBe(expected);
  });
});

describe("compiled matchers", () => {
  it("uses the cheapest matcher kind", () => {
    expect(compilePathPattern("/search", { caseInsensitive: false })).toEqual({ kind: "exact", value: "/search", caseInsensitive: false });
    expect(compilePathPattern("/admin", { caseInsensitive: true, subtree: true })).toEqual({ kind: "prefix", value: "/admin", caseInsensitive: true });
    expect(compilePathPattern("/users/{id}", { caseInsensitive: false }).kind).toBe("regex");
  });

  it.each([
    ["/admin", { caseInsensitive: true, subtree: true }, ["/admin", "/admin/users", "/ADMIN/x"], ["/administrator", "/", "/x/admin"]],
    ["/users/{id}", { caseInsensitive: false }, ["/users/42"], ["/users", "/users/42/orders", "/Users/42"]],
    ["/files/**", { caseInsensitive: false }, ["/files", "/files/a/b"], ["/filesystem"]],
    ["/**", { caseInsensitive: false }, ["/", "/anything"], []],
    ["/", { caseInsensitive: false }, ["/"], ["/x"]],
    ["/v1/*/items/**", { caseInsensitive: true }, ["/v1/a/items", "/V1/b/ITEMS/c"], ["/v1/items"]],
  ])("%s matches what it says and nothing else", (pattern, options, matching, notMatching) => {
    const matcher = compilePathPattern(pattern, options);
    for (const path of matching) expect(matchesPath(matcher, path), path).toBe(true);
    for (const path of notMatching) expect(matchesPath(matcher, path), path).toBe(false);
  });
});
