// Sorted, merged address ranges with binary-search lookup: the bundle's
// IpRangeSet compiled once, and the same structure built from operator files
// (trusted proxies, threat-intel lists). Parsing and merging are the policy
// spec's (parseCidr, toIpRangeSet); this file only lays the result out for search.

import type { IpAddress, IpRangeSet } from "@/lib/policy-spec";

export interface CompiledRangeSet {
  readonly v4Start: Float64Array;
  readonly v4End: Float64Array;
  readonly v6Start: readonly string[];
  readonly v6End: readonly string[];
  readonly size: number;
}

/** The set as typed arrays. It must be sorted and non-overlapping (what toIpRangeSet builds); anything else is refused, never searched wrongly. */
export function compileRangeSet(set: IpRangeSet): CompiledRangeSet {
  for (let i = 1; i < set.v4.length; i++) {
    if (set.v4[i]![0] <= set.v4[i - 1]![1]) throw new Error("IPv4 ranges are not sorted and non-overlapping");
  }
  for (let i = 1; i < set.v6.length; i++) {
    if (set.v6[i]![0] <= set.v6[i - 1]![1]) throw new Error("IPv6 ranges are not sorted and non-overlapping");
  }
  return {
    v4Start: Float64Array.from(set.v4, (r) => r[0]),
    v4End: Float64Array.from(set.v4, (r) => r[1]),
    v6Start: set.v6.map((r) => r[0]),
    v6End: set.v6.map((r) => r[1]),
    size: set.v4.length + set.v6.length,
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
