// Sorted, merged address ranges with binary-search lookup: the bundle's
// IpRangeSet compiled once, and the same structure built from operator files
// (trusted proxies, threat-intel lists).

import type { IpRangeSet } from "@/lib/policy-spec";
import { parseIpv4, parseIpv6Groups, type IpAddress } from "./ip-address.js";

export interface CompiledRangeSet {
  readonly v4Start: Float64Array;
  readonly v4End: Float64Array;
  readonly v6Start: readonly string[];
  readonly v6End: readonly string[];
  readonly size: number;
}

export function compileRangeSet(set: IpRangeSet): CompiledRangeSet {
  const v4 = mergeV4(set.v4.map(([a, b]) => [a, b] as [number, number]));
  const v6 = mergeV6(set.v6.map(([a, b]) => [a, b] as [string, string]));
  return {
    v4Start: Float64Array.from(v4, (r) => r[0]),
    v4End: Float64Array.from(v4, (r) => r[1]),
    v6Start: v6.map((r) => r[0]),
    v6End: v6.map((r) => r[1]),
    size: v4.length + v6.length,
  };
}

export function rangeSetHas(set: CompiledRangeSet, ip: IpAddress): boolean {
  if (ip.v === 4) {
    const starts = set.v4Start;
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= ip.n) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && set.v4End[found]! >= ip.n;
  }
  const starts = set.v6Start;
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! <= ip.hex) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && set.v6End[found]! >= ip.hex;
}

export type ParsedRange = { v: 4; start: number; end: number } | { v: 6; start: string; end: string };

/** "a.b.c.d[/n]" or "x::y[/n]". Host bits must be clear, as in policies; null when invalid. */
export function parseCidrRange(text: string): ParsedRange | null {
  const slash = text.indexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? null : text.slice(slash + 1);
  if (address.indexOf(":") < 0) {
    const n = parseIpv4(address);
    if (n < 0) return null;
    const prefix = prefixText === null ? 32 : parsePrefix(prefixText, 32);
    if (prefix < 0) return null;
    const size = 2 ** (32 - prefix);
    if (n % size !== 0) return null;
    return { v: 4, start: n, end: n + size - 1 };
  }
  const groups = parseIpv6Groups(address);
  if (groups === null) return null;
  const prefix = prefixText === null ? 128 : parsePrefix(prefixText, 128);
  if (prefix < 0) return null;
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 8; i++) {
    const bitsHere = Math.max(0, Math.min(16, prefix - i * 16));
    const hostMask = bitsHere === 16 ? 0 : 0xffff >>> bitsHere;
    if ((groups[i]! & hostMask) !== 0) return null;
    start.push(groups[i]!);
    end.push(groups[i]! | hostMask);
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16).padStart(4, "0")).join("");
  return { v: 6, start: hex(start), end: hex(end) };
}

function parsePrefix(text: string, max: number): number {
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(text)) return -1;
  const n = Number(text);
  return n > max ? -1 : n;
}

/** Ranges (in any order, overlapping or not) → the bundle's canonical IpRangeSet. */
export function toRangeSet(ranges: readonly ParsedRange[]): IpRangeSet {
  const v4: Array<[number, number]> = [];
  const v6: Array<[string, string]> = [];
  for (const r of ranges) {
    if (r.v === 4) v4.push([r.start, r.end]);
    else v6.push([r.start, r.end]);
  }
  return { v4: mergeV4(v4), v6: mergeV6(v6) };
}

function mergeV4(ranges: Array<[number, number]>): Array<[number, number]> {
  ranges.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function mergeV6(ranges: Array<[string, string]>): Array<[string, string]> {
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Array<[string, string]> = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    // Adjacent v6 ranges are left unmerged: merging needs 128-bit arithmetic and changes no answer.
    if (last && r[0] <= last[1]) {
      if (r[1] > last[1]) last[1] = r[1];
    } else out.push([r[0], r[1]]);
  }
  return out;
}
