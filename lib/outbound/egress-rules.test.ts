import { describe, expect, it } from "vitest";
import { addressRefusal, parseEgressAllow } from "./egress-rules";
import { hostTextProblem, urlTextProblem } from "./url-text-problem";

const none = { ranges: [], hosts: new Set<string>() };

describe("addresses the portal refuses to call", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "100.64.0.1",
    "169.254.169.254",
    "0.0.0.0",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:a9fe:a9fe",
    "224.0.0.1",
  ])("%s is refused", (address) => {
    expect(addressRefusal(address, none)).not.toBeNull();
  });

  it.each(["93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "8.8.8.8"])("%s is called", (address) => {
    expect(addressRefusal(address, none)).toBeNull();
  });

  it("the operator's CIDRs open exactly their range", () => {
    const parsed = parseEgressAllow("10.0.0.0/8, k8s.internal");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(addressRefusal("10.20.30.40", parsed.allow)).toBeNull();
    expect(addressRefusal("::ffff:10.20.30.40", parsed.allow)).toBeNull();
    expect(addressRefusal("192.168.0.1", parsed.allow)).not.toBeNull();
    expect(parsed.allow.hosts.has("k8s.internal")).toBe(true);
  });

  it("an unreadable allow-list entry is an error, not an open door", () => {
    expect(parseEgressAllow("10.0.0.1/8").ok).toBe(false);
    expect(parseEgressAllow("not a host!").ok).toBe(false);
  });
});

describe("what the text of a URL already tells", () => {
  it("refuses IP literals in refused ranges, localhost and other schemes; leaves names to be resolved at call time", () => {
    delete process.env.RAMPART_EGRESS_ALLOW;
    expect(urlTextProblem("https://169.254.169.254/latest/meta-data", { schemes: ["https:"] })).toMatch(/link-local/);
    expect(urlTextProblem("https://[::1]:6443", { schemes: ["https:"] })).toMatch(/loopback/);
    expect(urlTextProblem("https://0x7f.1/", { schemes: ["https:"] })).toMatch(/loopback/);
    expect(urlTextProblem("file:///etc/passwd", { schemes: ["https:"] })).toMatch(/https:\/\//);
    expect(hostTextProblem("localhost")).toMatch(/loopback/);
    expect(urlTextProblem("https://kube.example.com:6443", { schemes: ["https:"] })).toBeNull();
  });
});
