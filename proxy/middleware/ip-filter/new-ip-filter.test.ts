import { describe, expect, it } from "vitest";
import { parseCidr, toIpRangeSet, type IpRangeSet } from "@/lib/policy-spec";
import { parseCountryDatabase } from "../../resources/country-database.js";
import { parseThreatList } from "../../resources/threat-lists.js";
import { buildBundle, requestContext } from "../../test-support/bundle-fixtures.js";
import { newIpFilter } from "./new-ip-filter.js";

const countries = parseCountryDatabase(
  ["# test database", "192.0.2.0/24,DE", "198.51.100.0,198.51.100.255,KP", '"2001:db8::","2001:db8::ffff",NL'].join("\n"),
  "test.csv",
);
const lists = new Map<string, IpRangeSet>([
  ["known-attackers", parseThreatList("203.0.113.66\n# comment\n203.0.113.128/25 ; tail comment\n", "known-attackers", "x").ranges],
  ["tor-exit-nodes", toIpRangeSet([...[parseCidr("203.0.113.7")].flatMap((p) => (p.ok ? [p.range] : []))])],
]);

describe("IP allow lists, blocked networks, threat intel and geolocation", () => {
  const strict = buildBundle({
    ipAllow: { networks: { office: ["192.0.2.0/24", "2001:db8:100::/48"] }, rules: [{ paths: ["/internal/**"], allowFrom: ["office"] }] },
    threatIntel: {
      lists: [
        { name: "known-attackers", mode: "block" },
        { name: "tor-exit-nodes", mode: "log-only" },
      ],
      denyNetworks: ["198.18.0.0/15"],
    },
    geolocation: { denyCountries: ["KP"] },
  });
  const filter = newIpFilter(strict, { threatLists: lists, countries })!;

  it.each<[string, string, string | null, string]>([
    ["192.0.2.10", "/internal/report", null, "office may reach internal paths"],
    ["2001:db8:100::5", "/internal/x", null, "office over IPv6"],
    ["203.0.113.10", "/internal/x", "ip-allow", "outsiders may not"],
    ["203.0.113.10", "/public", null, "public paths are open"],
    ["198.18.5.5", "/public", "threat-intel.deny-networks", "blocked network"],
    ["203.0.113.66", "/public", "threat-intel.known-attackers", "block-mode list"],
    ["203.0.113.200", "/public", "threat-intel.known-attackers", "block-mode list range"],
    ["203.0.113.7", "/public", null, "log-only list passes"],
    ["198.51.100.9", "/public", "geolocation.deny", "denied country"],
    ["::ffff:198.51.100.9", "/public", "geolocation.deny", "IPv4-mapped address is IPv4"],
    ["2001:db8::1", "/public", null, "another country"],
  ])("%s %s → %s (%s)", (clientIp, url, ruleId) => {
    const ctx = requestContext({ url, clientIp });
    const verdict = filter.onRequest!(ctx);
    expect(verdict === null ? null : (verdict as { ruleId: string }).ruleId).toBe(ruleId);
  });

  it("logs (and passes) a log-only threat list match", () => {
    const ctx = requestContext({ url: "/", clientIp: "203.0.113.7" });
    expect(filter.onRequest!(ctx)).toBeNull();
    expect(ctx.logged).toMatchObject([{ ruleId: "threat-intel.tor-exit-nodes", action: "logged" }]);
  });

  it("an allow-country list refuses unknown and unlisted countries", () => {
    const allowOnly = newIpFilter(buildBundle({ geolocation: { allowCountries: ["DE"] } }), { threatLists: new Map(), countries })!;
    expect(allowOnly.onRequest!(requestContext({ clientIp: "192.0.2.1" }))).toBeNull();
    expect(allowOnly.onRequest!(requestContext({ clientIp: "10.0.0.1" }))).toMatchObject({ status: 403, ruleId: "geolocation.allow" });
    expect(allowOnly.onRequest!(requestContext({ clientIp: "not-an-ip" }))).toMatchObject({ status: 403 });
  });

  it("refuses to compile geolocation rules without a country database", () => {
    expect(() => newIpFilter(buildBundle({ geolocation: { denyCountries: ["KP"] } }), { threatLists: new Map(), countries: null })).toThrow(/--geo-db/);
  });

  it("is absent when the policy restricts no addresses", () => {
    expect(newIpFilter(buildBundle(), { threatLists: new Map(), countries: null })).toBeNull();
  });

  it("the country file format refuses overlaps and bad codes", () => {
    expect(() => parseCountryDatabase("10.0.0.0/8,DE\n10.1.0.0/16,FR", "x")).toThrow(/overlap/);
    expect(() => parseCountryDatabase("10.0.0.0/8,Germany", "x")).toThrow(/country code/);
    expect(() => parseCountryDatabase("10.0.0.0/8", "x")).toThrow(/expected/);
  });
});
