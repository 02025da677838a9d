// Layering: baseline + application policy → effective policy. The application
// may only tighten; each attempt to loosen is an error naming the application
// field and the baseline rule it conflicts with, and all of them are reported
// together. Exceptions are the one sanctioned way to loosen: they must respect
// the baseline's exception policy, are flagged for review, and drop out once
// expired.

import type { ApplicationPolicy } from "./application-policy-schema";
import type { BaselinePolicy } from "./baseline-policy-schema";
import { canonicalJson } from "./canonical-json";
import { isRangeCovered, parseCidr, type IpRange } from "./cidr";
import { describeException } from "./describe-exception";
import type { EffectivePolicy, PolicySources, SettingOrigin } from "./effective-policy-schema";
import { pathPatternCovers, pathPatternsOverlap } from "./path-pattern";
import { daysBetween, isExpired, utcDate } from "./policy-dates";
import { formatJsonPath } from "./policy-error";
import { DENY_FAMILIES, DENY_LEVELS, VIRTUAL_PATCH_IDS, VIRTUAL_PATCH_MODES } from "./sections/deny-rules";
import { sortFamilies } from "./sections/content-profiles";
import { familyOfRuleId } from "./sections/exceptions";
import { isNetworkName } from "./sections/ip-allow";
import { ENFORCEMENT_MODES, TLS_VERSIONS } from "./sections/policy-fields";
import { CONTENT_ENCODING_MODES } from "./sections/request-bodies";
import { REQUEST_LIMITS, REQUEST_LIMIT_NAMES, UNINSPECTED_MODES } from "./sections/request-limits";
import { CONTENT_TYPE_OPTIONS, FRAME_OPTIONS, REFERRER_LEAKAGE } from "./sections/security-headers";
import { resolveCipherSuites } from "./sections/tls";
import { sha256Hex } from "./sha256";

export interface MergeError {
  /** The application policy field that was refused. */
  path: string;
  message: string;
  /** The baseline setting it conflicts with; null when the error is not a conflict (e.g. an unknown network name). */
  baselineRule: string | null;
}

export interface MergeOptions {
  /** Decides which exceptions have expired and how far away the others expire. */
  now: Date;
  /** The portal's PolicyVersion ids, carried into the effective policy and the bundle. */
  versions?: { baseline?: string; application?: string };
  /** Exceptions expiring within this many days are flagged as such. */
  expiryWarningDays?: number;
}

export type MergeResult = { ok: true; effective: EffectivePolicy } | { ok: false; errors: MergeError[] };

/** Default algorithms for an issuer the baseline does not declare. */
const DEFAULT_ALGORITHMS = ["RS256", "ES256"] as const;

export function mergePolicies(baseline: BaselinePolicy, application: ApplicationPolicy | null, options: MergeOptions): MergeResult {
  const merge = new Merge(baseline, application, options);
  const effective = merge.run();
  return merge.errors.length > 0 ? { ok: false, errors: merge.errors } : { ok: true, effective };
}

class Merge {
  readonly errors: MergeError[] = [];
  private readonly fromApplication = new Set<string>();
  private readonly flags: EffectivePolicy["flags"] = [];
  private readonly dropped: EffectivePolicy["droppedExceptions"] = [];

  constructor(
    private readonly b: BaselinePolicy,
    private readonly a: ApplicationPolicy | null,
    private readonly options: MergeOptions,
  ) {}

  run(): EffectivePolicy {
    const b = structuredClone(this.b);
    const methods = this.methods(b);
    const effective: Omit<EffectivePolicy, "origins" | "flags" | "droppedExceptions"> = {
      kind: "EffectivePolicy",
      sources: this.sources(),
      tls: this.tls(b),
      upstreamTls: this.upstreamTls(),
      ipAllow: this.ipAllow(b),
      methods,
      allow: this.allowRoutes(methods.allowed),
      denyRules: this.denyRules(b),
      virtualPatches: this.virtualPatches(b),
      adminBlocking: this.adminBlocking(b),
      securityHeaders: this.securityHeaders(b),
      cors: this.cors(methods.allowed),
      authentication: this.authentication(b),
      geolocation: this.geolocation(b),
      threatIntel: this.threatIntel(b),
      limits: this.limits(b),
      bodies: this.bodies(b),
      rateLimits: [],
      openapi: this.openapi(methods.allowed),
      exceptionPolicy: b.exceptionPolicy,
      // A family the baseline makes non-exempt admits no exception, and a content field's relaxation is one.
      contentProfiles: { allowRelax: sortFamilies(b.contentProfiles.allowRelax.filter((family) => !b.exceptionPolicy.nonExemptFamilies.includes(family))) },
      exceptions: this.exceptions(b),
    };
    effective.rateLimits = this.rateLimits(effective.authentication.issuers.length > 0);
    const withoutOrigins = { ...effective, flags: this.flags, droppedExceptions: this.dropped };
    return { ...withoutOrigins, origins: this.origins(withoutOrigins) };
  }

