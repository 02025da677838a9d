// What the portal's node:http front does to each request before Next.js handles it:
// forwarded headers made trustworthy (lib/server/forwarded-headers.ts), then HSTS on every
// response to a request that arrived over https.
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { normaliseForwardedHeaders } from "./forwarded-headers";

export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

export function portalFront(handle: (req: IncomingMessage, res: ServerResponse) => unknown, trustedHops: number): RequestListener {
  return (req, res) => {
    normaliseForwardedHeaders(req, trustedHops);
    // Normalised, X-Forwarded-Proto is this socket's scheme, or a trusted proxy's word when
    // TRUSTED_PROXY_HOPS is set: the same rule as X-Forwarded-Host. (Compared as Next does.)
    if (req.headers["x-forwarded-proto"] === "https") res.setHeader("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
    void handle(req, res);
  };
}
