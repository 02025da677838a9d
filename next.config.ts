import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, EVERY_RESPONSE_HEADERS } from "./lib/server/response-security-headers";

const nextConfig: NextConfig = {
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  typedRoutes: false,
  // proxy/ is a separate runtime with its own tsconfig; Next must not type-check it.
  typescript: { tsconfigPath: "tsconfig.json" },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: Object.entries(EVERY_RESPONSE_HEADERS).map(([key, value]) => ({ key, value })),
      },
      {
        // Pages get a policy with a per-request nonce from proxy.ts instead. The API front
        // (lib/server/api-front.ts) sets the same headers on what it answers itself.
        source: "/api/:path*",
        headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }],
      },
    ];
  },
};

export default nextConfig;