  private refuse(path: string, message: string, baselineRule: string | null): void {
    this.errors.push({ path, message, baselineRule });
  }

  private fromApp(path: string): void {
    this.fromApplication.add(path);
  }

  private sources(): PolicySources {
    const hash = (document: unknown) => `sha256:${sha256Hex(canonicalJson(document))}`;
    return {
      baseline: {
        name: this.b.metadata.name,
        environment: this.b.metadata.environment ?? null,
        contentHash: hash(this.b),
        versionId: this.options.versions?.baseline ?? null,
      },
      application: this.a
        ? {
            application: this.a.metadata.application,
            applicationVersion: this.a.metadata.applicationVersion,
            contentHash: hash(this.a),
            versionId: this.options.versions?.application ?? null,
          }
        : null,
    };
  }

  private tls(b: BaselinePolicy): EffectivePolicy["tls"] {
    const tls = b.tls;
    const override = this.a?.tls;
    if (override?.minVersion !== undefined) {
      if (TLS_VERSIONS.indexOf(override.minVersion) < TLS_VERSIONS.indexOf(tls.minVersion)) {
        this.refuse("$.tls.minVersion", `cannot lower the minimum TLS version from ${tls.minVersion} to ${override.minVersion}`, "$.tls.minVersion");
      } else {
        tls.minVersion = override.minVersion;
        this.fromApp("$.tls.minVersion");
      }
    }
    if (override?.cipherSuites !== undefined) {
      const allowed = new Set(resolveCipherSuites(tls.cipherSuites));
      const extra = resolveCipherSuites(override.cipherSuites).filter((suite) => !allowed.has(suite));
      if (extra.length > 0) {
        this.refuse("$.tls.cipherSuites", `allows cipher suites the baseline does not: ${extra.join(", ")}`, "$.tls.cipherSuites");
      } else {
        tls.cipherSuites = override.cipherSuites;
        this.fromApp("$.tls.cipherSuites");
      }
    }
    return tls;
  }

  private upstreamTls(): EffectivePolicy["upstreamTls"] {
    const upstream = this.a?.upstreamTls;
    if (!upstream) return null;
    this.fromApp("$.upstreamTls");
    if (upstream.enabled && !upstream.verify) {
      this.flags.push({ path: "$.upstreamTls.verify", message: "upstream TLS certificate verification is turned off" });
    }
    if (!upstream.enabled) {
      this.flags.push({ path: "$.upstreamTls.enabled", message: "traffic to the upstream is not encrypted" });
    }
    return upstream;
  }

  private methods(b: BaselinePolicy): EffectivePolicy["methods"] {
    const override = this.a?.methods;
    if (!override) return b.methods;
    const allowed = new Set(b.methods.allowed);
    let loosened = false;
    override.allowed.forEach((method, index) => {
      if (!allowed.has(method)) {
        loosened = true;
        this.refuse(`$.methods.allowed[${index}]`, `allows method ${method}, which the baseline forbids`, "$.methods.allowed");
      }
    });
    if (loosened) return b.methods;
    this.fromApp("$.methods");
    return { allowed: override.allowed };
  }

  private refuseMethods(methods: readonly string[], allowed: readonly string[], path: string, what: string): void {
    methods.forEach((method, index) => {
      if (!allowed.includes(method)) {
        this.refuse(`${path}[${index}]`, `${what} method ${method}, which the effective policy forbids`, "$.methods.allowed");
      }
    });
  }

