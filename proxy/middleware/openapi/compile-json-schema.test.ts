import { describe, expect, it } from "vitest";
import { compileJsonSchema, createSchemaCompiler } from "./compile-json-schema.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../../test-support/growth-ratio.js";

const root = {
  components: {
    schemas: {
      Money: {
        type: "object",
        required: ["amount", "currency"],
        additionalProperties: false,
        properties: { amount: { type: "integer", minimum: 1 }, currency: { type: "string", pattern: "^[A-Z]{3}$" } },
      },
      Tree: { type: "object", properties: { value: { type: "integer" }, children: { type: "array", items: { $ref: "#/components/schemas/Tree" } } } },
    },
  },
};

const valid = (schema: unknown, value: unknown) => compileJsonSchema(schema, { root })(value, "") === null;

describe("JSON Schema on ajv, OpenAPI 3.0 and 3.1 dialects", () => {
  it.each<[string, unknown, unknown, boolean]>([
    ["type string", { type: "string" }, "x", true],
    ["type string refuses numbers", { type: "string" }, 1, false],
    ["integer", { type: "integer" }, 2, true],
    ["integer refuses 2.5", { type: "integer" }, 2.5, false],
    ["type list (3.1)", { type: ["string", "null"] }, null, true],
    ["nullable (3.0)", { type: "string", nullable: true }, null, true],
    ["not nullable", { type: "string" }, null, false],
    ["enum", { enum: ["a", "b"] }, "b", true],
    ["enum refuses", { enum: ["a", "b"] }, "c", false],
    ["const object", { const: { a: 1, b: [2] } }, { b: [2], a: 1 }, true],
    ["minLength counts code points", { type: "string", minLength: 2 }, "😀", false],
    ["maxLength", { type: "string", maxLength: 3 }, "abcd", false],
    ["pattern", { type: "string", pattern: "^pay_[A-Za-z0-9]{16}$" }, "pay_abcdefghijklmnop", true],
    ["pattern refuses", { type: "string", pattern: "^pay_[A-Za-z0-9]{16}$" }, "pay_short", false],
    ["format uuid", { type: "string", format: "uuid" }, "123e4567-e89b-12d3-a456-426614174000", true],
    ["format uuid refuses", { type: "string", format: "uuid" }, "not-a-uuid", false],
    ["format date-time", { type: "string", format: "date-time" }, "2026-02-28T10:00:00Z", true],
    ["format date refuses Feb 30", { type: "string", format: "date" }, "2026-02-30", false],
    ["format email", { type: "string", format: "email" }, "a.b@example.com", true],
    ["format email refuses", { type: "string", format: "email" }, "a@b", false],
    ["unknown formats are annotations", { type: "string", format: "password" }, "x", true],
    ["minimum", { type: "number", minimum: 1 }, 0, false],
    ["exclusiveMinimum 3.0 boolean", { type: "number", minimum: 1, exclusiveMinimum: true }, 1, false],
    ["exclusiveMaximum 3.1 number", { type: "number", exclusiveMaximum: 10 }, 10, false],
    ["multipleOf", { type: "number", multipleOf: 0.01 }, 10.25, true],
    ["items", { type: "array", items: { type: "integer" } }, [1, "2"], false],
    ["minItems", { type: "array", minItems: 2 }, [1], false],
    ["uniqueItems", { type: "array", uniqueItems: true }, [{ a: 1 }, { a: 1 }], false],
    ["prefixItems", { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }] }, ["a", 1, true], true],
    ["contains", { type: "array", contains: { const: 3 } }, [1, 2], false],
    ["required", { $ref: "#/components/schemas/Money" }, { amount: 5 }, false],
    ["additionalProperties false", { $ref: "#/components/schemas/Money" }, { amount: 5, currency: "EUR", x: 1 }, false],
    ["valid $ref object", { $ref: "#/components/schemas/Money" }, { amount: 5, currency: "EUR" }, true],
    ["recursive $ref", { $ref: "#/components/schemas/Tree" }, { value: 1, children: [{ value: 2, children: [{ value: "x" }] }] }, false],
    ["patternProperties", { type: "object", patternProperties: { "^x-": { type: "string" } }, additionalProperties: false }, { "x-a": "1" }, true],
    ["propertyNames", { type: "object", propertyNames: { maxLength: 3 } }, { long_name: 1 }, false],
    ["dependentRequired", { type: "object", dependentRequired: { card: ["cvc"] } }, { card: "4111" }, false],
    ["allOf", { allOf: [{ type: "string" }, { minLength: 2 }] }, "a", false],
    ["anyOf", { anyOf: [{ type: "string" }, { type: "integer" }] }, 1, true],
    ["oneOf exactly one", { oneOf: [{ type: "integer" }, { type: "number" }] }, 1, false],
    ["not", { not: { type: "string" } }, "x", false],
    ["if/then/else", { if: { properties: { kind: { const: "card" } } }, then: { required: ["pan"] } }, { kind: "card" }, false],
    ["boolean schema false", false, 1, false],
  ])("%s", (_name, schema, value, expected) => {
    expect(valid(schema, value)).toBe(expected);
  });

  it("names the failing value by JSON pointer", () => {
    expect(compileJsonSchema({ $ref: "#/components/schemas/Money" }, { root })({ amount: 0, currency: "EUR" }, "")).toBe("/amount: must be >= 1");
  });

  it.each<[string, unknown, unknown, boolean]>([
    ["unevaluatedProperties", { type: "object", properties: { a: {} }, unevaluatedProperties: false }, { a: 1, b: 2 }, false],
    ["dependentSchemas", { type: "object", dependentSchemas: { card: { required: ["cvc"] } } }, { card: "4111" }, false],
    ["x- extensions are annotations", { type: "string", "x-internal": true }, "x", true],
    ["int32", { type: "integer", format: "int32" }, 2 ** 31, false],
  ])("checks draft 2020-12 keywords and OpenAPI formats: %s", (_name, schema, value, expected) => {
    expect(valid(schema, value)).toBe(expected);
  });

  it.each([
    { type: "string", pattern: "(a)\\1" },
    { type: "string", pattern: "(?=a)a" },
    { type: "object", patternProperties: { "(a)\\1": {} } },
    { frobnicate: true },
  ])("refuses what it cannot check in linear time or at all (%j) when the policy loads, rather than half-checking", (schema) => {
    expect(() => compileJsonSchema(schema, { root })).toThrow();
  });

  it("compiles each distinct schema once per document", () => {
    const compile = createSchemaCompiler({ root });
    expect(compile({ type: "string", maxLength: 3 })).toBe(compile({ type: "string", maxLength: 3 }));
  });

  it("keeps patterns that run on the automaton apart (ajv keys them by toString)", () => {
    const compile = createSchemaCompiler({ root: { components: {} } });
    const hex = compile({ type: "string", pattern: "^[0-9a-f]{40}$" });
    const slug = compile({ type: "string", pattern: "^[a-z0-9_]{3,32}$" });
    expect(hex("a".repeat(40), "")).toBeNull();
    expect(slug("ada_lovelace", "")).toBeNull();
    expect(slug("a".repeat(40), "")).not.toBeNull();
  });

  it("evaluates patterns in linear time on 64 KiB strings", () => {
    const validate = compileJsonSchema({ type: "string", pattern: "^(?:[a-z0-9]{1,20}-?)+$" }, { root });
    const ratio = growthRatio((value: string) => validate(value, ""), "a".repeat(65_536) + "!", "a".repeat(16_384) + "!");
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
