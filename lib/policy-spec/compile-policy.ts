// Effective policy → bundle. Deterministic by construction: every list whose
// order carries no meaning is sorted, absent values are explicit nulls, and the
// bytes are canonical JSON, so the same policy always yields the same bytes and
// hash (a watcher can skip an unchanged bundle; a signature stays valid).
// Time is deliberately not an input: exceptions carry their own expiry instant
// and the proxy enforces it with its clock, so a bundle never goes stale by
// being compiled on a different day.

import { BUNDLE_FORMAT, type Bundle, type BundleBody, type IpRangeSet, type PathMatcher } from "./bundle-schema";
import { canonicalJson } from "./canonical-json";
import { parseCidr, toIpRangeSet, type IpRange } from "./cidr";
import { compileOpenApi } from "./compile-openapi";
import type { EffectivePolicy } from "./effective-policy-schema";
import { compilePathPattern } from "./path-pattern";
import { expiryInstant } from "./policy-dates";
import { sortFamilies } from "./sections/content-profiles";
import { familyOfRuleId } from "./sections/exceptions";
import { isNetworkName } from "./sections/ip-allow";
import { HTTP_METHODS, type HttpMethod } from "./sections/policy-fields";
import { CSP_DIRECTIVES } from "./sections/security-headers";
import { resolveCipherSuites } from "./sections/tls";
import { sha256Hex } from "./sha256";

export interface CompileOptions {
  /** SHA-256 as lower-case hex; injectable so a caller can use a native implementation. */
  sha256?: (text: string) => string;
}

// Restrictions match case-insensitively (no bypass through /ADMIN on a
// case-insensitive upstream); permissions match case-sensitively (an exception
// or public path must not cover more than it names).
const RESTRICTION = { caseInsensitive: true } as const;
const PERMISSION = { caseInsensitive: false } as const;

export function compilePolicy(effective: EffectivePolicy, options: CompileOptions = {}): Bundle {
  const body = compileBody(effective);
  const hash = (options.sha256 ?? sha256Hex)(canonicalJson(body));
  return { ...body, contentHash: `sha256:${hash}` };
}

/** The exact bytes to store, sign and ship. */
export function serializeBundle(bundle: Bundle): string {
  return canonicalJson(bundle);
}

function compileBody(p: EffectivePolicy): BundleBody {
  const networks = p.ipAllow.networks;
  return {
    format: BUNDLE_FORMAT,
    sources: p.sources,
    tls: {
      minVersion: p.tls.minVersion,
      // Kept in the author's order: for an explicit list the order is the server's preference.
      cipherSuites: resolveCipherSuites(p.tls.cipherSuites),
      certificates: sortBy(
        p.tls.certificates.map((certificate) => ({ ref: certificate.ref, hosts: [...certificate.hosts].sort() })),
        (certificate) => certificate.ref,
      ),
    },
    upstreamTls: p.upstreamTls
      ? {
          enabled: p.upstreamTls.enabled,
          verify: p.upstreamTls.verify,
          minVersion: p.upstreamTls.minVersion,
          serverName: p.upstreamTls.serverName ?? null,
          caRef: p.upstreamTls.caRef ?? null,
          clientCertificate: p.upstreamTls.clientCertificate ?? null,
        }
      : null,
    methods: sortMethods(p.methods.allowed),
    routes: p.allow ? sortCanonical(p.allow.map((route) => ({ path: compilePathPattern(route.path, PERMISSION), methods: sortMethods(route.methods) }))) : null,
    ipAllow: sortCanonical(
      p.ipAllow.rules.map((rule) => ({
        paths: matchers(rule.paths, RESTRICTION),
        ranges: rangeSet(rule.allowFrom.flatMap((ref) => (isNetworkName(ref) ? (networks[ref] ?? []) : [ref]))),
      })),
    ),
    geolocation: p.geolocation.allowCountries
      ? { mode: "allow", countries: [...p.geolocation.allowCountries].sort() }
      : p.geolocation.denyCountries
        ? { mode: "deny", countries: [...p.geolocation.denyCountries].sort() }
        : { mode: "off", countries: [] },
    threatIntel: {
      lists: sortBy(
        p.threatIntel.lists.map((list) => ({ name: list.name, mode: list.mode })),
        (list) => list.name,
      ),
      denyRanges: rangeSet(p.threatIntel.denyNetworks),
    },
    adminBlocking: p.adminBlocking.enabled ? matchers(p.adminBlocking.paths, { ...RESTRICTION, subtree: true }) : [],
    denyRules: p.denyRules,
    virtualPatches: p.virtualPatches,
    contentProfiles: { allowRelax: sortFamilies(p.contentProfiles.allowRelax) },
    exceptions: sortBy(
      p.exceptions.map((exception) => ({
        id: exception.id,
        family: exception.family ?? familyOfRuleId(exception.ruleId!),
        ruleId: exception.ruleId ?? null,
        part: exception.part,
        // Header names are case-insensitive on the wire; the proxy compares lower-cased.
        name: exception.name === undefined ? null : exception.part === "header" ? exception.name.toLowerCase() : exception.name,
        pointer: exception.pointer ?? null,
        paths: matchers(exception.conditions.paths, PERMISSION),
        methods: exception.conditions.methods ? sortMethods(exception.conditions.methods) : null,
        expiresAt: expiryInstant(exception.expires),
      })),
      (exception) => exception.id,
    ),
    responseHeaders: responseHeaders(p.securityHeaders),
    cors: p.cors
      ? {
          allowOrigins: [...p.cors.allowOrigins].sort(),
          allowMethods: sortMethods(p.cors.allowMethods),
          allowHeaders: sortedLower(p.cors.allowHeaders),
          exposeHeaders: sortedLower(p.cors.exposeHeaders),
          allowCredentials: p.cors.allowCredentials,
          maxAgeSeconds: p.cors.maxAgeSeconds,
        }
      : null,
    authentication: {
      required: p.authentication.required,
      issuers: sortBy(
        p.authentication.issuers.map((issuer) => ({
          issuer: issuer.issuer,
          audiences: [...issuer.audiences].sort(),
          jwksUrl: issuer.jwksUrl ?? null,
          keys: issuer.keys ? issuer.keys.map((key) => dropUndefined(key)) : null,
          algorithms: [...issuer.algorithms].sort(),
        })),
        (issuer) => issuer.issuer,
      ),
      publicPaths: matchers(p.authentication.publicPaths, PERMISSION),
      // Every matching rule applies, so their order carries no meaning.
      rules: sortCanonical(
        p.authentication.rules.map((rule) => ({
          paths: matchers(rule.paths, RESTRICTION),
          methods: rule.methods ? sortMethods(rule.methods) : null,
          claims: sortCanonical(
            rule.claims.map((claim) => ({
              name: claim.name,
              allOf: claim.allOf ? [...claim.allOf].sort() : null,
              anyOf: claim.anyOf ? [...claim.anyOf].sort() : null,
            })),
          ),
        })),
      ),
      clockSkewSeconds: p.authentication.clockSkewSeconds,
    },
    limits: p.limits,
    bodies: p.bodies,
    rateLimits: sortBy(
      p.rateLimits.map((limit) => ({
        id: limit.id,
        key: limit.key,
        requests: limit.requests,
        windowSeconds: limit.windowSeconds,
        burst: limit.burst,
        paths: matchers(limit.paths, RESTRICTION),
        methods: limit.methods ? sortMethods(limit.methods) : null,
        mode: limit.mode,
      })),
      (limit) => limit.id,
    ),
    openapi: compileOpenApi(p.openapi),
  };
}