  private allowRoutes(allowed: readonly string[]): EffectivePolicy["allow"] {
    const routes = this.a?.allow;
    if (!routes) return null;
    routes.forEach((route, index) => this.refuseMethods(route.methods, allowed, `$.allow[${index}].methods`, `route ${route.path} allows`));
    this.fromApp("$.allow");
    return routes;
  }

  private denyRules(b: BaselinePolicy): EffectivePolicy["denyRules"] {
    const rules = b.denyRules;
    for (const family of DENY_FAMILIES) {
      const override = this.a?.denyRules?.[family];
      const base = rules[family];
      if (override?.level !== undefined) {
        if (DENY_LEVELS.indexOf(override.level) < DENY_LEVELS.indexOf(base.level)) {
          this.refuse(
            `$.denyRules.${family}.level`,
            `cannot lower ${family} from ${base.level} to ${override.level}; the baseline requires at least ${base.level}`,
            `$.denyRules.${family}.level`,
          );
        } else {
          base.level = override.level;
          this.fromApp(`$.denyRules.${family}.level`);
        }
      }
      if (override?.mode !== undefined) {
        if (ENFORCEMENT_MODES.indexOf(override.mode) < ENFORCEMENT_MODES.indexOf(base.mode)) {
          this.refuse(
            `$.denyRules.${family}.mode`,
            `cannot switch ${family} from ${base.mode} to ${override.mode}; use an exception for a specific false positive`,
            `$.denyRules.${family}.mode`,
          );
        } else {
          base.mode = override.mode;
          this.fromApp(`$.denyRules.${family}.mode`);
        }
      }
    }
    return rules;
  }

  private virtualPatches(b: BaselinePolicy): EffectivePolicy["virtualPatches"] {
    const patches = b.virtualPatches;
    for (const id of VIRTUAL_PATCH_IDS) {
      const override = this.a?.virtualPatches?.[id];
      if (override === undefined) continue;
      if (VIRTUAL_PATCH_MODES.indexOf(override) < VIRTUAL_PATCH_MODES.indexOf(patches[id])) {
        this.refuse(`$.virtualPatches.${id}`, `cannot switch the ${id} virtual patch from ${patches[id]} to ${override}`, `$.virtualPatches.${id}`);
      } else {
        patches[id] = override;
        this.fromApp(`$.virtualPatches.${id}`);
      }
    }
    return patches;
  }

  private adminBlocking(b: BaselinePolicy): EffectivePolicy["adminBlocking"] {
    const blocking = b.adminBlocking;
    const override = this.a?.adminBlocking;
    if (override?.enabled === false && blocking.enabled) {
      this.refuse("$.adminBlocking.enabled", "cannot turn off admin-interface blocking the baseline enables", "$.adminBlocking.enabled");
    } else if (override?.enabled === true && !blocking.enabled) {
      blocking.enabled = true;
      this.fromApp("$.adminBlocking.enabled");
    }
    for (const path of override?.paths ?? []) {
      if (blocking.paths.includes(path)) continue;
      blocking.paths.push(path);
      this.fromApp(`$.adminBlocking.paths[${blocking.paths.length - 1}]`);
    }
    return blocking;
  }

