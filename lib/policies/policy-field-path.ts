// Policy errors name fields by JSON path (`$.denyRules.sqli.level`, `$.allow[0].path`);
// API field errors name them from the request root, dot-separated like every other
// field error (`body.content.denyRules.sqli.level`, `body.content.allow.0.path`).
// Both directions live here so the API and the editor agree.

/** The segments of a JSON path written by lib/policy-spec's formatJsonPath. */
export function jsonPathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const pattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  let match: RegExpExecArray | null;
  let index = path.startsWith("$") ? 1 : 0;
  pattern.lastIndex = index;
  while ((match = pattern.exec(path)) !== null && match.index === index) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]!) as string);
    index = pattern.lastIndex;
  }
  return segments;
}

/** `$.denyRules.sqli.level` under `body.content` → `body.content.denyRules.sqli.level`. */
export function fieldPathOf(root: string, jsonPath: string): string {
  return [root, ...jsonPathSegments(jsonPath).map(String)].filter(Boolean).join(".");
}

/** The document path of an API field error under `root`, or null when it is elsewhere. */
export function documentPathOf(root: string, fieldPath: string): string[] | null {
  if (fieldPath === root) return [];
  if (!fieldPath.startsWith(`${root}.`)) return null;
  return fieldPath.slice(root.length + 1).split(".");
}
