// IP → ISO 3166-1 alpha-2 country, from a file the operator supplies (nothing
// is downloaded at run time). The format is plain text, one range a line:
//
//   # comments and blank lines are ignored
//   192.0.2.0/24,DE                 network,country
//   1.0.0.0,1.0.0.255,AU            first,last,country   (DB-IP "IP to Country Lite" CSV layout)
//   "2001:db8::","2001:db8::ffff",NL  values may be quoted
//
// Ranges must not overlap. Lookups are binary searches over typed arrays.

import { readFileSync, statSync } from "node:fs";
import { parseCidr, parseIpAddress, toRangeBounds, type IpAddress, type IpRangeBounds } from "@/lib/policy-spec";

export interface CountryDatabase {
  readonly file: string;
  readonly version: string;
  readonly rangeCount: number;
  lookup(ip: IpAddress): string | null;
}

const COUNTRY = /^[A-Za-z]{2}$/;

export function parseCountryDatabase(text: string, file: string, version = ""): CountryDatabase {
  const v4: Array<[number, number, number]> = [];
  const v6: Array<[string, string, number]> = [];
  const codes: string[] = [];
  const codeIndex = new Map<string, number>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fields = line.split(",").map((f) => unquote(f.trim()));
    const fail = (message: string): never => {
      throw new Error(`${file}:${i + 1}: ${message}`);
    };
    let country: string;
    let range: IpRangeBounds;
    if (fields.length === 2) {
      const parsed = parseCidr(fields[0]!);
      range = parsed.ok ? toRangeBounds(parsed.range) : fail(`"${fields[0]}" is not a network (192.0.2.0/24, 2001:db8::/32)`);
      country = fields[1]!;
    } else if (fields.length === 3) {
      const a = parseIpAddress(fields[0]!);
      const b = parseIpAddress(fields[1]!);
      if (!a || !b || a.v !== b.v) fail("expected first,last,country with two addresses of the same family");
      range = a!.v === 4 ? { v: 4, start: a!.n, end: (b as { n: number }).n } : { v: 6, start: (a as { hex: string }).hex, end: (b as { hex: string }).hex };
      country = fields[2]!;
    } else {
      fail("expected network,country or first,last,country");
    }
    if (!COUNTRY.test(country!)) fail(`"${country!}" is not a two-letter country code`);
    const code = country!.toUpperCase();
    let index = codeIndex.get(code);
    if (index === undefined) {
      index = codes.length;
      codes.push(code);
      codeIndex.set(code, index);
    }
    const r = range!;
    if (r.v === 4) {
      if (r.start > r.end) fail("the first address is after the last");
      v4.push([r.start, r.end, index]);
    } else {
      if (r.start > r.end) fail("the first address is after the last");
      v6.push([r.start, r.end, index]);
    }
  }
  v4.sort((a, b) => a[0] - b[0]);
  v6.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < v4.length; i++) if (v4[i]![0] <= v4[i - 1]![1]) throw new Error(`${file}: IPv4 ranges overlap at ${v4[i]![0]}`);
  for (let i = 1; i < v6.length; i++) if (v6[i]![0] <= v6[i - 1]![1]) throw new Error(`${file}: IPv6 ranges overlap at ${v6[i]![0]}`);
  const s4 = Float64Array.from(v4, (r) => r[0]);
  const e4 = Float64Array.from(v4, (r) => r[1]);
  const c4 = Uint16Array.from(v4, (r) => r[2]);
  const s6 = v6.map((r) => r[0]);
  const e6 = v6.map((r) => r[1]);
  const c6 = v6.map((r) => r[2]);
  return {
    file,
    version,
    rangeCount: v4.length + v6.length,
    lookup(ip) {
      if (ip.v === 4) {
        let lo = 0;
        let hi = s4.length - 1;
        let found = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1;
          if (s4[mid]! <= ip.n) {
            found = mid;
            lo = mid + 1;
          } else hi = mid - 1;
        }
        return found >= 0 && e4[found]! >= ip.n ? codes[c4[found]!]! : null;
      }
      let lo = 0;
      let hi = s6.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        if (s6[mid]! <= ip.hex) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found >= 0 && e6[found]! >= ip.hex ? codes[c6[found]!]! : null;
    },
  };
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

const cache = new Map<string, CountryDatabase>();

/** Reads the file, reusing the parsed database while its size and modification time are unchanged. */
export function loadCountryDatabase(file: string): CountryDatabase {
  const stat = statSync(file);
  const version = `${stat.size}:${stat.mtimeMs}`;
  const cached = cache.get(file);
  if (cached && cached.version === version) return cached;
  const db = parseCountryDatabase(readFileSync(file, "utf8"), file, version);
  cache.set(file, db);
  return db;
}
