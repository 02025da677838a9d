// The bundle's path matchers, compiled once into predicates over the
// normalised path (and its lower-cased form, computed once per request).
// Semantics are those of matchesPath in lib/policy-spec; path-matchers.test.ts
// checks the two agree.

import type { PathMatcher } from "@/lib/policy-spec";

export type PathPredicate = (path: string, lower: string) => boolean;

const NEVER: PathPredicate = () => false;

export function compilePathMatcher(matcher: PathMatcher): PathPredicate {
  const ci = matcher.caseInsensitive;
  if (matcher.kind === "exact") {
    const value = matcher.value;
    return ci ? (_p, lower) => lower === value : (path) => path === value;
  }
  if (matcher.kind === "prefix") {
    const value = matcher.value;
    const withSlash = `${value}/`;
    return ci ? (_p, lower) => lower === value || lower.startsWith(withSlash) : (path) => path === value || path.startsWith(withSlash);
  }
  // Bundle regexes are segment patterns (literal, "[^/]+" per segment, an optional "(?:/.*)?" tail):
  // no quantifier can consume a "/", so matching is linear in the path length.
  const re = new RegExp(matcher.source);
  return ci ? (_p, lower) => re.test(lower) : (path) => re.test(path);
}

/** True when any matcher matches; an empty list matches nothing. */
export function compilePathMatchers(matchers: readonly PathMatcher[]): PathPredicate {
  if (matchers.length === 0) return NEVER;
  // The common case (admin blocking, public paths) is a list of literal prefixes/exact paths.
  const literal = matchers.every((m) => m.kind !== "regex");
  if (literal) {
    const exactCs = new Set<string>();
    const exactCi = new Set<string>();
    const prefixCs: string[] = [];
    const prefixCi: string[] = [];
    for (const m of matchers) {
      if (m.kind === "exact") (m.caseInsensitive ? exactCi : exactCs).add(m.value);
      else if (m.kind === "prefix") {
        (m.caseInsensitive ? exactCi : exactCs).add(m.value);
        (m.caseInsensitive ? prefixCi : prefixCs).push(`${m.value}/`);
      }
    }
    return (path, lower) => {
      if (exactCs.size > 0 && exactCs.has(path)) return true;
      if (exactCi.size > 0 && exactCi.has(lower)) return true;
      for (let i = 0; i < prefixCs.length; i++) if (path.startsWith(prefixCs[i]!)) return true;
      for (let i = 0; i < prefixCi.length; i++) if (lower.startsWith(prefixCi[i]!)) return true;
      return false;
    };
  }
  const compiled = matchers.map(compilePathMatcher);
  if (compiled.length === 1) return compiled[0]!;
  return (path, lower) => {
    for (let i = 0; i < compiled.length; i++) if (compiled[i]!(path, lower)) return true;
    return false;
  };
}
