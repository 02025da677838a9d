import { describe, expect, it } from "vitest";
import { isRangeCovered, normalizeRanges, parseCidr } from "./cidr";

function range(cidr: string) {
  const parsed = parseCidr(cidr);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.range;
}

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/8", 4, 0x0a000000n, 0x0affffffn],
    ["203.0.113.7", 4, 0xcb007107n, 0xcb007107n],
    ["0.0.0.0/0", 4, 0n, 0xffffffffn],
    ["2001:db8::/32", 6, 0x20010db8n << 96n, (0x20010db8n << 96n) | ((1n << 96n) - 1n)],
    ["::1", 6, 1n, 1n],
    ["::ffff:192.0.2.1", 6, (0xffffn << 32n) | 0xc0000201n, (0xffffn << 32n) | 0xc0000201n],
  ])("reads %s as a numeric range", (cidr, family, start, end) => {
    expect(range(cidr)).toEqual({ family, start, end });
  });

  it.each([
    ["10.0.0.1/8", /host bits set; did you mean 10\.0\.0\.0\/8/],
    ["2001:db8::1/32", /did you mean 2001:db8::\/32/],
    ["10.0.0.0/33", /prefix length/],
    ["256.0.0.0/8", /not an IPv4 or IPv6/],
    ["010.0.0.0/8", /not an IPv4 or IPv6/],
    ["1:2:3:4:5:6:7:8:9", /not an IPv4 or IPv6/],
    ["fe80::1%eth0", /not an IPv4 or IPv6/],
    ["office", /not an IPv4 or IPv6/],
  ])("refuses %s", (cidr, message) => {
    const parsed = parseCidr(cidr);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe("range sets", () => {
  it("merges overlapping and adjacent ranges per family", () => {
    const merged = normalizeRanges([range("10.0.1.0/24"), range("10.0.0.0/24"), range("10.0.0.128/25"), range("::/0")]);
    expect(merged).toEqual([
      { family: 4, start: 0x0a000000n, end: 0x0a0001ffn },
      { family: 6, start: 0n, end: (1n << 128n) - 1n },
    ]);
  });

  it("decides coverage exactly, including coverage by several ranges", () => {
    const outer = [range("10.0.0.0/25"), range("10.0.0.128/25")];
    expect(isRangeCovered(range("10.0.0.0/24"), outer)).toBe(true);
    expect(isRangeCovered(range("10.0.0.0/23"), outer)).toBe(false);
    expect(isRangeCovered(range("2001:db8::/48"), [range("2001:db8::/32")])).toBe(true);
    expect(isRangeCovered(range("10.0.0.0/24"), [range("::/0")])).toBe(false);
  });
});