  private securityHeaders(b: BaselinePolicy): EffectivePolicy["securityHeaders"] {
    const base = b.securityHeaders;
    const override = this.a?.securityHeaders;
    const headers: EffectivePolicy["securityHeaders"] = {
      ...base,
      contentSecurityPolicy: override?.contentSecurityPolicy ?? null,
      custom: override?.custom ?? {},
    };
    if (override?.contentSecurityPolicy) this.fromApp("$.securityHeaders.contentSecurityPolicy");
    if (override?.custom) this.fromApp("$.securityHeaders.custom");

    const hsts = override?.hsts;
    if (hsts?.enabled !== undefined) {
      if (!hsts.enabled && base.hsts.enabled) {
        this.refuse("$.securityHeaders.hsts.enabled", "cannot disable HSTS, which the baseline sets", "$.securityHeaders.hsts.enabled");
      } else {
        headers.hsts.enabled = hsts.enabled;
        this.fromApp("$.securityHeaders.hsts.enabled");
      }
    }
    if (hsts?.maxAgeSeconds !== undefined) {
      if (hsts.maxAgeSeconds < base.hsts.maxAgeSeconds) {
        this.refuse(
          "$.securityHeaders.hsts.maxAgeSeconds",
          `cannot lower HSTS max-age from ${base.hsts.maxAgeSeconds} to ${hsts.maxAgeSeconds} seconds`,
          "$.securityHeaders.hsts.maxAgeSeconds",
        );
      } else {
        headers.hsts.maxAgeSeconds = hsts.maxAgeSeconds;
        this.fromApp("$.securityHeaders.hsts.maxAgeSeconds");
      }
    }
    for (const flag of ["includeSubDomains", "preload"] as const) {
      const value = hsts?.[flag];
      if (value === undefined) continue;
      if (!value && base.hsts[flag]) {
        this.refuse(`$.securityHeaders.hsts.${flag}`, `cannot turn off HSTS ${flag}, which the baseline sets`, `$.securityHeaders.hsts.${flag}`);
      } else {
        headers.hsts[flag] = value;
        this.fromApp(`$.securityHeaders.hsts.${flag}`);
      }
    }
    this.orderedHeader(override?.frameOptions, base.frameOptions, FRAME_OPTIONS, "frameOptions", "X-Frame-Options", (value) => {
      headers.frameOptions = value;
    });
    this.orderedHeader(override?.contentTypeOptions, base.contentTypeOptions, CONTENT_TYPE_OPTIONS, "contentTypeOptions", "X-Content-Type-Options", (value) => {
      headers.contentTypeOptions = value;
    });
    const referrer = override?.referrerPolicy;
    if (referrer !== undefined) {
      const mine = REFERRER_LEAKAGE[referrer];
      const theirs = REFERRER_LEAKAGE[base.referrerPolicy];
      if (mine.some((sent, index) => sent > theirs[index]!)) {
        this.refuse(
          "$.securityHeaders.referrerPolicy",
          `Referrer-Policy ${referrer} can send more than the baseline's ${base.referrerPolicy}`,
          "$.securityHeaders.referrerPolicy",
        );
      } else {
        headers.referrerPolicy = referrer;
        this.fromApp("$.securityHeaders.referrerPolicy");
      }
    }
    const permissions = { ...base.permissionsPolicy };
    for (const [feature, allowlist] of Object.entries(override?.permissionsPolicy ?? {})) {
      const baseList = base.permissionsPolicy[feature];
      const path = `$.securityHeaders.permissionsPolicy${formatJsonPath([feature]).slice(1)}`;
      if (baseList && !baseList.includes("*")) {
        const extra = allowlist.filter((origin) => !baseList.includes(origin));
        if (extra.length > 0) {
          this.refuse(path, `Permissions-Policy ${feature} allows ${extra.join(", ")}, which the baseline does not`, path);
          continue;
        }
      }
      permissions[feature] = allowlist;
      this.fromApp(path);
    }
    headers.permissionsPolicy = permissions;
    return headers;
  }

  private orderedHeader<T extends string>(value: T | undefined, base: T, order: readonly T[], field: string, header: string, apply: (value: T) => void): void {
    if (value === undefined) return;
    if (order.indexOf(value) < order.indexOf(base)) {
      this.refuse(`$.securityHeaders.${field}`, `cannot weaken ${header} from ${base} to ${value}`, `$.securityHeaders.${field}`);
      return;
    }
    apply(value);
    this.fromApp(`$.securityHeaders.${field}`);
  }

