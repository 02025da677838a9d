import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection for CLI commands (migrate deploy) from here;
// the runtime connects through @prisma/adapter-pg in lib/db/client.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
});
