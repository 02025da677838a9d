import { describe, expect, it } from "vitest";
import { buildBundle, requestContext } from "../../test-support/bundle-fixtures.js";
import { newAdminBlocking } from "./new-admin-blocking.js";

describe("admin-interface blocking", () => {
  const middleware = newAdminBlocking(buildBundle().adminBlocking)!;
  it.each([
    ["/admin", 403],
    ["/admin/users", 403],
    ["/ADMIN", 403],
    ["/Admin/", 403],
    ["//admin", 403],
    ["/x/../admin", 403],
    ["/%61dmin", 403],
    ["/admin;jsessionid=1", 403],
    ["/.git/config", 403],
    ["/.env", 403],
    ["/actuator/health", 403],
    ["/wp-admin/install.php", 403],
    ["/administrator/index.php", 403],
    ["/adminx", null],
    ["/api/admin", null],
    ["/public", null],
  ])("%s → %s", (url, status) => {
    const verdict = middleware.onRequest!(requestContext({ url }));
    if (status === null) expect(verdict).toBeNull();
    else expect(verdict).toMatchObject({ action: "blocked", status, family: "admin", ruleId: "admin-path", part: "path", name: "" });
  });

  it("is absent when the policy disables it", () => {
    expect(newAdminBlocking(buildBundle({ adminBlocking: { enabled: false } }).adminBlocking)).toBeNull();
  });
});
