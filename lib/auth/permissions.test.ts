import { describe, expect, it } from "vitest";
import { canAny, canInTeam, grantsFor, intersectGrants, PERMISSIONS, scopeOf } from "./permissions";
import { ROLES } from "./roles";

describe("the permission table", () => {
  it("names only known roles and scopes", () => {
    for (const [permission, entry] of Object.entries(PERMISSIONS)) {
      for (const [role, scope] of Object.entries(entry)) {
        expect(ROLES, `${permission}: ${role}`).toContain(role);
        expect(["org", "team"], `${permission}: ${role}`).toContain(scope);
      }
    }
  });

  it("refuses an unknown role or permission (fail closed)", () => {
    expect(scopeOf("superuser", "applications:read")).toBeNull();
    expect(scopeOf("admin", "applications:destroy")).toBeNull();
    expect(scopeOf("admin", "toString")).toBeNull();
    expect(scopeOf("__proto__", "applications:read")).toBeNull();
    const grants = grantsFor([{ teamId: "t1", role: "superuser" }]);
    expect(grants.size).toBe(0);
  });

  it("lets auditors read everything and change nothing", () => {
    const grants = grantsFor([{ teamId: "t1", role: "auditor" }]);
    for (const permission of grants.keys()) {
      expect(permission.endsWith(":read") || permission === "tokens:manage-own", permission).toBe(true);
    }
    expect(canInTeam(grants, "applications:read", "another-team")).toBe(true);
  });

  it("scopes team roles to their own teams", () => {
    const grants = grantsFor([{ teamId: "payments", role: "project-lead" }]);
    expect(canInTeam(grants, "applications:update", "payments")).toBe(true);
    expect(canInTeam(grants, "applications:update", "storefront")).toBe(false);
    expect(canAny(grants, "users:manage")).toBe(false);
  });

  it("folds several memberships: org scope wins over team scope", () => {
    const grants = grantsFor([
      { teamId: "payments", role: "developer" },
      { teamId: "security", role: "security-officer" },
    ]);
    expect(canInTeam(grants, "applications:read", "storefront")).toBe(true);
  });
});

describe("intersectGrants (API tokens never exceed their creator)", () => {
  it("narrows an org-wide role to the creator's teams", () => {
    const creator = grantsFor([{ teamId: "payments", role: "project-lead" }]);
    const token = grantsFor([{ teamId: "payments", role: "auditor" }]);
    const effective = intersectGrants(creator, token);
    expect(canInTeam(effective, "applications:read", "payments")).toBe(true);
    expect(canInTeam(effective, "applications:read", "storefront")).toBe(false);
    expect(canAny(effective, "applications:create")).toBe(false);
    expect(canAny(effective, "users:read")).toBe(false);
  });

  it("keeps org scope only where both have it", () => {
    const a = grantsFor([{ teamId: "x", role: "security-officer" }]);
    const b = grantsFor([{ teamId: "x", role: "auditor" }]);
    const effective = intersectGrants(a, b);
    expect(canInTeam(effective, "applications:read", "anything")).toBe(true);
    expect(canAny(effective, "applications:create")).toBe(false);
  });
});
