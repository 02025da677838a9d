// Administration interfaces that must never face the internet: each listed
// path and everything below it, in any letter case, refused with 403.

import type { PathMatcher } from "@/lib/policy-spec";
import { compilePathMatchers } from "../../match/path-matchers.js";
import { blocked } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";

export function newAdminBlocking(matchers: readonly PathMatcher[]): Middleware | null {
  if (matchers.length === 0) return null;
  const isAdminPath = compilePathMatchers(matchers);
  return {
    name: "admin-blocking",
    onRequest: (ctx) => (isAdminPath(ctx.path, ctx.pathLower) ? blocked(403, "admin", "admin-path", "path", "", ctx.path) : null),
  };
}