  private ipAllow(b: BaselinePolicy): EffectivePolicy["ipAllow"] {
    const override = this.a?.ipAllow;
    const networks = { ...b.ipAllow.networks };
    const rules = [...b.ipAllow.rules];
    if (!override) return { networks, rules };

    for (const [name, cidrs] of Object.entries(override.networks)) {
      const existing = b.ipAllow.networks[name];
      if (existing && canonicalJson([...existing].sort()) !== canonicalJson([...cidrs].sort())) {
        const path = `$.ipAllow.networks${formatJsonPath([name]).slice(1)}`;
        this.refuse(path, `redefines network "${name}", which the baseline declares; choose another name`, path);
        continue;
      }
      networks[name] = cidrs;
      if (!existing) this.fromApp(`$.ipAllow.networks${formatJsonPath([name]).slice(1)}`);
    }

    const resolve = (refs: readonly string[], path: string): Array<{ ref: string; range: IpRange; index: number }> | undefined => {
      const resolved: Array<{ ref: string; range: IpRange; index: number }> = [];
      let ok = true;
      refs.forEach((ref, index) => {
        const cidrs = isNetworkName(ref) ? networks[ref] : [ref];
        if (!cidrs) {
          ok = false;
          this.refuse(`${path}[${index}]`, `network "${ref}" is declared in neither policy`, null);
          return;
        }
        for (const cidr of cidrs) {
          const parsed = parseCidr(cidr);
          if (parsed.ok) resolved.push({ ref, range: parsed.range, index });
        }
      });
      return ok ? resolved : undefined;
    };

    const baseRules = b.ipAllow.rules.map((rule, index) => ({ rule, index, ranges: resolve(rule.allowFrom, "$.ipAllow.rules") ?? [] }));
    override.rules.forEach((rule, ruleIndex) => {
      const path = `$.ipAllow.rules[${ruleIndex}].allowFrom`;
      const resolved = resolve(rule.allowFrom, path);
      if (!resolved) return;
      let widened = false;
      for (const base of baseRules) {
        const overlaps = rule.paths.some((mine) => base.rule.paths.some((theirs) => pathPatternsOverlap(mine, theirs)));
        if (!overlaps) continue;
        const outer = base.ranges.map((entry) => entry.range);
        const reported = new Set<number>();
        for (const entry of resolved) {
          if (reported.has(entry.index) || isRangeCovered(entry.range, outer)) continue;
          reported.add(entry.index);
          widened = true;
          this.refuse(
            `${path}[${entry.index}]`,
            `allows ${entry.ref} on ${rule.paths.join(", ")}, outside the baseline's allow list for ${base.rule.paths.join(", ")} (${base.rule.allowFrom.join(", ")})`,
            `$.ipAllow.rules[${base.index}]`,
          );
        }
      }
      if (!widened) {
        rules.push(rule);
        this.fromApp(`$.ipAllow.rules[${rules.length - 1}]`);
      }
    });
    return { networks, rules };
  }

  private geolocation(b: BaselinePolicy): EffectivePolicy["geolocation"] {
    const base = b.geolocation;
    const override = this.a?.geolocation;
    if (!override) return base;
    const baseAllows = (country: string) => (base.allowCountries ? base.allowCountries.includes(country) : !base.denyCountries?.includes(country));
    if (override.allowCountries) {
      let widened = false;
      override.allowCountries.forEach((country, index) => {
        if (baseAllows(country)) return;
        widened = true;
        this.refuse(
          `$.geolocation.allowCountries[${index}]`,
          `allows traffic from ${country}, which the baseline ${base.allowCountries ? "does not allow" : "denies"}`,
          base.allowCountries ? "$.geolocation.allowCountries" : "$.geolocation.denyCountries",
        );
      });
      if (widened) return base;
      this.fromApp("$.geolocation");
      return { allowCountries: override.allowCountries };
    }
    if (override.denyCountries) {
      this.fromApp("$.geolocation");
      if (base.allowCountries) {
        return { allowCountries: base.allowCountries.filter((country) => !override.denyCountries!.includes(country)) };
      }
      return { denyCountries: [...new Set([...(base.denyCountries ?? []), ...override.denyCountries])] };
    }
    return base;
  }

  private threatIntel(b: BaselinePolicy): EffectivePolicy["threatIntel"] {
    const intel = b.threatIntel;
    const override = this.a?.threatIntel;
    if (!override) return intel;
    override.lists.forEach((list, index) => {
      const existing = intel.lists.findIndex((entry) => entry.name === list.name);
      if (existing === -1) {
        intel.lists.push(list);
        this.fromApp(`$.threatIntel.lists[${intel.lists.length - 1}]`);
      } else if (ENFORCEMENT_MODES.indexOf(list.mode) < ENFORCEMENT_MODES.indexOf(intel.lists[existing]!.mode)) {
        this.refuse(
          `$.threatIntel.lists[${index}].mode`,
          `cannot switch threat list "${list.name}" from ${intel.lists[existing]!.mode} to ${list.mode}`,
          `$.threatIntel.lists[${existing}].mode`,
        );
      } else {
        intel.lists[existing] = list;
        this.fromApp(`$.threatIntel.lists[${existing}]`);
      }
    });
    for (const cidr of override.denyNetworks) {
      if (intel.denyNetworks.includes(cidr)) continue;
      intel.denyNetworks.push(cidr);
      this.fromApp(`$.threatIntel.denyNetworks[${intel.denyNetworks.length - 1}]`);
    }
    return intel;
  }

