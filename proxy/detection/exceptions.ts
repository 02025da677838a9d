// Compiled deny-rule exceptions: which (family | rule) × part × name
// combinations are exempt, optionally only for some paths and methods.
import type { DetectionException, Family, Part } from "./types.js";

export interface CompiledException {
  family: Family | undefined;
  ruleId: string | undefined;
  part: Part;
  /** Lower-cased for headers (case-insensitive), exact otherwise. */
  name: string | undefined;
  matchesPath: (path: string) => boolean;
  methods: ReadonlySet<string> | undefined;
}

/** "/api/" or "/api" → prefix on a segment boundary; "*" = one segment's characters, "**" = anything. */
export function compilePathCondition(pattern: string): (path: string) => boolean {
  if (pattern.indexOf("*") < 0) {
    const base = pattern.endsWith("/") ? pattern : `${pattern}/`;
    return (path) => path === pattern || path.startsWith(base);
  }
  let re = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else re += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  const compiled = new RegExp(`${re}$`);
  return (path) => compiled.test(path);
}

export function compileException(e: DetectionException): CompiledException {
  return {
    family: e.family,
    ruleId: e.ruleId,
    part: e.part,
    name: e.name === undefined ? undefined : e.part === "header" ? e.name.toLowerCase() : e.name,
    matchesPath: e.path === undefined ? () => true : compilePathCondition(e.path),
    methods: e.methods === undefined ? undefined : new Set(e.methods),
  };
}

export function exceptionCovers(e: CompiledException, family: Family, ruleId: string, part: Part, name: string): boolean {
  if (e.part !== part) return false;
  if (e.family !== undefined && e.family !== family) return false;
  if (e.ruleId !== undefined && e.ruleId !== ruleId) return false;
  if (e.name !== undefined && e.name !== (part === "header" ? name.toLowerCase() : name)) return false;
  return true;
}
