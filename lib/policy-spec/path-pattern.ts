// The path-pattern language shared by every section that scopes by path:
//   /search            exactly that path
//   /users/*           one segment (never empty, never a slash)
//   /users/{id}        the same, with a name (OpenAPI style, for readability)
//   /admin/**          the path itself and everything below it (last segment only)
// Deliberately small: it must be decidable whether one pattern covers another
// (the merge refuses an application's public path the baseline does not make
// public) and whether two overlap, which arbitrary globs or regexes would not allow.
// Patterns are matched against the proxy's normalised path (decoded, dot
// segments removed, repeated slashes collapsed), never the raw request line.

import { z } from "zod";

/**
 * Path matchers, applied to the normalised request path. exact: equal;
 * prefix: equal or followed by "/" (the value "" matches every path);
 * regex: an anchored JavaScript regular expression. With caseInsensitive the
 * path is lower-cased first (the value is stored lower-cased).
 */
export const pathMatcherSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("exact"), value: z.string(), caseInsensitive: z.boolean() }),
  z.strictObject({ kind: z.literal("prefix"), value: z.string(), caseInsensitive: z.boolean() }),
  z.strictObject({ kind: z.literal("regex"), source: z.string(), caseInsensitive: z.boolean() }),
]);
export type PathMatcher = z.output<typeof pathMatcherSchema>;

export type PathSegment = { kind: "literal"; value: string } | { kind: "param" } | { kind: "rest" };

export type PathPatternParseResult = { ok: true; segments: PathSegment[] } | { ok: false; message: string };

// RFC 3986 pchar without "*" (our wildcard) and "{" "}" (our parameter syntax).
const LITERAL_SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()+,;=:@]|%[0-9A-Fa-f]{2})+$/;
const PARAM_SEGMENT = /^\{[A-Za-z_][A-Za-z0-9_.-]*\}$/;

export function parsePathPattern(text: string): PathPatternParseResult {
  if (!text.startsWith("/")) return { ok: false, message: `path pattern "${text}" must start with "/"` };
  if (text === "/") return { ok: true, segments: [] };
  const parts = text.slice(1).split("/");
  const segments: PathSegment[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const isLast = i === parts.length - 1;
    if (part === "") {
      return {
        ok: false,
        message: isLast
          ? `path pattern "${text}" must not end with "/" (paths are matched after normalisation; use "${text}**" for a subtree)`
          : `path pattern "${text}" contains an empty segment ("//")`,
      };
    }
    if (part === "**") {
      if (!isLast) return { ok: false, message: `path pattern "${text}": "**" is only allowed as the last segment` };
      segments.push({ kind: "rest" });
    } else if (part === "*" || PARAM_SEGMENT.test(part)) {
      segments.push({ kind: "param" });
    } else if (part === "." || part === "..") {
      return { ok: false, message: `path pattern "${text}" contains a dot segment, which normalised paths never have` };
    } else if (!LITERAL_SEGMENT.test(part)) {
      return {
        ok: false,
        message: `path pattern "${text}" has an invalid segment "${part}" (wildcards are whole segments: "*", "{name}" or a final "**")`,
      };
    } else {
      segments.push({ kind: "literal", value: part });
    }
  }
  return { ok: true, segments };
}

function segmentsOf(pattern: string): PathSegment[] {
  const parsed = parsePathPattern(pattern);
  // Callers only pass patterns that passed schema validation; a bad one here is a bug.
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.segments;
}

/** Every path matched by `inner` is matched by `outer` (case-sensitive, the strict reading). */
export function pathPatternCovers(outer: string, inner: string): boolean {
  const o = segmentsOf(outer);
  const n = segmentsOf(inner);
  for (let i = 0; ; i++) {
    const os = o[i];
    const ns = n[i];
    if (os?.kind === "rest") return true;
    if (ns?.kind === "rest") return false;
    if (os === undefined || ns === undefined) return os === ns;
    if (os.kind === "literal" && (ns.kind !== "literal" || ns.value !== os.value)) return false;
  }
}

/** Some path is matched by both patterns (case-insensitive, so overlaps are never missed). */
export function pathPatternsOverlap(a: string, b: string): boolean {
  const x = segmentsOf(a);
  const y = segmentsOf(b);
  for (let i = 0; ; i++) {
    const xs = x[i];
    const ys = y[i];
    if (xs?.kind === "rest" || ys?.kind === "rest") return true;
    if (xs === undefined || ys === undefined) return xs === ys;
    if (xs.kind === "literal" && ys.kind === "literal" && xs.value.toLowerCase() !== ys.value.toLowerCase()) {
      return false;
    }
  }
}

export interface CompilePathOptions {
  /** Restrictions match case-insensitively so `/ADMIN` cannot slip past a block on a case-insensitive upstream. */
  caseInsensitive: boolean;
  /** Also match everything below the pattern (admin blocking: `/admin` covers `/admin/users`). */
  subtree?: boolean;
}

/** Compiles a pattern into the cheapest matcher that expresses it. */
export function compilePathPattern(pattern: string, options: CompilePathOptions): PathMatcher {
  const segments = [...segmentsOf(pattern)];
  if (options.subtree && segments[segments.length - 1]?.kind !== "rest") segments.push({ kind: "rest" });
  const fold = (value: string) => (options.caseInsensitive ? value.toLowerCase() : value);
  const last = segments[segments.length - 1];
  const body = last?.kind === "rest" ? segments.slice(0, -1) : segments;
  if (body.every((segment) => segment.kind === "literal")) {
    const value = fold(body.map((segment) => `/${(segment as { value: string }).value}`).join(""));
    return last?.kind === "rest"
      ? { kind: "prefix", value, caseInsensitive: options.caseInsensitive }
      : { kind: "exact", value: value === "" ? "/" : value, caseInsensitive: options.caseInsensitive };
  }
  const source = segments
    .map((segment) => {
      if (segment.kind === "literal") return `/${escapeRegex(fold(segment.value))}`;
      if (segment.kind === "param") return "/[^/]+";
      return "(?:/.*)?";
    })
    .join("");
  return { kind: "regex", source: `^${source}$`, caseInsensitive: options.caseInsensitive };
}

/** Reference semantics of a compiled matcher; the proxy must agree with this function. */
export function matchesPath(matcher: PathMatcher, path: string): boolean {
  const subject = matcher.caseInsensitive ? path.toLowerCase() : path;
  if (matcher.kind === "exact") return subject === matcher.value;
  if (matcher.kind === "prefix") return subject === matcher.value || subject.startsWith(`${matcher.value}/`);
  return new RegExp(matcher.source).test(subject);
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
