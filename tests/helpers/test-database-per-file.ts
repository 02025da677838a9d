// Setup file of the integration project: each test file gets a database of its own,
// cloned from the run's migrated template. DATABASE_URL is set here, before the test
// file is imported, so lib/db/client.ts connects to it.
import { afterAll } from "vitest";
import { testDeliveryKeys } from "./delivery-keys";
import { createIsolatedDatabase } from "./test-database";

const database = await createIsolatedDatabase();
process.env.DATABASE_URL = database.url;
// Signing and encryption keys of the file's own (lib/delivery); a file may delete them.
Object.assign(process.env, testDeliveryKeys());

afterAll(async () => {
  // lib/db/client.ts parks its client on globalThis; a later file in the same worker
  // must not inherit a client of a dropped database.
  const shared = globalThis as { rampartDb?: { $disconnect(): Promise<void> } };
  await shared.rampartDb?.$disconnect().catch(() => {});
  delete shared.rampartDb;
  await database.drop();
});
