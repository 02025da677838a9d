import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toJsonValue, toWire } from "./to-wire";

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value) ?? "null");

class Row {
  inherited?: string;
  constructor(public id: string) {}
}
Object.defineProperty(Row.prototype, "enumerableOnPrototype", { value: 1, enumerable: true });

describe("toJsonValue", () => {
  it("gives what the JSON round trip gives", () => {
    const hidden = { shown: 1 };
    Object.defineProperty(hidden, "hidden", { value: 2, enumerable: false });
    const cases: unknown[] = [
      null,
      "text",
      0,
      -0,
      1.5,
      true,
      [],
      {},
      { at: new Date("2026-12-08T01:02:03.456Z"), nested: { dates: [new Date(0), null] } },
      { dropped: undefined, fn: () => 1, sym: Symbol("s"), kept: null },
      [undefined, () => 1, Symbol("s"), 1],
      { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, list: [Number.NEGATIVE_INFINITY] },
      { custom: { toJSON: () => ({ as: "json", at: new Date(1) }) } },
      { buffer: Buffer.from("hi") },
      { bytes: new Uint8Array([1, 2]) },
      { map: new Map([["a", 1]]), set: new Set([1]) },
      { boxed: [new String("s"), new Number(2), new Boolean(false)] },
      new Row("r1"),
      hidden,
      { [Symbol("key")]: 1, plain: 2 },
      { deep: { deeper: { deepest: [{ at: new Date(2), undef: undefined }] } } },
    ];
    for (const value of cases) expect(toJsonValue(value)).toEqual(roundTrip(value));
    // toEqual ignores undefined members; the round trip drops them, and so must this.
    expect(Object.keys(toJsonValue({ a: undefined, b: 1 }) as object)).toEqual(["b"]);
    expect(Object.keys(toJsonValue(new Row("x")) as object)).toEqual(Object.keys(roundTrip(new Row("x"))));
  });

  it("throws where the round trip throws", () => {
    expect(() => toJsonValue({ big: 1n })).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => toJsonValue(cycle)).toThrow();
  });
});

describe("toWire", () => {
  it("keeps only what the schema names, with Dates as ISO strings", () => {
    const schema = z.object({ id: z.string(), at: z.iso.datetime() });
    expect(toWire(schema, { id: "a", at: new Date("2026-01-02T03:04:05.000Z"), passwordHash: "secret" })).toEqual({ id: "a", at: "2026-01-02T03:04:05.000Z" });
  });
});
