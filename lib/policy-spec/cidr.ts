// IPv4/IPv6 CIDR parsing into numeric ranges. The merge needs set containment
// ("does the application's allow list stay inside the baseline's?") and the
// compiler needs sorted, merged ranges the proxy can binary-search; both are
// exact only on numbers, never on strings. The proxy parses operator files
// (trusted proxies, threat lists, country databases) with the same functions and
// compiles its lookups from the IpRangeSet built here.

import { z } from "zod";
import { parseIpv4 as parseIpv4Number, parseIpv6Groups } from "./ip-address";

/**
 * Sorted, non-overlapping inclusive ranges. IPv4 bounds are unsigned 32-bit
 * integers; IPv6 bounds are 32 hex digits (too wide for JSON numbers), fixed
 * width so string order is numeric order. IPv4-mapped IPv6 clients
 * (::ffff:a.b.c.d) must be matched as IPv4.
 */
export const ipRangeSetSchema = z.strictObject({
  v4: z.array(z.tuple([z.int().min(0).max(0xffffffff), z.int().min(0).max(0xffffffff)])),
  v6: z.array(z.tuple([z.string().regex(/^[0-9a-f]{32}$/), z.string().regex(/^[0-9a-f]{32}$/)])),
});
export type IpRangeSet = z.output<typeof ipRangeSetSchema>;

export type IpFamily = 4 | 6;

export interface IpRange {
  family: IpFamily;
  start: bigint;
  end: bigint;
}

export type CidrParseResult = { ok: true; range: IpRange; canonical: string } | { ok: false; message: string };

const IPV4_BITS = 32;
const IPV6_BITS = 128;

/** Parses `a.b.c.d/n`, `x:y::z/n`, or a bare address (a single host). */
export function parseCidr(text: string): CidrParseResult {
  const slash = text.indexOf("/");
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  const isV6 = addressText.includes(":");
  const bits = isV6 ? IPV6_BITS : IPV4_BITS;
  const address = isV6 ? parseIpv6(addressText) : parseIpv4(addressText);
  if (address === undefined) {
    return {
      ok: false,
      message: `"${text}" is not an IPv4 or IPv6 network (write it as 192.0.2.0/24 or 2001:db8::/32)`,
    };
  }
  let prefix = bits;
  if (prefixText !== undefined) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > bits) {
      return { ok: false, message: `"${text}" has an invalid prefix length (0 to ${bits} for IPv${isV6 ? 6 : 4})` };
    }
    prefix = Number(prefixText);
  }
  const hostBits = BigInt(bits - prefix);
  const hostMask = (1n << hostBits) - 1n;
  if ((address & hostMask) !== 0n) {
    // Refusing rather than silently masking: 10.0.0.1/8 is almost always a typo
    // for either a host or a network, and guessing wrong would widen access.
    const network = address & ~hostMask;
    const suggestion = `${formatAddress(network, isV6 ? 6 : 4)}/${prefix}`;
    return { ok: false, message: `"${text}" has host bits set; did you mean ${suggestion}?` };
  }
  const family: IpFamily = isV6 ? 6 : 4;
  return {
    ok: true,
    range: { family, start: address, end: address | hostMask },
    canonical: `${formatAddress(address, family)}/${prefix}`,
  };
}

/** Address text → its value; the text itself is read by the one parser in ip-address.ts. */
function parseIpv4(text: string): bigint | undefined {
  const value = parseIpv4Number(text);
  return value < 0 ? undefined : BigInt(value);
}

function parseIpv6(text: string): bigint | undefined {
  if (text.includes("%")) return undefined; // zone ids have no meaning in a policy
  const groups = parseIpv6Groups(text);
  return groups === null ? undefined : groups.reduce((acc, group) => (acc << 16n) | BigInt(group), 0n);
}

export function formatAddress(value: bigint, family: IpFamily): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join(".");
  }
  const groups = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  // RFC 5952: compress the longest run (length >= 2) of zero groups.
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** Sorts ranges and merges overlapping or adjacent ones, per family. */
export function normalizeRanges(ranges: readonly IpRange[]): IpRange[] {
  const result: IpRange[] = [];
  for (const family of [4, 6] as const) {
    const sorted = ranges.filter((range) => range.family === family).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    let current: IpRange | undefined;
    for (const range of sorted) {
      if (current && range.start <= current.end + 1n) {
        if (range.end > current.end) current.end = range.end;
        continue;
      }
      current = { ...range };
      result.push(current);
    }
  }
  return result;
}

/** True when every address in `inner` is also in `outer`. */
export function isRangeCovered(inner: IpRange, outer: readonly IpRange[]): boolean {
  let cursor = inner.start;
  for (const range of normalizeRanges(outer)) {
    if (range.family !== inner.family || range.end < cursor) continue;
    if (range.start > cursor) return false;
    if (range.end >= inner.end) return true;
    cursor = range.end + 1n;
  }
  return false;
}

/** Fixed-width hex, so that string order equals numeric order in the bundle. */
export function rangeBoundToHex(value: bigint, family: IpFamily): string {
  return value.toString(16).padStart(family === 4 ? 8 : 32, "0");
}

/** A range in the bundle's representation: IPv4 bounds as numbers, IPv6 as fixed-width hex. */
export type IpRangeBounds = { v: 4; start: number; end: number } | { v: 6; start: string; end: string };

export function toRangeBounds(range: IpRange): IpRangeBounds {
  return range.family === 4
    ? { v: 4, start: Number(range.start), end: Number(range.end) }
    : { v: 6, start: rangeBoundToHex(range.start, 6), end: rangeBoundToHex(range.end, 6) };
}

/** Ranges in any order, overlapping or not → the bundle's sorted, merged IpRangeSet. */
export function toIpRangeSet(ranges: readonly IpRange[]): IpRangeSet {
  const set: IpRangeSet = { v4: [], v6: [] };
  for (const range of normalizeRanges(ranges)) {
    const bounds = toRangeBounds(range);
    if (bounds.v === 4) set.v4.push([bounds.start, bounds.end]);
    else set.v6.push([bounds.start, bounds.end]);
  }
  return set;
}
