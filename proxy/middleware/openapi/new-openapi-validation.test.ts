import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { APP_POLICY } from "../../test-support/start-test-proxy.js";
import { buildBundle, requestContext, type RequestInit } from "../../test-support/bundle-fixtures.js";
import { newOpenApiValidation } from "./new-openapi-validation.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../../test-support/growth-ratio.js";

const app = parse(readFileSync(APP_POLICY, "utf8")) as Record<string, unknown>;
const bundle = buildBundle({}, { openapi: app.openapi }, new Date("2026-06-01T00:00:00Z"));
const KEY = "123e4567-e89b-12d3-a456-426614174000";

function run(init: RequestInit, mode: "block" | "log-only" = "block") {
  const middleware = newOpenApiValidation({ ...bundle.openapi!, mode });
  const ctx = requestContext(init);
  const verdict = (middleware.onRequest!(ctx) ?? middleware.onBody!(ctx)) as { status: number; ruleId: string } | null;
  return { verdict, ctx };
}

describe("OpenAPI validation (the example payments API)", () => {
  const json = { "content-type": "application/json", "idempotency-key": KEY };
  it.each<[string, RequestInit, number | null, string | null]>([
    ["a listed GET", { url: "/payments?limit=10" }, null, null],
    ["HEAD follows GET", { method: "HEAD", url: "/health" }, null, null],
    ["a path the spec does not have", { url: "/refunds" }, 404, "openapi.unknown-path"],
    ["a method the path does not have", { method: "DELETE", url: "/payments" }, 405, "openapi.method-not-allowed"],
    ["an undeclared query parameter", { url: "/payments?limit=10&debug=1" }, 400, "openapi.unknown-parameter"],
    ["a query parameter of the wrong type", { url: "/payments?limit=ten" }, 400, "openapi.parameter-invalid"],
    ["a query parameter out of range", { url: "/payments?limit=1000" }, 400, "openapi.parameter-invalid"],
    ["a required query parameter missing", { url: "/payments/search" }, 400, "openapi.parameter-missing"],
    ["a path parameter that breaks its pattern", { url: "/payments/12345" }, 400, "openapi.parameter-invalid"],
    ["a valid path parameter", { url: "/payments/pay_abcdefghijklmnop" }, null, null],
    ["a valid body", { method: "POST", url: "/payments", headers: json, body: '{"amount":100,"currency":"EUR","source":"card_1"}' }, null, null],
    [
      "a required header missing",
      { method: "POST", url: "/payments", headers: { "content-type": "application/json" }, body: '{"amount":100,"currency":"EUR","source":"x"}' },
      400,
      "openapi.parameter-missing",
    ],
    [
      "a header of the wrong format",
      { method: "POST", url: "/payments", headers: { ...json, "idempotency-key": "x" }, body: '{"amount":100,"currency":"EUR","source":"x"}' },
      400,
      "openapi.parameter-invalid",
    ],
    [
      "an unknown property",
      { method: "POST", url: "/payments", headers: json, body: '{"amount":100,"currency":"EUR","source":"x","admin":true}' },
      400,
      "openapi.body-schema",
    ],
    [
      "a property of the wrong type",
      { method: "POST", url: "/payments", headers: json, body: '{"amount":"100","currency":"EUR","source":"x"}' },
      400,
      "openapi.body-schema",
    ],
    ["invalid JSON", { method: "POST", url: "/payments", headers: json, body: '{"amount":' }, 400, "openapi.body-syntax"],
    [
      "an unsupported media type",
      { method: "POST", url: "/payments", headers: { ...json, "content-type": "text/xml" }, body: "<a/>" },
      415,
      "openapi.media-type",
    ],
    ["a required body missing", { method: "POST", url: "/payments", headers: json }, 400, "openapi.body-missing"],
    [
      "a body where the operation takes none",
      { method: "GET", url: "/payments", headers: { "content-type": "application/json" }, body: "{}" },
      400,
      "openapi.unexpected-body",
    ],
  ])("%s", (_name, init, status, ruleId) => {
    const { verdict } = run(init);
    expect(verdict?.status ?? null).toBe(status);
    expect(verdict?.ruleId ?? null).toBe(ruleId);
  });

  it("in log-only mode logs the finding and lets the request pass", () => {
    const { verdict, ctx } = run({ url: "/payments?limit=ten" }, "log-only");
    expect(verdict).toBeNull();
    expect(ctx.logged).toMatchObject([{ ruleId: "openapi.parameter-invalid", action: "logged" }]);
  });

  it("compiles a 512-operation spec in time linear in its operations", () => {
    const bundleOf = (resources: number) => {
      const paths: Record<string, unknown> = {};
      for (let i = 0; i < resources; i++) {
        paths[`/resource${i}/{id}`] = {
          get: {
            parameters: [
              { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9]{1,32}$" } },
              { name: "expand", in: "query", schema: { type: "array", items: { type: "string", enum: ["a", "b"] } } },
            ],
          },
          put: { requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } } },
        };
      }
      const spec = {
        openapi: "3.1.0",
        info: { title: "big", version: "1" },
        paths,
        components: {
          schemas: {
            Thing: {
              type: "object",
              required: ["name"],
              properties: { name: { type: "string", maxLength: 100 }, tags: { type: "array", items: { type: "string" } } },
            },
          },
        },
      };
      return buildBundle({}, { openapi: { validation: "block", spec } });
    };
    const big = bundleOf(256);
    const middleware = newOpenApiValidation(big.openapi!);
    expect(big.openapi!.operations).toHaveLength(512);
    // Compiling four quarter-size specs against the whole: a per-operation cost that grew with the spec would show.
    const ratio = growthRatio((bundle: typeof big) => newOpenApiValidation(bundle.openapi!), big, bundleOf(64), 3);
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
    const ctx = requestContext({ url: "/resource249/abc?expand=a&expand=b" });
    expect(middleware.onRequest!(ctx)).toBeNull();
  }, 60_000);

  it("reads parameters in the style and explode the spec declares", () => {
    const spec = {
      openapi: "3.1.0",
      info: { title: "styles", version: "1" },
      paths: {
        "/items/{ids}": {
          get: {
            parameters: [
              { name: "ids", in: "path", required: true, style: "label", explode: false, schema: { type: "array", items: { type: "integer" } } },
              {
                name: "tags",
                in: "query",
                style: "pipeDelimited",
                explode: false,
                schema: { type: "array", items: { type: "string", enum: ["red", "blue"] } },
              },
              {
                name: "filter",
                in: "query",
                style: "deepObject",
                explode: true,
                schema: { type: "object", properties: { min: { type: "integer" } }, additionalProperties: false },
              },
            ],
          },
        },
      },
    };
    const styled = buildBundle({}, { openapi: { validation: "block", spec } });
    expect(styled.openapi!.operations[0]!.parameters.map((p) => [p.name, p.style, p.explode])).toEqual([
      ["ids", "label", false],
      ["filter", "deepObject", true],
      ["tags", "pipeDelimited", false],
    ]);
    const middleware = newOpenApiValidation(styled.openapi!);
    const statusOf = (url: string) => (middleware.onRequest!(requestContext({ url })) as { status: number } | null)?.status ?? null;
    expect(statusOf("/items/.1,2,3?tags=red|blue&filter[min]=4")).toBeNull();
    expect(statusOf("/items/.1,x")).toBe(400); // label array of integers
    expect(statusOf("/items/.1?tags=red|green")).toBe(400); // pipe-delimited enum
    expect(statusOf("/items/.1?filter[min]=low")).toBe(400); // deepObject property type
  });
});
