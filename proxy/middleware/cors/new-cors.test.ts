import { describe, expect, it } from "vitest";
import { buildBundle, requestContext } from "../../test-support/bundle-fixtures.js";
import { newCors, PREFLIGHT_ANSWER } from "./new-cors.js";

const cors = newCors(
  buildBundle(
    {},
    {
      cors: {
        allowOrigins: ["https://shop.example.com"],
        allowMethods: ["GET", "POST"],
        allowHeaders: ["Authorization", "Content-Type"],
        exposeHeaders: ["X-Trace"],
      },
    },
  ).cors!,
);
const preflight = (headers: Record<string, string>) =>
  cors.preflight.onRequest!(requestContext({ method: "OPTIONS", url: "/payments", headers })) as {
    status: number;
    ruleId: string;
    headers?: Array<[string, string]>;
  } | null;

describe("CORS", () => {
  it.each<[string, Record<string, string>, number | null, string | null]>([
    [
      "an allowed preflight is answered",
      { origin: "https://shop.example.com", "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
      204,
      PREFLIGHT_ANSWER,
    ],
    ["another origin is refused", { origin: "https://evil.example", "access-control-request-method": "POST" }, 403, "cors.origin"],
    ["a method not allowed is refused", { origin: "https://shop.example.com", "access-control-request-method": "DELETE" }, 403, "cors.method"],
    [
      "a header not allowed is refused",
      { origin: "https://shop.example.com", "access-control-request-method": "GET", "access-control-request-headers": "x-admin" },
      403,
      "cors.header",
    ],
    ["a plain OPTIONS request passes on", {}, null, null],
  ])("%s", (_name, headers, status, ruleId) => {
    const verdict = preflight(headers);
    expect(verdict?.status ?? null).toBe(status);
    expect(verdict?.ruleId ?? null).toBe(ruleId);
  });

  it("adds the allowed origin (never a reflected one) to actual responses", () => {
    expect(cors.responseHeaders(requestContext({ headers: { origin: "https://shop.example.com" } }))).toEqual([
      ["access-control-allow-origin", "https://shop.example.com"],
      ["vary", "Origin"],
      ["access-control-expose-headers", "x-trace"],
    ]);
    expect(cors.responseHeaders(requestContext({ headers: { origin: "https://evil.example" } }))).toEqual([]);
  });
});
