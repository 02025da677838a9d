import { describe, expect, it } from "vitest";
import { escapePointerToken, localRefKeys, resolveLocalRef, unescapePointerToken } from "./json-pointer";

describe("JSON pointers and local references", () => {
  it("escapes and unescapes a token in RFC 6901's order", () => {
    expect(escapePointerToken("a/b~c")).toBe("a~1b~0c");
    expect(unescapePointerToken("a~1b~0c")).toBe("a/b~c");
    expect(unescapePointerToken("~01")).toBe("~1");
  });

  it("reads a local reference's keys, percent-decoded", () => {
    expect(localRefKeys("#/components/schemas/A~1B")).toEqual(["components", "schemas", "A/B"]);
    expect(localRefKeys("#/components/schemas/caf%C3%A9")).toEqual(["components", "schemas", "café"]);
    expect(localRefKeys("other.yaml#/A")).toBeUndefined();
    expect(localRefKeys("#/components/%E0%A4")).toBeUndefined();
  });

  it("resolves own keys only, and nothing for a malformed or missing one", () => {
    const document = { components: { schemas: { "A/B": { type: "string" } } } };
    expect(resolveLocalRef(document, "#/components/schemas/A~1B")).toEqual({ type: "string" });
    expect(resolveLocalRef(document, "#/components/schemas/Missing")).toBeUndefined();
    expect(resolveLocalRef(document, "#/__proto__")).toBeUndefined();
    expect(resolveLocalRef(document, "#/components/%E0%A4")).toBeUndefined();
  });
});
