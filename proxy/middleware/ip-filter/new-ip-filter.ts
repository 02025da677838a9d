// Who may connect: path-scoped allow lists (every matching rule must admit the
// client), blocked networks, threat-intel lists and countries. An address the
// proxy cannot parse is admitted by no allow list and belongs to no country.

import type { Bundle, IpRangeSet } from "@/lib/policy-spec";
import { compileRangeSet, rangeSetHas, type CompiledRangeSet } from "../../match/ip-range-set.js";
import { compilePathMatchers, type PathPredicate } from "../../match/path-matchers.js";
import { blocked, logged } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";
import type { CountryDatabase } from "../../resources/country-database.js";

export interface IpFilterConfig {
  ipAllow: Bundle["ipAllow"];
  threatIntel: Bundle["threatIntel"];
  geolocation: Bundle["geolocation"];
}

export interface IpFilterResources {
  /** Contents of the threat lists the policy names, by name. */
  threatLists: ReadonlyMap<string, IpRangeSet>;
  /** Required when geolocation is not "off". */
  countries: CountryDatabase | null;
}

export function newIpFilter(config: IpFilterConfig, resources: IpFilterResources): Middleware | null {
  const allowRules: Array<{ applies: PathPredicate; ranges: CompiledRangeSet }> = config.ipAllow.map((rule) => ({
    applies: compilePathMatchers(rule.paths),
    ranges: compileRangeSet(rule.ranges),
  }));
  const denied = compileRangeSet(config.threatIntel.denyRanges);
  const lists = config.threatIntel.lists.map((list) => {
    const ranges = resources.threatLists.get(list.name);
    if (!ranges) throw new Error(`threat-intel list "${list.name}" was not loaded`);
    return { name: list.name, block: list.mode === "block", ranges: compileRangeSet(ranges), ruleId: `threat-intel.${list.name}` };
  });
  const geo = config.geolocation;
  if (geo.mode !== "off" && resources.countries === null) {
    throw new Error(
      `the policy ${geo.mode === "allow" ? "allows only" : "denies"} countries ${geo.countries.join(", ")}: give --geo-db with a country database`,
    );
  }
  const countries = new Set(geo.countries);
  const db = resources.countries;
  if (allowRules.length === 0 && denied.size === 0 && lists.length === 0 && geo.mode === "off") return null;

  return {
    name: "ip-filter",
    onRequest(ctx) {
      const ip = ctx.ip;
      for (const rule of allowRules) {
        if (rule.applies(ctx.path, ctx.pathLower) && (ip === null || !rangeSetHas(rule.ranges, ip))) {
          return blocked(403, "access", "ip-allow", "connection", "", ctx.clientIp);
        }
      }
      if (ip === null) return geo.mode === "allow" ? blocked(403, "access", "geolocation.allow", "connection", "", ctx.clientIp) : null;
      if (denied.size > 0 && rangeSetHas(denied, ip)) return blocked(403, "access", "threat-intel.deny-networks", "connection", "", ctx.clientIp);
      for (const list of lists) {
        if (!rangeSetHas(list.ranges, ip)) continue;
        if (list.block) return blocked(403, "access", list.ruleId, "connection", "", ctx.clientIp);
        ctx.log(logged("access", list.ruleId, "connection", "", ctx.clientIp));
      }
      if (geo.mode !== "off") {
        const country = db!.lookup(ip);
        // Unknown country: an allow list admits only what it names; a deny list denies only what it names.
        if (geo.mode === "allow" ? country === null || !countries.has(country) : country !== null && countries.has(country)) {
          return blocked(403, "access", `geolocation.${geo.mode}`, "connection", "", country ?? "unknown");
        }
      }
      return null;
    },
  };
}