  private limits(b: BaselinePolicy): EffectivePolicy["limits"] {
    const limits = b.limits;
    for (const name of REQUEST_LIMIT_NAMES) {
      const value = this.a?.limits?.[name];
      if (value === undefined) continue;
      if (value > limits[name]) {
        this.refuse(`$.limits.${name}`, `cannot raise the ${REQUEST_LIMITS[name].label} limit from ${limits[name]} to ${value}`, `$.limits.${name}`);
      } else {
        limits[name] = value;
        this.fromApp(`$.limits.${name}`);
      }
    }
    const uninspected = this.a?.limits?.uninspected;
    if (uninspected !== undefined) {
      if (UNINSPECTED_MODES.indexOf(uninspected) > UNINSPECTED_MODES.indexOf(limits.uninspected)) {
        this.refuse(
          "$.limits.uninspected",
          `cannot let uninspected requests through ("${uninspected}") where the baseline refuses them`,
          "$.limits.uninspected",
        );
      } else {
        limits.uninspected = uninspected;
        this.fromApp("$.limits.uninspected");
      }
    }
    return limits;
  }

  private bodies(b: BaselinePolicy): EffectivePolicy["bodies"] {
    const bodies: EffectivePolicy["bodies"] = {
      contentEncoding: b.bodies.contentEncoding,
      xmlDoctype: "refuse",
      blockedUploadExtensions: [...b.bodies.blockedUploadExtensions],
    };
    const override = this.a?.bodies;
    // Added to the baseline's list, never replacing it: an application cannot unblock a file type.
    for (const extension of override?.blockedUploadExtensions ?? []) {
      if (bodies.blockedUploadExtensions.includes(extension)) continue;
      bodies.blockedUploadExtensions.push(extension);
      this.fromApp(`$.bodies.blockedUploadExtensions[${bodies.blockedUploadExtensions.length - 1}]`);
    }
    if (override?.contentEncoding !== undefined) {
      if (CONTENT_ENCODING_MODES.indexOf(override.contentEncoding) < CONTENT_ENCODING_MODES.indexOf(bodies.contentEncoding)) {
        this.refuse(
          "$.bodies.contentEncoding",
          `cannot accept compressed bodies ("${override.contentEncoding}") where the baseline refuses them`,
          "$.bodies.contentEncoding",
        );
      } else {
        bodies.contentEncoding = override.contentEncoding;
        this.fromApp("$.bodies.contentEncoding");
      }
    }
    if (override?.xmlDoctype !== undefined) {
      bodies.xmlDoctype = override.xmlDoctype;
      this.fromApp("$.bodies.xmlDoctype");
      if (override.xmlDoctype === "allow") {
        this.flags.push({
          path: "$.bodies.xmlDoctype",
          message: "XML bodies may carry document type declarations (internal subsets, external entities); needs security review",
        });
      }
    }
    return bodies;
  }

