// The client address: the connection's peer, unless the peer is a configured
// trusted proxy, in which case X-Forwarded-For (or, without it, Forwarded) is
// walked from the right past every trusted hop; the first untrusted address is
// the client. Headers from untrusted peers are never believed.

import { parseCidr, parseIpAddress, toIpRangeSet } from "@/lib/policy-spec";
import { compileRangeSet, rangeSetHas } from "../../match/ip-range-set.js";
import { stripAddressDecoration } from "../../match/strip-address-decoration.js";

export interface ClientIpResolver {
  /** The client address for a request from `peer`. */
  resolve(peer: string, headers: NodeJS.Dict<string | string[]>): string;
  /** Whether forwarding headers from this peer are believed (and extended rather than replaced). */
  isTrusted(peer: string): boolean;
}

/** ":ffff:192.0.2.1" and "192.0.2.1" name the same client: log and match the plain form. */
export function canonicalPeer(peer: string): string {
  return peer.startsWith("::ffff:") && peer.indexOf(".") > 0 ? peer.slice(7) : peer;
}

export function newClientIpResolver(trustedProxies: readonly string[]): ClientIpResolver {
  if (trustedProxies.length === 0) return { resolve: (peer) => canonicalPeer(peer), isTrusted: () => false };
  const ranges = trustedProxies.map((cidr) => {
    const parsed = parseCidr(cidr);
    if (!parsed.ok) throw new Error(`--trusted-proxy ${cidr}: not an address or network`);
    return parsed.range;
  });
  const trusted = compileRangeSet(toIpRangeSet(ranges));
  const isTrusted = (address: string): boolean => {
    const ip = parseIpAddress(address);
    return ip !== null && rangeSetHas(trusted, ip);
  };
  const resolve = (peerRaw: string, headers: NodeJS.Dict<string | string[]>): string => {
    const peer = canonicalPeer(peerRaw);
    if (!isTrusted(peer)) return peer;
    const hops = forwardedHops(headers);
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = stripAddressDecoration(hops[i]!);
      if (parseIpAddress(hop) === null) break; // "unknown" or garbage: stop at the last trustworthy answer
      client = canonicalPeer(hop);
      if (!isTrusted(client)) break;
    }
    return client;
  };
  return { resolve, isTrusted: (peer) => isTrusted(canonicalPeer(peer)) };
}

function forwardedHops(headers: NodeJS.Dict<string | string[]>): string[] {
  const xff = headers["x-forwarded-for"];
  if (xff !== undefined) return (Array.isArray(xff) ? xff.join(",") : xff).split(",");
  const forwarded = headers.forwarded;
  if (forwarded === undefined) return [];
  const hops: string[] = [];
  for (const element of (Array.isArray(forwarded) ? forwarded.join(",") : forwarded).split(",")) {
    for (const pair of element.split(";")) {
      const eq = pair.indexOf("=");
      if (eq > 0 && pair.slice(0, eq).trim().toLowerCase() === "for") hops.push(pair.slice(eq + 1));
    }
  }
  return hops;
}
