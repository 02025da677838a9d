// The API's route modules when the portal runs as compiled JavaScript (the image:
// scripts/build-server.mjs bundles lib/cli/serve.ts, and replaces this file's contents with a
// static import of every app/api/**/route.ts, because the image carries neither the sources
// nor a TypeScript loader). Run from the sources (npm start, tsx), it is null and the API
// front imports the route files it finds itself (lib/server/api-route-table.ts).
import type { RouteModule } from "./api-route-table";

export const bundledApiRoutes: readonly { urlPath: string; module: RouteModule }[] | null = null;
