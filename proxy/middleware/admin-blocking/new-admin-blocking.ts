// Administration interfaces that must never face the internet: each listed
// path and everything below it, in any letter case, refused with 403 — also
// in the spellings backends route to the same handler: a suffix extension
// (Spring's suffix patterns and Rails formats serve /admin.json as /admin),
// trailing blanks, dots and control characters (IIS and Windows strip them,
// "/admin%20"), and full-width or other compatibility letters that Unicode
// normalisation folds to ASCII ("/ａｄｍｉｎ").

import type { PathMatcher } from "@/lib/policy-spec";
import { compilePathMatchers } from "../../match/path-matchers.js";
import { blocked } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";

export function newAdminBlocking(matchers: readonly PathMatcher[]): Middleware | null {
  if (matchers.length === 0) return null;
  const isAdminPath = compilePathMatchers(matchers);
  return {
    name: "admin-blocking",
    onRequest: (ctx) => {
      if (isAdminPath(ctx.path, ctx.pathLower)) return blocked(403, "admin", "admin-path", "path", "", ctx.path);
      const variant = backendVariant(ctx.path);
      if (variant !== null && isAdminPath(variant, variant.toLowerCase())) return blocked(403, "admin", "admin-path", "path", "", ctx.path);
      return null;
    },
  };
}

/** The path as a lenient backend may route it, or null when that is the path itself (the common case: one scan, no allocation). */
export function backendVariant(path: string): string | null {
  let lenient = false;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 46 || c <= 32 || c >= 127) {
      lenient = true;
      break;
    }
  }
  if (!lenient) return null;
  const folded = path.normalize("NFKC");
  const segments = folded.split("/").map((segment) => {
    let s = segment.replace(/[\s\u0000-\u001f\u007f.]+$/u, "");
    const dot = s.indexOf(".", 1);
    if (dot > 0) s = s.slice(0, dot);
    return s;
  });
  const variant = segments.join("/").replace(/\/+/g, "/");
  const result = variant.length > 1 && variant.endsWith("/") ? variant.slice(0, -1) : variant || "/";
  return result === path ? null : result;
}
