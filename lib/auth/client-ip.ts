import { isIP } from "node:net";

/**
 * The client's IP address. With TRUSTED_PROXY_HOPS = n, the address n entries from
 * the right of X-Forwarded-For is the client (each trusted proxy appends its peer);
 * anything further left is client-controlled and ignored. `next start` itself adds
 * the TCP peer as the last X-Forwarded-For entry, so hops=0 means "that peer".
 */
export function clientIp(headers: Headers, trustedHops: number): string | null {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const candidate = forwarded[forwarded.length - 1 - trustedHops];
  if (!candidate) return null;
  const ip = candidate.startsWith("::ffff:") ? candidate.slice(7) : candidate;
  return isIP(ip) ? ip : null;
}
