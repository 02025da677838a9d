// Which addresses the portal may call. Everything it calls out to (Kubernetes API
// servers, Git remotes, team webhooks, identity providers) is named by someone who is
// not the operator, so an address inside the portal's own network — loopback, link-local
// (cloud metadata at 169.254.169.254), private, carrier-grade NAT, unique-local, the
// unspecified address, and IPv4-mapped IPv6 forms of these — is refused unless the
// operator opens it with RAMPART_EGRESS_ALLOW (CIDRs and host names, comma-separated,
// e.g. `10.0.0.0/8,k8s.internal`). Nothing is open by default, loopback included.
// CIDRs are parsed by the one parser the policies use (lib/policy-spec/cidr.ts).
// No "server-only": the request schemas judge URL text with it.

import { isRangeCovered, parseCidr, type IpRange } from "@/lib/policy-spec/cidr";

const REFUSED: ReadonlyArray<{ cidr: string; what: string }> = [
  { cidr: "0.0.0.0/8", what: "the unspecified network" },
  { cidr: "10.0.0.0/8", what: "a private network" },
  { cidr: "100.64.0.0/10", what: "carrier-grade NAT" },
  { cidr: "127.0.0.0/8", what: "loopback" },
  { cidr: "169.254.0.0/16", what: "link-local (cloud metadata)" },
  { cidr: "172.16.0.0/12", what: "a private network" },
  { cidr: "192.0.0.0/24", what: "IETF protocol assignments" },
  { cidr: "192.168.0.0/16", what: "a private network" },
  { cidr: "198.18.0.0/15", what: "a benchmarking network" },
  { cidr: "224.0.0.0/4", what: "multicast" },
  { cidr: "240.0.0.0/4", what: "a reserved network" },
  { cidr: "::/128", what: "the unspecified address" },
  { cidr: "::1/128", what: "loopback" },
  { cidr: "64:ff9b::/96", what: "NAT64 (an embedded IPv4 address)" },
  { cidr: "fc00::/7", what: "a unique-local network" },
  { cidr: "fe80::/10", what: "link-local" },
  { cidr: "ff00::/8", what: "multicast" },
];

const REFUSED_RANGES = REFUSED.map(({ cidr, what }) => {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(`egress-rules: ${cidr}: ${parsed.message}`);
  return { range: parsed.range, what };
});

export type EgressAllowList = { ranges: IpRange[]; hosts: Set<string> };

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Parses RAMPART_EGRESS_ALLOW; every entry is a CIDR, an address or a host name. */
export function parseEgressAllow(text: string | undefined): { ok: true; allow: EgressAllowList } | { ok: false; message: string } {
  const allow: EgressAllowList = { ranges: [], hosts: new Set() };
  for (const raw of (text ?? "").split(",")) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (/^[0-9.]+(\/\d+)?$/.test(entry) || entry.includes(":")) {
      const parsed = parseCidr(entry);
      if (!parsed.ok) return { ok: false, message: parsed.message };
      allow.ranges.push(parsed.range);
    } else if (HOST_NAME.test(entry.replace(/\.$/, ""))) {
      allow.hosts.add(entry.replace(/\.$/, ""));
    } else {
      return { ok: false, message: `"${raw.trim()}" is neither a CIDR nor a host name` };
    }
  }
  return { ok: true, allow };
}

let memo: { text: string | undefined; allow: EgressAllowList } | null = null;

/**
 * The operator's allow-list, read from the environment at each call (memoised on its
 * text), so a changed variable takes effect without a restart of whoever reads it. An
 * unparsable value opens nothing (lib/env.ts refuses to start with one).
 */
export function egressAllowList(): EgressAllowList {
  const text = process.env.RAMPART_EGRESS_ALLOW;
  if (memo && memo.text === text) return memo.allow;
  const parsed = parseEgressAllow(text);
  memo = { text, allow: parsed.ok ? parsed.allow : { ranges: [], hosts: new Set() } };
  return memo.allow;
}

/** The address as a single-host range; an IPv4-mapped IPv6 address (::ffff:a.b.c.d, ::ffff:7f00:1) is the IPv4 address it maps. */
function addressRange(address: string): IpRange | null {
  const parsed = parseCidr(address);
  if (!parsed.ok || parsed.range.start !== parsed.range.end) return null;
  const value = parsed.range.start;
  if (parsed.range.family === 6 && value >> 32n === 0xffffn) {
    const v4 = value & 0xffffffffn;
    return { family: 4, start: v4, end: v4 };
  }
  return parsed.range;
}

/** Why the portal must not connect to this IP address, or null when it may. */
export function addressRefusal(address: string, allow: EgressAllowList = egressAllowList()): string | null {
  const range = addressRange(address.replace(/^\[|\]$/g, ""));
  if (!range) return `${address} is not an IP address`;
  if (isRangeCovered(range, allow.ranges)) return null;
  const refused = REFUSED_RANGES.find((r) => isRangeCovered(range, [r.range]));
  return refused ? `${address} (${refused.what})` : null;
}

/** Whether the operator opened this host name itself (then whatever it resolves to is called). */
export function isAllowedHostName(host: string, allow: EgressAllowList = egressAllowList()): boolean {
  return allow.hosts.has(host.toLowerCase().replace(/\.$/, ""));
}

/** Whether an address is an IP literal (no node:net: the request schemas run in browsers too). */
export function isIpLiteral(host: string): boolean {
  return !host.includes("/") && parseCidr(host.replace(/^\[|\]$/g, "")).ok;
}

/**
 * The operator's settings are known on the server only. A browser validating a form with
 * the same schema leaves what depends on them to the server, which judges every request.
 */
export function knowsOperatorSettings(): boolean {
  return typeof window === "undefined";
}

export const EGRESS_ADVICE = "the portal does not call addresses inside its own network; an operator may open one with RAMPART_EGRESS_ALLOW";
