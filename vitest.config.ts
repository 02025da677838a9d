// Three test tiers (ARCHITECTURE.md › Tests): unit beside the code, integration on real
// PostgreSQL with a database per file, e2e against a built portal in a browser.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // The real package throws outside a React Server Components build.
      { find: /^server-only$/, replacement: path.join(root, "tests/helpers/server-only-stub.ts") },
    ],
  },
  test: {
    // The e2e teardown stops a portal and drops databases.
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          include: ["lib/**/*.test.ts", "components/**/*.test.{ts,tsx}", "proxy/**/*.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          environment: "node",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/helpers/test-database-global-setup.ts"],
          // Runs before each file is imported: gives the file its own migrated database.
          setupFiles: ["tests/helpers/test-database-per-file.ts"],
          fileParallelism: true,
          // vitest's default is one worker less than the CPUs: one on CI's two cores, so the files
          // ran one after another. They wait on PostgreSQL and sockets much of the time, each has
          // its own database and ephemeral ports: two at once fill the cores.
          maxWorkers: 2,
          // Sign-ins hash at N=2^10 instead of OWASP's 2^17 (128 MiB and ~0.5 s each on a
          // shared core, thousands of times): what these files test is not the hash's cost.
          // lib/auth/password.test.ts (unit) and the browser tests keep the real parameters.
          env: { RAMPART_TEST_SCRYPT_N: "1024" },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          environment: "node",
          include: ["tests/e2e/**/*.test.ts"],
          // Order matters: the e2e setup asks the database setup for its database.
          globalSetup: ["tests/helpers/test-database-global-setup.ts", "tests/e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // A page reacts within a second on an idle machine; CI shares two cores with the
          // portal, PostgreSQL, the browser and proxies, so polls wait longer before failing.
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
    ],
  },
});
