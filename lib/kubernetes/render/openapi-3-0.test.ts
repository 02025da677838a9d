import { describe, expect, it } from "vitest";
import { toOpenApi30 } from "./openapi-3-0";

const doc = (schema: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  openapi: "3.1.0",
  info: { title: "t", version: "1" },
  paths: { "/x": { post: { requestBody: { content: { "application/json": { schema } } }, responses: { "200": { description: "ok" } } } } },
  ...extra,
});
const schemaOf = (result: ReturnType<typeof toOpenApi30>) => (result as any).document.paths["/x"].post.requestBody.content["application/json"].schema;

describe("toOpenApi30", () => {
  it("leaves a 3.0 document alone", () => {
    const document = { ...doc({ type: "string" }), openapi: "3.0.3" };
    expect(toOpenApi30(document)).toEqual({ ok: true, document, converted: false });
  });

  it("converts what 3.1 only spells differently: null types, const, examples, numeric exclusive bounds, $schema", () => {
    const result = toOpenApi30(
      doc(
        {
          $schema: "https://json-schema.org/draft/2020-12/schema",
          type: "object",
          properties: { id: { type: ["string", "null"], const: "a" }, n: { type: "integer", exclusiveMinimum: 0, examples: [5, 6] } },
        },
        { jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base", webhooks: {} },
      ),
    );
    expect(result.ok && result.converted).toBe(true);
    expect((result as any).document.openapi).toBe("3.0.3");
    expect((result as any).document.jsonSchemaDialect).toBeUndefined();
    expect(schemaOf(result)).toEqual({
      type: "object",
      properties: { id: { type: "string", nullable: true, enum: ["a"] }, n: { type: "integer", minimum: 0, exclusiveMinimum: true, example: 5 } },
    });
  });

  it("refuses what 3.0 cannot say, naming each place, rather than hand Airlock a document that blocks everything", () => {
    const result = toOpenApi30(doc({ type: ["string", "integer"], prefixItems: [{ type: "string" }] }, { webhooks: { ping: {} } }));
    expect(result.ok).toBe(false);
    expect((result as any).reasons).toEqual([
      "webhooks: OpenAPI 3.0 has no webhooks",
      "$.paths./x.post.requestBody.content.application/json.schema.type: several types (string, integer) have no OpenAPI 3.0 equivalent",
      '$.paths./x.post.requestBody.content.application/json.schema.prefixItems: "prefixItems" has no OpenAPI 3.0 equivalent',
    ]);
    expect(toOpenApi30({ openapi: "2.0" })).toMatchObject({ ok: false });
  });
});
