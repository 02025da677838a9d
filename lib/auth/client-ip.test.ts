import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";

const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });

describe("clientIp", () => {
  it.each([
    ["the TCP peer set by the portal server", "203.0.113.9", 0, "203.0.113.9"],
    ["an IPv4-mapped IPv6 peer", "::ffff:127.0.0.1", 0, "127.0.0.1"],
    ["an IPv6 peer", "2001:db8::1", 0, "2001:db8::1"],
    ["the entry n hops from the right with trusted proxies", "198.51.100.1, 10.0.0.5", 1, "198.51.100.1"],
    ["ignores spoofed entries further left", "6.6.6.6, 198.51.100.1, 10.0.0.5", 1, "198.51.100.1"],
    ["null when fewer entries than hops", "10.0.0.5", 1, null],
    ["null for garbage", "not-an-ip", 0, null],
    ["null without the header", undefined, 0, null],
  ] as const)("%s", (_name, xff, hops, expected) => {
    expect(clientIp(h(xff), hops)).toBe(expected);
  });
});
