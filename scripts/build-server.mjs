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
import { findRouteFiles } from "../lib/server/find-route-files.mjs";

export const SERVER_ENTRIES = {
  "serve.mjs": "lib/cli/serve.ts",
  "db-migrate.mjs": "lib/cli/db-migrate.ts",
  "proxy.mjs": "proxy/cli.ts",
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// The API front (lib/server/api-front.ts) serves the route modules without Next.js. The image
// has no sources to import them from, so lib/server/bundled-api-routes.ts becomes a static
// import of each, bundled with the server. `server-only` marks modules kept out of browser
// bundles; on the server it is empty (Next resolves it so under "react-server"), and left
// external it would be imported at the top of the bundle and throw.
const serverModules = {
  name: "rampart-server-modules",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "rampart-empty" }));
    b.onLoad({ filter: /.*/, namespace: "rampart-empty" }, () => ({ contents: "", loader: "js" }));
    const bundled = path.join(root, "lib", "server", "bundled-api-routes.ts");
    b.onLoad({ filter: /[\\/]lib[\\/]server[\\/]bundled-api-routes\.ts$/ }, (args) => {
      if (path.resolve(args.path) !== bundled) return undefined;
      const routes = findRouteFiles(path.join(root, "app", "api"));
      const contents = [
        ...routes.map(({ file }, i) => `import * as route${i} from ${JSON.stringify(file)};`),
        `export const bundledApiRoutes = [${routes.map(({ urlPath }, i) => `{ urlPath: ${JSON.stringify(urlPath)}, module: route${i} }`).join(", ")}];`,
      ].join("\n");
      return { contents, loader: "ts", resolveDir: path.dirname(bundled) };
    });
  },
};

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
        plugins: [serverModules],
      }),
    ),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServer(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
}
