# The one image for the portal and the proxy (deploy/ runs both from it with
# different commands). Build from the repository root:
#   docker build -t registry.example.com/rampart/rampart:0.1.0 .
# It runs as uid/gid 1000 (the base image's "node" user) on a read-only root
# filesystem: every file is owned by root and only readable by the process;
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
  && rm -rf .next/cache

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    HOST=0.0.0.0 \
    PORT=3000 \
    HOME=/tmp \
    npm_config_cache=/tmp/.npm \
    npm_config_update_notifier=false
WORKDIR /app
# devDependencies stay: Next.js reads next.config.ts and tsconfig.json at start, and tsx runs the TypeScript entry points.
COPY --from=build /app /app
USER 1000:1000
EXPOSE 3000 8080 9901
# Portal by default; deploy/proxy/*.yaml run `node --import tsx proxy/cli.ts …` instead.
CMD ["node", "--import", "tsx", "lib/cli/serve.ts"]
