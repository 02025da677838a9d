import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { openApiOperations } from "./openapi-operations";

describe("the operations of an OpenAPI document", () => {
  const example = parse(readFileSync(new URL("../../examples/policies/app-payments-api.yaml", import.meta.url), "utf8")) as { openapi: { spec: unknown } };

  it("lists each path × method with its parameters, path-level and referenced ones included", () => {
    const operations = openApiOperations(example.openapi.spec);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual([
      "GET /health",
      "GET /payments",
      "POST /payments",
      "GET /payments/search",
      "GET /payments/{paymentId}",
      "POST /payments/{paymentId}/refunds",
    ]);
    expect(operations.find((o) => o.operationId === "searchPayments")?.parameters).toEqual([{ name: "q", in: "query" }]);
    expect(operations.find((o) => o.operationId === "refundPayment")?.parameters).toEqual([
      { name: "Idempotency-Key", in: "header" },
      { name: "paymentId", in: "path" },
    ]);
  });

  it("reads what it can of a document that is not valid yet", () => {
    expect(openApiOperations(undefined)).toEqual([]);
    expect(openApiOperations({ paths: { "/a": { get: {} }, nope: { get: {} }, "/b": "x" } })).toEqual([
      { path: "/a", method: "GET", operationId: null, summary: null, parameters: [] },
    ]);
  });
});
