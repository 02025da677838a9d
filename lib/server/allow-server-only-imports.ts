// `server-only` marks modules that must never reach a browser bundle: it resolves to an
// empty module under React's "react-server" condition (how Next.js builds server code) and
// to one that throws everywhere else. The API front (./api-front.ts) imports the route
// handlers outside Next's build, in plain Node.js, where that condition is not set; this
// resolve hook sets it for that one package, and for nothing else (React itself must keep
// resolving as it does for Next.js in the same process).
import { register } from "node:module";

const HOOK = `export async function resolve(specifier, context, next) {
  return specifier === "server-only" ? next(specifier, { ...context, conditions: [...context.conditions, "react-server"] }) : next(specifier, context);
}`;

let registered = false;

export function allowServerOnlyImports(): void {
  if (registered) return;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`);
}