function matchers(patterns: readonly string[], options: { caseInsensitive: boolean; subtree?: boolean }): PathMatcher[] {
  const compiled = new Map<string, PathMatcher>();
  for (const pattern of patterns) {
    const matcher = compilePathPattern(pattern, options);
    compiled.set(canonicalJson(matcher), matcher);
  }
  // "/payments" next to "/payments/**" adds nothing: the prefix matcher already covers the exact path.
  const prefixes = new Set([...compiled.values()].filter((m) => m.kind === "prefix").map((m) => `${m.value}|${m.caseInsensitive}`));
  return [...compiled.entries()]
    .filter(([, m]) => !(m.kind === "exact" && prefixes.has(`${m.value}|${m.caseInsensitive}`)))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, matcher]) => matcher);
}

function rangeSet(cidrs: readonly string[]): IpRangeSet {
  const ranges: IpRange[] = [];
  for (const cidr of cidrs) {
    const parsed = parseCidr(cidr);
    if (parsed.ok) ranges.push(parsed.range);
  }
  return toIpRangeSet(ranges);
}

function responseHeaders(headers: EffectivePolicy["securityHeaders"]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  if (headers.hsts.enabled) {
    let value = `max-age=${headers.hsts.maxAgeSeconds}`;
    if (headers.hsts.includeSubDomains) value += "; includeSubDomains";
    if (headers.hsts.preload) value += "; preload";
    result.push(["Strict-Transport-Security", value]);
  }
  if (headers.frameOptions !== "off") result.push(["X-Frame-Options", headers.frameOptions]);
  if (headers.contentTypeOptions !== "off") result.push(["X-Content-Type-Options", headers.contentTypeOptions]);
  if (headers.referrerPolicy !== "off") result.push(["Referrer-Policy", headers.referrerPolicy]);
  const features = Object.keys(headers.permissionsPolicy).sort();
  if (features.length > 0) {
    const value = features
      .map((feature) => {
        const allowlist = headers.permissionsPolicy[feature]!;
        if (allowlist.includes("*")) return `${feature}=*`;
        return `${feature}=(${allowlist.map((origin) => (origin === "self" ? "self" : `"${origin}"`)).join(" ")})`;
      })
      .join(", ");
    result.push(["Permissions-Policy", value]);
  }
  const csp = headers.contentSecurityPolicy;
  if (csp) {
    const value = CSP_DIRECTIVES.filter((directive) => csp.directives[directive] !== undefined)
      .map((directive) => [directive, ...csp.directives[directive]!].join(" "))
      .join("; ");
    result.push([csp.reportOnly ? "Content-Security-Policy-Report-Only" : "Content-Security-Policy", value]);
  }
  for (const [name, value] of Object.entries(headers.custom)) result.push([name, value]);
  return result.sort(([a], [b]) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
}

function sortMethods(methods: readonly string[]): HttpMethod[] {
  return HTTP_METHODS.filter((method) => methods.includes(method));
}

function sortedLower(values: readonly string[]): string[] {
  return [...new Set(values.map((value) => value.toLowerCase()))].sort();
}

/** For lists of rules that all apply (AND): sorted by their canonical form. */
function sortCanonical<T>(items: T[]): T[] {
  return sortBy(items, (item) => canonicalJson(item));
}

function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function dropUndefined(record: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Record<string, string>;
}