  private authentication(b: BaselinePolicy): EffectivePolicy["authentication"] {
    const base = b.authentication;
    const verification = this.a?.tokenVerification;
    const result: EffectivePolicy["authentication"] = {
      required: base.required,
      issuers: base.issuers,
      publicPaths: base.publicPaths,
      rules: [],
      clockSkewSeconds: base.clockSkewSeconds,
    };
    if (!verification) return result;
    const path = "$.tokenVerification";

    if (!verification.required && base.required) {
      this.refuse(`${path}.required`, "cannot turn off authentication, which the baseline requires", "$.authentication.required");
    } else {
      result.required = verification.required || base.required;
      if (verification.required && !base.required) this.fromApp("$.authentication.required");
    }

    result.issuers = [];
    verification.issuers.forEach((issuer, index) => {
      const issuerPath = `${path}.issuers[${index}]`;
      const baseIndex = base.issuers.findIndex((entry) => entry.issuer === issuer.issuer);
      const declared = base.issuers[baseIndex];
      if (!declared) {
        if (base.required) {
          this.refuse(`${issuerPath}.issuer`, `trusts issuer ${issuer.issuer}, which is not among the baseline's trusted issuers`, "$.authentication.issuers");
          return;
        }
        if (issuer.jwksUrl === undefined && issuer.keys === undefined) {
          this.refuse(`${issuerPath}.jwksUrl`, `give jwksUrl or keys: the baseline does not declare issuer ${issuer.issuer}`, null);
          return;
        }
        result.issuers.push({ ...issuer, algorithms: issuer.algorithms ?? [...DEFAULT_ALGORITHMS] });
        return;
      }
      const declaredPath = `$.authentication.issuers[${baseIndex}]`;
      const replacesKeys =
        (issuer.jwksUrl !== undefined && issuer.jwksUrl !== declared.jwksUrl) ||
        (issuer.keys !== undefined && canonicalJson(issuer.keys) !== canonicalJson(declared.keys ?? null));
      if (replacesKeys) {
        this.refuse(
          `${issuerPath}.${issuer.keys ? "keys" : "jwksUrl"}`,
          `cannot replace the signing keys of issuer ${issuer.issuer}, which the baseline declares`,
          declaredPath,
        );
        return;
      }
      const extraAlgorithms = (issuer.algorithms ?? []).filter((algorithm) => !declared.algorithms.includes(algorithm));
      if (extraAlgorithms.length > 0) {
        this.refuse(
          `${issuerPath}.algorithms`,
          `allows algorithms the baseline does not for this issuer: ${extraAlgorithms.join(", ")}`,
          `${declaredPath}.algorithms`,
        );
        return;
      }
      if (declared.audiences.length > 0) {
        const extraAudiences = issuer.audiences.filter((audience) => !declared.audiences.includes(audience));
        if (extraAudiences.length > 0) {
          this.refuse(`${issuerPath}.audiences`, `accepts audiences the baseline does not: ${extraAudiences.join(", ")}`, `${declaredPath}.audiences`);
          return;
        }
      }
      result.issuers.push({
        issuer: issuer.issuer,
        audiences: issuer.audiences,
        ...(declared.jwksUrl !== undefined ? { jwksUrl: declared.jwksUrl } : {}),
        ...(declared.keys !== undefined ? { keys: declared.keys } : {}),
        algorithms: issuer.algorithms ?? declared.algorithms,
      });
    });
    this.fromApp("$.authentication.issuers");

    if (verification.publicPaths !== undefined) {
      let widened = false;
      if (base.required) {
        verification.publicPaths.forEach((publicPath, index) => {
          if (base.publicPaths.some((allowed) => pathPatternCovers(allowed, publicPath))) return;
          widened = true;
          this.refuse(
            `${path}.publicPaths[${index}]`,
            `makes ${publicPath} public, but the baseline requires authentication there`,
            "$.authentication.publicPaths",
          );
        });
      }
      if (!widened) {
        result.publicPaths = verification.publicPaths;
        this.fromApp("$.authentication.publicPaths");
      }
    }

    result.rules = verification.rules;
    if (verification.rules.length > 0) this.fromApp("$.authentication.rules");

    if (verification.clockSkewSeconds !== undefined) {
      if (verification.clockSkewSeconds > base.clockSkewSeconds) {
        this.refuse(
          `${path}.clockSkewSeconds`,
          `cannot raise the accepted clock skew from ${base.clockSkewSeconds} to ${verification.clockSkewSeconds} seconds`,
          "$.authentication.clockSkewSeconds",
        );
      } else {
        result.clockSkewSeconds = verification.clockSkewSeconds;
        this.fromApp("$.authentication.clockSkewSeconds");
      }
    }
    return result;
  }

  private cors(allowed: readonly string[]): EffectivePolicy["cors"] {
    const cors = this.a?.cors;
    if (!cors) return null;
    this.refuseMethods(cors.allowMethods, allowed, "$.cors.allowMethods", "CORS allows");
    this.fromApp("$.cors");
    return cors;
  }

