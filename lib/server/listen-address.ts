/**
 * Where lib/cli/serve.ts listens: PORT and HOST, by default 127.0.0.1:3000 (README ›
 * Configuration). Loopback unless told otherwise: the demo accounts share a published
 * password (the image and deploy/ set HOST=0.0.0.0).
 */
export function listenAddress(env: Readonly<Record<string, string | undefined>>): { hostname: string; port: number } {
  return { hostname: env.HOST || "127.0.0.1", port: Number(env.PORT || 3000) };
}
