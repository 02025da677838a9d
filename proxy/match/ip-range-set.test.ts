import { describe, expect, it } from "vitest";
import { parseCidr, parseIpAddress, toIpRangeSet, type IpRange } from "@/lib/policy-spec";
import { compileRangeSet, rangeSetHas } from "./ip-range-set.js";
import { stripAddressDecoration } from "./strip-address-decoration.js";

const rangeOf = (cidr: string): IpRange => {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.range;
};
const set = compileRangeSet(toIpRangeSet(["10.0.0.0/8", "192.0.2.0/24", "198.51.100.7", "2001:db8::/32", "::1"].map(rangeOf)));

describe("IP addresses and range sets", () => {
  it.each([
    ["10.1.2.3", true],
    ["11.0.0.0", false],
    ["192.0.2.255", true],
    ["192.0.3.0", false],
    ["198.51.100.7", true],
    ["198.51.100.8", false],
    ["::ffff:10.9.9.9", true],
    ["::ffff:11.0.0.1", false],
    ["2001:db8:ffff::1", true],
    ["2001:db9::1", false],
    ["::1", true],
    ["fe80::1%eth0", false],
  ])("%s in set: %s", (address, expected) => {
    const ip = parseIpAddress(address);
    expect(ip).not.toBeNull();
    expect(rangeSetHas(set, ip!)).toBe(expected);
  });

  it.each(["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-1", "::g", "1:2:3:4:5:6:7:8:9", "a".repeat(100)])("refuses %j as an address", (text) => {
    expect(parseIpAddress(text)).toBeNull();
  });

  it.each(["10.0.0.1/8", "1.2.3.0/33", "2001:db8::1/32", "x/1", "1.2.3.0/08"])("refuses %s as a network", (text) => {
    expect(parseCidr(text).ok).toBe(false);
  });

  it("strips ports, brackets and quotes from forwarded addresses", () => {
    expect(stripAddressDecoration(' "[2001:db8::1]:443" ')).toBe("2001:db8::1");
    expect(stripAddressDecoration("192.0.2.1:8080")).toBe("192.0.2.1");
    expect(stripAddressDecoration("2001:db8::1")).toBe("2001:db8::1");
  });

  it("merges overlapping and adjacent IPv4 ranges", () => {
    const merged = toIpRangeSet(["10.0.0.0/25", "10.0.0.128/25", "10.0.0.64/26"].map(rangeOf));
    expect(merged.v4).toEqual([[167772160, 167772415]]);
  });

  it("refuses to compile a set that is not sorted and non-overlapping", () => {
    expect(() =>
      compileRangeSet({
        v4: [
          [10, 20],
          [15, 30],
        ],
        v6: [],
      }),
    ).toThrow(/not sorted/);
  });
});
