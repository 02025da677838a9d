// Compiles the server entry points to JavaScript for the image (Dockerfile): the
// portal's server, the migration command and the proxy, each bundled with esbuild
// from its TypeScript (the "@/…" paths resolved from tsconfig.json), packages left to
// node_modules. The image then runs plain `node dist/server/<name>.mjs`: no TypeScript
// loader at run time, and no devDependencies. dist/server/ is two levels below the
// repository root, like every source that finds the root from its own location
// (lib/cli/serve.ts, lib/db/migrate.ts, proxy/server/run-proxy.ts: "../.."), so
// those paths hold in the bundles too.
//   node scripts/build-server.mjs [outdir]     (default: dist/server)
import { build } from "esbuild";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SERVER_ENTRIES = {
  "serve.mjs": "lib/cli/serve.ts",
  "db-migrate.mjs": "lib/cli/db-migrate.ts",
  "proxy.mjs": "proxy/cli.ts",
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const SERVER_OUTDIR = "dist/server";

export async function buildServer(outdir = path.join(root, SERVER_OUTDIR), entries = SERVER_ENTRIES) {
  await Promise.all(
    Object.entries(entries).map(([output, source]) =>
      build({
        entryPoints: [path.join(root, source)],
        outfile: path.join(outdir, output),
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        packages: "external",
        tsconfig: path.join(root, "tsconfig.json"),
        banner: { js: "// Built by scripts/build-server.mjs from the TypeScript sources; do not edit." },
        logLevel: "warning",
      }),
    ),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServer(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
}