  private openapi(allowed: readonly string[]): EffectivePolicy["openapi"] {
    const openapi = this.a?.openapi;
    if (!openapi) return null;
    for (const [template, item] of Object.entries(openapi.spec.paths)) {
      for (const method of Object.keys(item)) {
        const upper = method.toUpperCase();
        if (method !== method.toLowerCase() || !isOperationMethod(method)) continue;
        if (!allowed.includes(upper)) {
          this.refuse(
            `$.openapi.spec.paths${formatJsonPath([template, method]).slice(1)}`,
            `the OpenAPI operation ${upper} ${template} uses a method the effective policy forbids`,
            "$.methods.allowed",
          );
        }
      }
    }
    this.fromApp("$.openapi");
    return openapi;
  }

  private exceptions(b: BaselinePolicy): EffectivePolicy["exceptions"] {
    const kept: EffectivePolicy["exceptions"] = [];
    const today = utcDate(this.options.now);
    const warningDays = this.options.expiryWarningDays ?? 14;
    (this.a?.exceptions ?? []).forEach((exception, index) => {
      const path = `$.exceptions[${index}]`;
      if (isExpired(exception.expires, this.options.now)) {
        this.dropped.push({
          id: exception.id,
          expires: exception.expires,
          message: `${describeException(exception)}: expired, no longer applied`,
        });
        return;
      }
      const family = exception.family ?? familyOfRuleId(exception.ruleId!);
      if (b.exceptionPolicy.nonExemptFamilies.includes(family)) {
        this.refuse(
          `${path}.${exception.family ? "family" : "ruleId"}`,
          `the baseline allows no exceptions for ${family}`,
          "$.exceptionPolicy.nonExemptFamilies",
        );
        return;
      }
      const daysLeft = daysBetween(today, exception.expires);
      if (daysLeft > b.exceptionPolicy.maxLifetimeDays) {
        this.refuse(
          `${path}.expires`,
          `expires ${exception.expires}, ${daysLeft} days from today; the baseline allows exceptions of at most ${b.exceptionPolicy.maxLifetimeDays} days`,
          "$.exceptionPolicy.maxLifetimeDays",
        );
        return;
      }
      kept.push(exception);
      const effectivePath = `$.exceptions[${kept.length - 1}]`;
      this.fromApp(effectivePath);
      const soon = daysLeft <= warningDays ? ` (expires in ${daysLeft} day${daysLeft === 1 ? "" : "s"})` : "";
      this.flags.push({ path: effectivePath, message: `${describeException(exception)}${soon}; needs security review` });
    });
    return kept;
  }

  private rateLimits(hasIssuers: boolean): EffectivePolicy["rateLimits"] {
    const limits = this.a?.rateLimits ?? [];
    limits.forEach((limit, index) => {
      if (limit.key === "token-subject" && !hasIssuers) {
        this.refuse(`$.rateLimits[${index}].key`, "a token-subject rate limit needs token verification (no issuer is configured)", null);
      }
    });
    if (limits.length > 0) this.fromApp("$.rateLimits");
    return limits;
  }

  /** Leaf settings → origin. Lists of objects get one entry per item; an OpenAPI spec counts as one setting. */
  private origins(effective: Omit<EffectivePolicy, "origins">): Record<string, SettingOrigin> {
    const origins: Record<string, SettingOrigin> = {};
    const applicationPaths = [...this.fromApplication];
    const originOf = (path: string): SettingOrigin =>
      applicationPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)) ? "application" : "baseline";
    const visit = (value: unknown, path: string): void => {
      const isContainer = value !== null && typeof value === "object";
      const isEmpty = isContainer && Object.keys(value).length === 0;
      if (!isContainer || isEmpty || path === "$.openapi.spec") {
        origins[path] = originOf(path);
        return;
      }
      if (Array.isArray(value)) {
        value.forEach((item, index) => {
          origins[`${path}[${index}]`] = originOf(`${path}[${index}]`);
        });
        return;
      }
      for (const [key, item] of Object.entries(value)) visit(item, `${path}${formatJsonPath([key]).slice(1)}`);
    };
    const bookkeeping = new Set(["kind", "sources", "flags", "droppedExceptions"]);
    visit(Object.fromEntries(Object.entries(effective).filter(([key]) => !bookkeeping.has(key))), "$");
    return origins;
  }
}

const OPERATION_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
function isOperationMethod(method: string): boolean {
  return OPERATION_METHODS.has(method);
}
