import { describe, expect, it } from "vitest";
import { PathTemplateIndex } from "./path-template.js";
import { growthRatio, LINEAR_GROWTH_LIMIT } from "../../test-support/growth-ratio.js";

describe("OpenAPI path templates", () => {
  const index = new PathTemplateIndex<string>();
  for (const t of [
    "/payments",
    "/payments/search",
    "/payments/{paymentId}",
    "/payments/{paymentId}/refunds",
    "/files/{name}.{ext}",
    "/v{version}/status",
    "/reports/{id}.json",
  ])
    index.add(t, t);

  it.each([
    ["/payments", "/payments", {}],
    ["/payments/search", "/payments/search", {}],
    ["/payments/pay_1", "/payments/{paymentId}", { paymentId: "pay_1" }],
    ["/payments/pay_1/refunds", "/payments/{paymentId}/refunds", { paymentId: "pay_1" }],
    ["/files/report.tar.gz", "/files/{name}.{ext}", { name: "report", ext: "tar.gz" }],
    ["/v2/status", "/v{version}/status", { version: "2" }],
    ["/reports/7.json", "/reports/{id}.json", { id: "7" }],
  ])("%s → %s", (path, template, params) => {
    expect(index.match(path)).toEqual({ value: template, template, params });
  });

  it.each(["/", "/payment", "/payments/a/b", "/files/noext", "/files/.x", "/v/status"])("%s matches nothing", (path) => {
    expect(index.match(path)).toBeNull();
  });

  it("refuses two templates that are the same path", () => {
    const i = new PathTemplateIndex<number>();
    i.add("/a/{x}", 1);
    expect(() => i.add("/a/{y}", 2)).toThrow(/same path/);
  });

  it("matches a 64 KiB segment in linear time", () => {
    const pathOf = (count: number) => `/files/${"a.".repeat(count)}`;
    const ratio = growthRatio((path: string) => index.match(path), pathOf(32_768), pathOf(8192));
    expect(ratio).toBeLessThan(LINEAR_GROWTH_LIMIT);
  });
});
