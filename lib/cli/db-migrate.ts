// `npm run db:migrate`: apply pending migrations to DATABASE_URL and exit.
import { describeConnectionError, redactDatabaseUrl } from "@/lib/db/describe-connection-error";
import { MigrationError, migrateDatabase } from "@/lib/db/migrate";

function fail(message: string): never {
  process.stderr.write(`db:migrate: ${message}\n`);
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) fail("DATABASE_URL is not set (e.g. DATABASE_URL=postgresql://user@host:5432/rampart npm run db:migrate)");
if (!/^postgres(ql)?:\/\//.test(databaseUrl)) fail("DATABASE_URL must be a postgresql:// URL");

try {
  const started = performance.now();
  const result = await migrateDatabase({ databaseUrl, log: (message) => process.stdout.write(`db:migrate: ${message}\n`) });
  const took = Math.round(performance.now() - started);
  process.stdout.write(`db:migrate: ${result.applied.length} migration(s) applied (${result.engine} runner) in ${took} ms\n`);
} catch (error) {
  if (error instanceof MigrationError) fail(error.message);
  fail(`cannot migrate ${redactDatabaseUrl(databaseUrl)}: ${describeConnectionError(error)}`);
}
