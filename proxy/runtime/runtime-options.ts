// Process-level settings the compile step needs beyond the bundle: where the
// operator's files are, and how the proxy treats what the policy does not
// decide. Filled from the command line (config/cli-options.ts).

import type { JwksOptions } from "../middleware/token-verification/jwks-cache.js";

export interface RuntimeOptions {
  /** Body bytes buffered and inspected per request. */
  maxInspectBytes: number;
  tokenCookie: string | null;
  jwks: JwksOptions;
  secretsDir: string | null;
  threatIntelDir: string | null;
  geoDb: string | null;
  upstream: {
    connectTimeoutMs: number;
    /** Time to the upstream's response head. */
    responseTimeoutMs: number;
    maxSocketsPerUpstream: number;
    /** Pooled idle connections are closed after this (below the upstream's own keep-alive timeout avoids reuse races). */
    idleTimeoutMs: number;
  };
}
