import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";

describe("canonicalJson", () => {
  it("sorts keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
  });

  it("serialises objects built in different key orders identically", () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: "s" } })).toBe(canonicalJson({ y: { q: "s", p: true }, x: 1 }));
  });

  it("drops undefined members, as JSON does", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it("refuses values with no single JSON form", () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ a: new Date(0) })).toThrow(/plain object/);
    expect(() => canonicalJson({ a: 1n })).toThrow(/unsupported/);
  });
});
