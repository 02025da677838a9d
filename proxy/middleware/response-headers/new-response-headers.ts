// What the client sees of the upstream's response headers: hop-by-hop headers
// removed (and any named in Connection), headers that reveal the server stack
// removed, the policy's security headers set (replacing the upstream's own),
// and CORS headers from the policy only when the policy has a CORS section.

import type { Bundle } from "@/lib/policy-spec";

/** RFC 9110 §7.6.1 connection-specific headers, plus the legacy ones proxies must not forward. */
export const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "http2-settings",
]);

/** Headers that tell an attacker which server, framework or version runs behind the proxy. */
export const LEAKY = new Set([
  "server",
  "x-powered-by",
  "x-aspnet-version",
  "x-aspnetmvc-version",
  "x-runtime",
  "x-generator",
  "x-drupal-cache",
  "x-drupal-dynamic-cache",
  "x-varnish",
  "x-backend-server",
  "x-server",
  "x-sourcefiles",
  "via",
]);

export interface ResponseHeaders {
  /** Upstream raw headers (name, value, …) → the headers to send, as [name, value] pairs (without Content-Length: the caller frames). */
  filter(raw: readonly string[]): Array<[string, string]>;
  /** The policy's security headers, for responses the proxy writes itself. */
  readonly security: ReadonlyArray<readonly [string, string]>;
}

export function newResponseHeaders(policy: { responseHeaders: Bundle["responseHeaders"]; cors: Bundle["cors"] }): ResponseHeaders {
  const security = policy.responseHeaders.map(([name, value]) => [name.toLowerCase(), value] as const);
  const replaced = new Set(security.map(([name]) => name));
  const stripCors = policy.cors !== null;
  return {
    security,
    filter(raw) {
      let named: Set<string> | null = null;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        if (raw[i]!.length === 10 && raw[i]!.toLowerCase() === "connection") {
          for (const token of raw[i + 1]!.split(",")) (named ??= new Set()).add(token.trim().toLowerCase());
        }
      }
      const out: Array<[string, string]> = [];
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const lower = raw[i]!.toLowerCase();
        // Framing is the proxy's own: it re-frames the body it relays.
        if (HOP_BY_HOP.has(lower) || LEAKY.has(lower) || replaced.has(lower) || lower === "content-length") continue;
        if (named !== null && named.has(lower)) continue;
        if (stripCors && lower.startsWith("access-control-")) continue;
        out.push([lower, raw[i + 1]!]);
      }
      for (const [name, value] of security) out.push([name, value]);
      return out;
    },
  };
}
