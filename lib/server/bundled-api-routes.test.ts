// The image runs the portal compiled (scripts/build-server.mjs, no sources, no TypeScript
// loader): the API front must find every route module inside the bundle, and they must load
// in plain Node.js, where `server-only` would throw if it were left to node_modules.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildServer } from "../../scripts/build-server.mjs";
import { findRouteFiles, ROUTE_METHODS } from "./api-route-table";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the compiled portal's API routes", () => {
  it("are every route module with its methods, loaded by plain node from the bundle", async () => {
    // Two levels below the root, like dist/server/, so "../.." paths in the sources hold.
    const outdir = path.join(ROOT, "dist", `test-routes-${process.pid}`);
    try {
      // Node 20 (the development machines) lacks APIs client-node's undici loads; the image runs Node 22.
      await buildServer(outdir, { "routes.mjs": "lib/server/bundled-api-routes.ts", "node-compat.mjs": "lib/policy-spec/node20-compat.ts" });
      const script = `const { bundledApiRoutes } = await import(${JSON.stringify(path.join(outdir, "routes.mjs"))});
        console.log(JSON.stringify(bundledApiRoutes.map((r) => [r.urlPath, Object.keys(r.module).filter((k) => typeof r.module[k] === "function").sort()])));`;
      const run = spawnSync(process.execPath, ["--import", path.join(outdir, "node-compat.mjs"), "--input-type=module", "-e", script], {
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, DATABASE_URL: "postgresql://unused@127.0.0.1:1/unused" },
      });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const bundled = new Map(JSON.parse(run.stdout) as [string, string[]][]);
      const files = findRouteFiles(path.join(ROOT, "app", "api"));
      expect([...bundled.keys()].sort()).toEqual(files.map((f) => f.urlPath).sort());
      for (const { urlPath, file } of files) {
        const mod = (await import(file)) as Record<string, unknown>;
        const methods = ROUTE_METHODS.filter((m) => typeof mod[m] === "function");
        expect(methods.length, urlPath).toBeGreaterThan(0);
        expect(
          bundled.get(urlPath)!.filter((name) => (ROUTE_METHODS as readonly string[]).includes(name)),
          urlPath,
        ).toEqual([...methods].sort());
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
