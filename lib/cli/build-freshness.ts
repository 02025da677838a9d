// Whether .next holds a production build newer than every source `next build` compiles.
// `npm start` rebuilds when it does not; bench:portal uses the same rule, so a benchmark
// never measures a build older than the code it reports on.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

// Everything `next build` compiles; a change to any of them makes the build stale.
export const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "next.config.ts",
  "proxy.ts",
  "instrumentation.ts",
  "instrumentation-client.ts",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
];

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** builtAt: when .next/BUILD_ID was written (0: no build); fresh: newer than every input. */
export function buildFreshness(root: string): { builtAt: number; fresh: boolean } {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const sourcesAt = Math.max(...BUILD_INPUTS.map((input) => newestMtime(path.join(root, input))));
  return { builtAt, fresh: builtAt > sourcesAt };
}
