import { describe, expect, it } from "vitest";
import { z } from "zod";
import { structuralSchemaViolations } from "./check-structural-schema";
import { toStructuralSchema } from "./to-structural-schema";

const convert = (schema: z.ZodType) => toStructuralSchema(z.toJSONSchema(schema, { io: "output" }) as Record<string, unknown>);

describe("toStructuralSchema", () => {
  it("turns null unions into nullable and drops additionalProperties: false", () => {
    expect(convert(z.strictObject({ name: z.string().nullable() }))).toEqual({
      type: "object",
      properties: { name: { type: "string", nullable: true } },
      required: ["name"],
    });
  });

  it("writes const as a one-value enum and keeps patterns and bounds", () => {
    expect(convert(z.strictObject({ kind: z.literal("x"), hash: z.string().regex(/^a+$/), size: z.int().min(1).max(9) }))).toEqual({
      type: "object",
      properties: {
        kind: { type: "string", enum: ["x"] },
        hash: { type: "string", pattern: "^a+$" },
        size: { type: "integer", minimum: 1, maximum: 9 },
      },
      required: ["kind", "hash", "size"],
    });
  });

  it("turns a tuple into a fixed-length array of its element type", () => {
    expect(convert(z.tuple([z.string(), z.string()]))).toEqual({ type: "array", minItems: 2, maxItems: 2, items: { type: "string" } });
  });

  it("merges a discriminated union into one object and restates each variant in oneOf", () => {
    const schema = convert(
      z.discriminatedUnion("kind", [
        z.strictObject({ kind: z.literal("exact"), value: z.string() }),
        z.strictObject({ kind: z.literal("regex"), source: z.string() }),
      ]),
    );
    expect(schema).toEqual({
      type: "object",
      properties: { kind: { type: "string", enum: ["exact", "regex"] }, value: { type: "string" }, source: { type: "string" } },
      required: ["kind"],
      oneOf: [
        { properties: { kind: { enum: ["exact"] } }, required: ["kind", "value"] },
        { properties: { kind: { enum: ["regex"] } }, required: ["kind", "source"] },
      ],
    });
    expect(structuralSchemaViolations(schema)).toEqual([]);
  });

  it("keeps unknown values with x-kubernetes-preserve-unknown-fields", () => {
    expect(convert(z.record(z.string(), z.unknown()).nullable())).toEqual({
      type: "object",
      nullable: true,
      "x-kubernetes-preserve-unknown-fields": true,
    });
    expect(convert(z.record(z.string(), z.string()))).toEqual({ type: "object", additionalProperties: { type: "string" } });
  });

  it("inlines $ref and refuses what Kubernetes cannot express", () => {
    expect(toStructuralSchema({ $defs: { a: { type: "string" } }, type: "object", properties: { x: { $ref: "#/$defs/a" } } })).toEqual({
      type: "object",
      properties: { x: { type: "string" } },
    });
    expect(() => toStructuralSchema({ type: "object", properties: { x: { not: { type: "string" } } } })).toThrow(/unsupported keyword "not"/);
    expect(() => toStructuralSchema({ anyOf: [{ type: "string" }, { type: "boolean" }] })).toThrow(/union of string and boolean/);
  });
});

describe("structuralSchemaViolations", () => {
  it("names each rule a schema breaks", () => {
    expect(
      structuralSchemaViolations({
        type: "object",
        properties: { a: {}, b: { type: "object", properties: {}, additionalProperties: { type: "string" } }, c: { type: "array" } },
        anyOf: [{ type: "object", properties: { d: { enum: [1] } } }],
      }),
    ).toEqual([
      "#/properties/a: no type",
      "#/properties/b: properties and additionalProperties together",
      "#/properties/c: array without items",
      "#/anyOf/0: type inside a junctor",
      "#/anyOf/0/properties/d: not declared in the outer schema",
    ]);
  });
});
