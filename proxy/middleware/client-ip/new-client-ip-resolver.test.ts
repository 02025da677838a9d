import { describe, expect, it } from "vitest";
import { newClientIpResolver } from "./new-client-ip-resolver.js";

describe("client address", () => {
  const resolver = newClientIpResolver(["10.0.0.0/8", "::1"]);
  it.each<[string, string, Record<string, string>, string]>([
    ["an untrusted peer's headers are ignored", "203.0.113.9", { "x-forwarded-for": "1.2.3.4" }, "203.0.113.9"],
    ["a trusted proxy's X-Forwarded-For names the client", "10.0.0.5", { "x-forwarded-for": "198.51.100.7" }, "198.51.100.7"],
    ["trusted hops are skipped from the right", "10.0.0.5", { "x-forwarded-for": "198.51.100.7, 10.1.1.1, 10.2.2.2" }, "198.51.100.7"],
    ["a spoofed left-most entry is not believed", "10.0.0.5", { "x-forwarded-for": "6.6.6.6, 198.51.100.7" }, "198.51.100.7"],
    ["garbage stops the walk at the last good answer", "10.0.0.5", { "x-forwarded-for": "evil, 10.3.3.3" }, "10.3.3.3"],
    ["Forwarded is used without X-Forwarded-For", "::1", { forwarded: 'for="[2001:db8::7]:4711";proto=https, for=10.0.0.9' }, "2001:db8::7"],
    ["IPv4-mapped peers are written plainly", "::ffff:203.0.113.9", {}, "203.0.113.9"],
  ])("%s", (_name, peer, headers, expected) => {
    expect(resolver.resolve(peer, headers)).toBe(expected);
  });

  it("with no trusted proxies the peer is the client", () => {
    expect(newClientIpResolver([]).resolve("10.0.0.5", { "x-forwarded-for": "1.2.3.4" })).toBe("10.0.0.5");
  });

  it("refuses a malformed trusted-proxy network", () => {
    expect(() => newClientIpResolver(["10.0.0.1/8"])).toThrow(/trusted-proxy/);
  });
});
