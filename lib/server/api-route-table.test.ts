import path from "node:path";
import { describe, expect, it } from "vitest";
import "@/lib/api/operations";
import { registeredOperations } from "@/lib/api/operation";
import { ApiRouteTable, findRouteFiles } from "./api-route-table";

const APP_API = path.resolve(import.meta.dirname, "../../app/api");

const table = new ApiRouteTable([
  { urlPath: "/api/v1/policies", file: "policies" },
  { urlPath: "/api/v1/policies/[id]", file: "policy" },
  { urlPath: "/api/v1/policies/export", file: "export" },
  { urlPath: "/api/v1/policies/[id]/versions/[versionId]", file: "version" },
  { urlPath: "/api/v1/policies/drafts/mine", file: "mine" },
]);

describe("ApiRouteTable.match", () => {
  it("finds literal routes and parameter routes with their values", () => {
    expect(table.match("/api/v1/policies")).toEqual({ file: "policies", params: {} });
    expect(table.match("/api/v1/policies/abc")).toEqual({ file: "policy", params: { id: "abc" } });
    expect(table.match("/api/v1/policies/abc/versions/v1")).toEqual({ file: "version", params: { id: "abc", versionId: "v1" } });
  });

  it("prefers a literal segment to a parameter, and falls back to the parameter when the literal leads nowhere", () => {
    expect(table.match("/api/v1/policies/export")).toEqual({ file: "export", params: {} });
    // `drafts` is a literal with no route of its own: as a parameter it is the policy route.
    expect(table.match("/api/v1/policies/drafts")).toEqual({ file: "policy", params: { id: "drafts" } });
    expect(table.match("/api/v1/policies/drafts/mine")).toEqual({ file: "mine", params: {} });
  });

  it("leaves to Next.js every path it might normalise, redirect or decode", () => {
    for (const pathname of [
      "/api/v1/policies/", // trailing slash: Next redirects
      "/api/v1//policies", // repeated slash: Next redirects
      "/api/v1/policies/./abc",
      "/api/v1/policies/../policies",
      "/api/v1/policies/%65xport", // would be `export` once decoded
      "/api/v1/policies/a%2Fb",
      "/api/v1/policies\\abc", // Next turns backslashes into slashes
      "/api/v1/polic ies",
      "api/v1/policies",
      "",
      "/api/v1/nothing-here",
      "/api/v1/policies/abc/versions",
    ]) {
      expect(table.match(pathname), pathname).toBeNull();
    }
  });

  it("refuses segments Next interprets in ways it does not serve", () => {
    expect(() => new ApiRouteTable([{ urlPath: "/api/[...rest]", file: "x" }])).toThrow(/\[\.\.\.rest\]/);
    expect(() => new ApiRouteTable([{ urlPath: "/api/(group)/x", file: "x" }])).toThrow();
  });
});

describe("the portal's own route files", () => {
  const files = findRouteFiles(APP_API);
  const portal = new ApiRouteTable(files);

  it("include one for every API operation, at the operation's path", () => {
    for (const op of registeredOperations()) {
      const sample = `/api/v1${op.path.replace(/\{(\w+)\}/g, (_, name: string) => `sample-${name}`)}`;
      const match = portal.match(sample);
      expect(match, `${op.id} ${op.path}`).not.toBeNull();
      expect(path.relative(APP_API, match!.file)).toBe(path.join("v1", op.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts"));
      for (const [name, value] of Object.entries(match!.params)) expect(value).toBe(`sample-${name}`);
    }
  });

  it("are found under app/api with the health checks", () => {
    expect(files.map((f) => f.urlPath)).toEqual(expect.arrayContaining(["/api/health", "/api/health/live", "/api/v1/me"]));
  });
});
