import { describe, expect, it } from "vitest";
import { documentPathOf, fieldPathOf, jsonPathSegments } from "./policy-field-path";

describe("policy field paths", () => {
  it("reads the JSON paths lib/policy-spec writes, including quoted names and indices", () => {
    expect(jsonPathSegments("$")).toEqual([]);
    expect(jsonPathSegments("$.denyRules.sqli.level")).toEqual(["denyRules", "sqli", "level"]);
    expect(jsonPathSegments("$.allow[0].methods[2]")).toEqual(["allow", 0, "methods", 2]);
    expect(jsonPathSegments('$.securityHeaders.custom["X-Team"]')).toEqual(["securityHeaders", "custom", "X-Team"]);
  });

  it("turns them into API field paths under a root, and back", () => {
    expect(fieldPathOf("body.content", "$.denyRules.sqli.level")).toBe("body.content.denyRules.sqli.level");
    expect(fieldPathOf("body.content", "$")).toBe("body.content");
    expect(fieldPathOf("body.content", "$.allow[0].path")).toBe("body.content.allow.0.path");
    expect(documentPathOf("body.content", "body.content.allow.0.path")).toEqual(["allow", "0", "path"]);
    expect(documentPathOf("body.content", "body.content")).toEqual([]);
    expect(documentPathOf("body.content", "body.note")).toBeNull();
  });
});
