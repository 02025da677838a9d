import { describe, expect, it } from "vitest";
import { buildBundle, requestContext } from "../../test-support/bundle-fixtures.js";
import { newMethodRoute } from "./new-method-route.js";

describe("method and route allow rules", () => {
  const plain = buildBundle({ methods: { allowed: ["GET", "HEAD", "POST"] } });
  const routed = buildBundle(
    {},
    {
      allow: [
        { path: "/api/items", methods: ["GET", "POST"] },
        { path: "/api/items/{id}", methods: ["GET", "DELETE"] },
        { path: "/static/**", methods: ["GET"] },
      ],
    },
  );

  it.each([
    [plain, "GET", "/anything", null],
    [plain, "POST", "/x", null],
    [plain, "DELETE", "/x", 405],
    [plain, "PROPFIND", "/x", 405],
    [routed, "GET", "/api/items", null],
    [routed, "POST", "/api/items", null],
    [routed, "PUT", "/api/items", 405],
    [routed, "DELETE", "/api/items/42", null],
    [routed, "GET", "/static/css/site.css", null],
    [routed, "GET", "/api/other", 404],
    [routed, "GET", "/API/items", 404],
  ])("%#: %s %s → %s", (bundle, method, url, status) => {
    const verdict = newMethodRoute({ methods: bundle.methods, routes: bundle.routes }).onRequest!(requestContext({ method, url }));
    expect(verdict === null ? null : (verdict as { status: number }).status).toBe(status);
  });

  it("a 405 names the allowed methods", () => {
    const verdict = newMethodRoute({ methods: routed.methods, routes: routed.routes }).onRequest!(requestContext({ method: "PUT", url: "/api/items/1" }));
    expect(verdict).toMatchObject({ status: 405, headers: [["allow", "GET, DELETE"]] });
  });
});
