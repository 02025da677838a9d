// Every route.ts under app/api with its URL path, by Next's folder convention (a folder per
// path segment, `[name]` a parameter). Plain JavaScript because two runtimes read it: the API
// front's table from the sources (./api-route-table.ts) and the image's build
// (scripts/build-server.mjs), which runs under plain node before anything is compiled.
import { readdirSync } from "node:fs";
import path from "node:path";

/** @param {string} apiDir …/app/api  @returns {{ urlPath: string, file: string }[]} sorted by path */
export function findRouteFiles(apiDir) {
  const found = [];
  const walk = (dir, urlPath) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${urlPath}/${entry.name}`);
      else if (entry.name === "route.ts") found.push({ urlPath, file: path.join(dir, entry.name) });
    }
  };
  walk(apiDir, "/api");
  return found;
}
