// Global setup of the integration and e2e projects: a reachable PostgreSQL (embedded if
// need be) and one migrated template database for the whole run; see test-database.ts.
import type { TestProject } from "vitest/node";
import { prepareTestDatabases } from "./test-database";

export default async function setup(project: TestProject) {
  const { context, teardown } = await prepareTestDatabases((line) => process.stdout.write(`[test-db] ${line}\n`));
  project.provide("rampartTestDatabase", context);
  return teardown;
}
