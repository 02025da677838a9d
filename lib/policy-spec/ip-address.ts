// The one parser of IP address text, shared by the policy's CIDR parsing (cidr.ts)
// and the proxy's per-request client address. Addresses come out as numbers (IPv4)
// or fixed-width hex (IPv6), the bundle's IpRangeSet representation, so a proxy
// lookup is one binary search; no BigInt on the request path.
// IPv4-mapped IPv6 (::ffff:a.b.c.d) is an IPv4 client, as the bundle requires.

export type IpAddress = { readonly v: 4; readonly n: number } | { readonly v: 6; readonly hex: string };

/** Parses an address as sockets and X-Forwarded-For report it; null when it is not one. */
export function parseIpAddress(text: string): IpAddress | null {
  if (text.length === 0 || text.length > 64) return null;
  if (text.indexOf(":") < 0) {
    const n = parseIpv4(text);
    return n < 0 ? null : { v: 4, n };
  }
  const zone = text.indexOf("%");
  const groups = parseIpv6Groups(zone < 0 ? text : text.slice(0, zone));
  if (groups === null) return null;
  // ::ffff:0:0/96 is IPv4 reached over an IPv6 socket
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return { v: 4, n: (groups[6]! * 0x10000 + groups[7]!) >>> 0 };
  }
  let hex = "";
  for (let i = 0; i < 8; i++) hex += groups[i]!.toString(16).padStart(4, "0");
  return { v: 6, hex };
}

/** Dotted quad → unsigned 32-bit value, or -1. Leading zeros are refused (some stacks read them as octal). */
export function parseIpv4(text: string): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      digits++;
      if (octet > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

/** Eight 16-bit groups, or null. Accepts "::" compression and a trailing dotted quad. */
export function parseIpv6Groups(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length === 2 ? (halves[1] === "" ? [] : halves[1]!.split(":")) : [];
  const out: number[] = [];
  const read = (parts: string[], isLast: boolean): boolean => {
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (isLast && i === parts.length - 1 && part.indexOf(".") >= 0) {
        const v4 = parseIpv4(part);
        if (v4 < 0) return false;
        out.push(Math.floor(v4 / 0x10000), v4 & 0xffff);
        continue;
      }
      if (part.length === 0 || part.length > 4) return false;
      let g = 0;
      for (let j = 0; j < part.length; j++) {
        const c = part.charCodeAt(j);
        const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
        if (d < 0) return false;
        g = g * 16 + d;
      }
      out.push(g);
    }
    return true;
  };
  if (!read(head, halves.length === 1)) return null;
  const headCount = out.length;
  if (!read(tail, true)) return null;
  if (halves.length === 2) {
    const missing = 8 - out.length;
    if (missing < 1) return null;
    out.splice(headCount, 0, ...new Array<number>(missing).fill(0));
  }
  return out.length === 8 ? out : null;
}
