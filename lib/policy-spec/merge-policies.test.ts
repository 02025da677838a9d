import { describe, expect, it } from "vitest";
import { NOW, applicationPolicy, baselinePolicy, exception } from "./__fixtures__/policy-fixtures";
import type { EffectivePolicy } from "./effective-policy-schema";
import { mergePolicies } from "./merge-policies";
import { parsePolicyDocument } from "./parse-policy-document";
import { DEFAULT_BLOCKED_UPLOAD_EXTENSIONS } from "./sections/request-bodies";
import { settingOrigin } from "./setting-origin";

type Sections = Record<string, unknown>;

function merge(baseline: Sections, application: Sections, now = NOW) {
  return mergePolicies(baselinePolicy(baseline), applicationPolicy(application), { now });
}

function effectiveOf(baseline: Sections, application: Sections): EffectivePolicy {
  const result = merge(baseline, application);
  if (!result.ok) throw new Error(`expected the merge to succeed: ${JSON.stringify(result.errors, null, 2)}`);
  return result.effective;
}

function valueAt(effective: EffectivePolicy, path: string): unknown {
  const segments = path.replace(/^\$\.?/, "").match(/[^.[\]"]+/g) ?? [];
  return segments.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], effective);
}

const ISSUER = "https://login.example.com/";
const OTHER_ISSUER = "https://partner.example.net/";
const JWKS = "https://login.example.com/.well-known/jwks.json";
const requiredAuth = {
  authentication: {
    required: true,
    issuers: [
      { issuer: ISSUER, jwksUrl: JWKS, algorithms: ["RS256", "ES256"] },
      { issuer: OTHER_ISSUER, jwksUrl: "https://partner.example.net/jwks" },
    ],
    publicPaths: ["/health", "/docs/**"],
    clockSkewSeconds: 60,
  },
};

// Each row: a baseline, an application policy that tightens it, and a setting
// of the effective policy that must now hold the application's value.
const TIGHTENINGS: Array<[string, Sections, Sections, string, unknown]> = [
  ["raises the minimum TLS version", {}, { tls: { minVersion: "1.3" } }, "$.tls.minVersion", "1.3"],
  ["narrows the cipher suites to the modern profile", {}, { tls: { cipherSuites: "modern" } }, "$.tls.cipherSuites", "modern"],
  [
    "narrows the cipher suites to an explicit subset",
    {},
    { tls: { cipherSuites: ["TLS_AES_256_GCM_SHA384"] } },
    "$.tls.cipherSuites",
    ["TLS_AES_256_GCM_SHA384"],
  ],
  ["allows fewer methods", {}, { methods: { allowed: ["GET", "POST"] } }, "$.methods.allowed", ["GET", "POST"]],
  ["raises a deny level", {}, { denyRules: { sqli: { level: "strict" } } }, "$.denyRules.sqli.level", "strict"],
  [
    "switches a family from log-only to block",
    { denyRules: { xss: { mode: "log-only" } } },
    { denyRules: { xss: { mode: "block" } } },
    "$.denyRules.xss.mode",
    "block",
  ],
  [
    "switches a virtual patch from log-only to block",
    { virtualPatches: { log4shell: "log-only" } },
    { virtualPatches: { log4shell: "block" } },
    "$.virtualPatches.log4shell",
    "block",
  ],
  ["blocks more admin paths", {}, { adminBlocking: { paths: ["/ops"] } }, "$.adminBlocking.paths[10]", "/ops"],
  [
    "turns on admin blocking the baseline left off",
    { adminBlocking: { enabled: false } },
    { adminBlocking: { enabled: true } },
    "$.adminBlocking.enabled",
    true,
  ],
  ["raises HSTS max-age", {}, { securityHeaders: { hsts: { maxAgeSeconds: 63_072_000 } } }, "$.securityHeaders.hsts.maxAgeSeconds", 63_072_000],
  ["turns on HSTS preload", {}, { securityHeaders: { hsts: { preload: true } } }, "$.securityHeaders.hsts.preload", true],
  [
    "enables HSTS the baseline left off",
    { securityHeaders: { hsts: { enabled: false } } },
    { securityHeaders: { hsts: { enabled: true } } },
    "$.securityHeaders.hsts.enabled",
    true,
  ],
  [
    "tightens X-Frame-Options",
    { securityHeaders: { frameOptions: "SAMEORIGIN" } },
    { securityHeaders: { frameOptions: "DENY" } },
    "$.securityHeaders.frameOptions",
    "DENY",
  ],
  [
    "sets X-Content-Type-Options the baseline left off",
    { securityHeaders: { contentTypeOptions: "off" } },
    { securityHeaders: { contentTypeOptions: "nosniff" } },
    "$.securityHeaders.contentTypeOptions",
    "nosniff",
  ],
  ["sends less in Referer", {}, { securityHeaders: { referrerPolicy: "same-origin" } }, "$.securityHeaders.referrerPolicy", "same-origin"],
  [
    "narrows a Permissions-Policy allowlist",
    { securityHeaders: { permissionsPolicy: { payment: ["self", "https://pay.example.com"] } } },
    { securityHeaders: { permissionsPolicy: { payment: ["self"] } } },
    "$.securityHeaders.permissionsPolicy.payment",
    ["self"],
  ],
  [
    "restricts a feature the baseline does not mention",
    {},
    { securityHeaders: { permissionsPolicy: { usb: [] } } },
    "$.securityHeaders.permissionsPolicy.usb",
    [],
  ],
  [
    "allows a path only from a sub-range of the baseline's network",
    { ipAllow: { networks: { corp: ["10.0.0.0/8", "2001:db8::/32"] }, rules: [{ paths: ["/**"], allowFrom: ["corp"] }] } },
    { ipAllow: { rules: [{ paths: ["/api/**"], allowFrom: ["10.1.0.0/16", "2001:db8:1::/48"] }] } },
    "$.ipAllow.rules[1].allowFrom",
    ["10.1.0.0/16", "2001:db8:1::/48"],
  ],
  [
    "adds an IP allow rule where the baseline has none",
    {},
    { ipAllow: { networks: { ops: ["192.0.2.0/24"] }, rules: [{ paths: ["/ops/**"], allowFrom: ["ops"] }] } },
    "$.ipAllow.rules[0].allowFrom",
    ["ops"],
  ],
  [
    "narrows the country allow list",
    { geolocation: { allowCountries: ["DE", "FR", "NL"] } },
    { geolocation: { allowCountries: ["DE"] } },
    "$.geolocation.allowCountries",
    ["DE"],
  ],
  [
    "denies more countries",
    { geolocation: { denyCountries: ["KP"] } },
    { geolocation: { denyCountries: ["RU"] } },
    "$.geolocation.denyCountries",
    ["KP", "RU"],
  ],
  [
    "denies a country out of the baseline's allow list",
    { geolocation: { allowCountries: ["DE", "FR"] } },
    { geolocation: { denyCountries: ["FR"] } },
    "$.geolocation.allowCountries",
    ["DE"],
  ],
  [
    "blocks a threat list the baseline only logs",
    { threatIntel: { lists: [{ name: "tor-exit-nodes", mode: "log-only" }] } },
    { threatIntel: { lists: [{ name: "tor-exit-nodes", mode: "block" }] } },
    "$.threatIntel.lists[0].mode",
    "block",
  ],
  ["subscribes to another threat list", {}, { threatIntel: { lists: [{ name: "botnets" }] } }, "$.threatIntel.lists[0].name", "botnets"],
  ["lowers a request limit", {}, { limits: { maxBodyBytes: 65_536 } }, "$.limits.maxBodyBytes", 65_536],
  [
    "refuses uninspected requests the baseline only logs",
    { limits: { uninspected: "log" } },
    { limits: { uninspected: "refuse" } },
    "$.limits.uninspected",
    "refuse",
  ],
  ["refuses compressed bodies the baseline decodes", {}, { bodies: { contentEncoding: "refuse" } }, "$.bodies.contentEncoding", "refuse"],
  ["allows XML document type declarations (its own setting, flagged)", {}, { bodies: { xmlDoctype: "allow" } }, "$.bodies.xmlDoctype", "allow"],
  [
    "blocks uploads with one more extension",
    {},
    { bodies: { blockedUploadExtensions: ["svg"] } },
    `$.bodies.blockedUploadExtensions[${DEFAULT_BLOCKED_UPLOAD_EXTENSIONS.length}]`,
    "svg",
  ],
  [
    "requires authentication the baseline does not",
    {},
    { tokenVerification: { issuers: [{ issuer: ISSUER, audiences: ["shop"], jwksUrl: JWKS }] } },
    "$.authentication.required",
    true,
  ],
  [
    "narrows the baseline's issuers, audience and algorithms",
    requiredAuth,
    { tokenVerification: { issuers: [{ issuer: ISSUER, audiences: ["shop"], algorithms: ["ES256"] }] } },
    "$.authentication.issuers",
    [{ issuer: ISSUER, audiences: ["shop"], jwksUrl: JWKS, algorithms: ["ES256"] }],
  ],
  [
    "makes fewer paths public",
    requiredAuth,
    { tokenVerification: { issuers: [{ issuer: ISSUER, audiences: ["shop"] }], publicPaths: ["/docs/api"] } },
    "$.authentication.publicPaths",
    ["/docs/api"],
  ],
  [
    "accepts less clock skew",
    requiredAuth,
    { tokenVerification: { issuers: [{ issuer: ISSUER, audiences: ["shop"] }], clockSkewSeconds: 10 } },
    "$.authentication.clockSkewSeconds",
    10,
  ],
];

describe("mergePolicies: every tightening is allowed", () => {
  it.each(TIGHTENINGS)("%s", (_name, baseline, application, path, expected) => {
    const effective = effectiveOf(baseline, application);
    expect(valueAt(effective, path)).toEqual(expected);
    expect(settingOrigin(effective, path)).toBe("application");
  });
});

// Each row: a baseline, an application policy that tries to loosen it, the
// application field that must be refused and the baseline rule it conflicts with.
const LOOSENINGS: Array<[string, Sections, Sections, string, string, RegExp]> = [
  [
    "lowers the minimum TLS version",
    { tls: { minVersion: "1.3" } },
    { tls: { minVersion: "1.2" } },
    "$.tls.minVersion",
    "$.tls.minVersion",
    /cannot lower the minimum TLS version from 1\.3 to 1\.2/,
  ],
  [
    "widens the cipher suites",
    { tls: { cipherSuites: "modern" } },
    { tls: { cipherSuites: "intermediate" } },
    "$.tls.cipherSuites",
    "$.tls.cipherSuites",
    /ECDHE-ECDSA-AES128-GCM-SHA256/,
  ],
  [
    "allows a method the baseline forbids",
    {},
    { methods: { allowed: ["GET", "TRACE"] } },
    "$.methods.allowed[1]",
    "$.methods.allowed",
    /allows method TRACE, which the baseline forbids/,
  ],
  [
    "lowers a deny level",
    { denyRules: { xss: { level: "strict" } } },
    { denyRules: { xss: { level: "standard" } } },
    "$.denyRules.xss.level",
    "$.denyRules.xss.level",
    /cannot lower xss from strict to standard/,
  ],
  [
    "switches a family from block to log-only",
    {},
    { denyRules: { sqli: { mode: "log-only" } } },
    "$.denyRules.sqli.mode",
    "$.denyRules.sqli.mode",
    /cannot switch sqli from block to log-only/,
  ],
  [
    "turns off a virtual patch",
    {},
    { virtualPatches: { log4shell: "off" } },
    "$.virtualPatches.log4shell",
    "$.virtualPatches.log4shell",
    /log4shell virtual patch from block to off/,
  ],
  [
    "turns off admin blocking",
    {},
    { adminBlocking: { enabled: false } },
    "$.adminBlocking.enabled",
    "$.adminBlocking.enabled",
    /cannot turn off admin-interface blocking/,
  ],
  [
    "disables HSTS",
    {},
    { securityHeaders: { hsts: { enabled: false } } },
    "$.securityHeaders.hsts.enabled",
    "$.securityHeaders.hsts.enabled",
    /cannot disable HSTS/,
  ],
  [
    "lowers HSTS max-age",
    {},
    { securityHeaders: { hsts: { maxAgeSeconds: 86_400 } } },
    "$.securityHeaders.hsts.maxAgeSeconds",
    "$.securityHeaders.hsts.maxAgeSeconds",
    /cannot lower HSTS max-age/,
  ],
  [
    "drops HSTS includeSubDomains",
    {},
    { securityHeaders: { hsts: { includeSubDomains: false } } },
    "$.securityHeaders.hsts.includeSubDomains",
    "$.securityHeaders.hsts.includeSubDomains",
    /includeSubDomains/,
  ],
  [
    "drops HSTS preload",
    { securityHeaders: { hsts: { preload: true } } },
    { securityHeaders: { hsts: { preload: false } } },
    "$.securityHeaders.hsts.preload",
    "$.securityHeaders.hsts.preload",
    /preload/,
  ],
  [
    "weakens X-Frame-Options",
    {},
    { securityHeaders: { frameOptions: "SAMEORIGIN" } },
    "$.securityHeaders.frameOptions",
    "$.securityHeaders.frameOptions",
    /X-Frame-Options from DENY to SAMEORIGIN/,
  ],
  [
    "removes X-Content-Type-Options",
    {},
    { securityHeaders: { contentTypeOptions: "off" } },
    "$.securityHeaders.contentTypeOptions",
    "$.securityHeaders.contentTypeOptions",
    /X-Content-Type-Options from nosniff to off/,
  ],
  [
    "leaks more in Referer",
    { securityHeaders: { referrerPolicy: "no-referrer" } },
    { securityHeaders: { referrerPolicy: "origin" } },
    "$.securityHeaders.referrerPolicy",
    "$.securityHeaders.referrerPolicy",
    /can send more/,
  ],
  [
    "allows a feature the baseline disables",
    {},
    { securityHeaders: { permissionsPolicy: { camera: ["self"] } } },
    "$.securityHeaders.permissionsPolicy.camera",
    "$.securityHeaders.permissionsPolicy.camera",
    /camera allows self/,
  ],
  [
    "widens an IP allow list",
    { ipAllow: { networks: { corp: ["10.0.0.0/8"] }, rules: [{ paths: ["/**"], allowFrom: ["corp"] }] } },
    { ipAllow: { rules: [{ paths: ["/api/**"], allowFrom: ["0.0.0.0/0"] }] } },
    "$.ipAllow.rules[0].allowFrom[0]",
    "$.ipAllow.rules[0]",
    /allows 0\.0\.0\.0\/0 on \/api\/\*\*, outside the baseline's allow list for \/\*\* \(corp\)/,
  ],
  [
    "redefines a baseline network",
    { ipAllow: { networks: { corp: ["10.0.0.0/8"] }, rules: [{ allowFrom: ["corp"] }] } },
    { ipAllow: { networks: { corp: ["0.0.0.0/0"] } } },
    "$.ipAllow.networks.corp",
    "$.ipAllow.networks.corp",
    /redefines network "corp"/,
  ],
  [
    "allows a country outside the baseline's allow list",
    { geolocation: { allowCountries: ["DE"] } },
    { geolocation: { allowCountries: ["DE", "US"] } },
    "$.geolocation.allowCountries[1]",
    "$.geolocation.allowCountries",
    /allows traffic from US, which the baseline does not allow/,
  ],
  [
    "allows a country the baseline denies",
    { geolocation: { denyCountries: ["KP"] } },
    { geolocation: { allowCountries: ["KP"] } },
    "$.geolocation.allowCountries[0]",
    "$.geolocation.denyCountries",
    /allows traffic from KP, which the baseline denies/,
  ],
  [
    "only logs a threat list the baseline blocks",
    { threatIntel: { lists: [{ name: "botnets" }] } },
    { threatIntel: { lists: [{ name: "botnets", mode: "log-only" }] } },
    "$.threatIntel.lists[0].mode",
    "$.threatIntel.lists[0].mode",
    /from block to log-only/,
  ],
  [
    "raises a request limit",
    {},
    { limits: { maxBodyBytes: 100 * 1024 * 1024 } },
    "$.limits.maxBodyBytes",
    "$.limits.maxBodyBytes",
    /cannot raise the request body size limit/,
  ],
  [
    "lets uninspected requests through where the baseline refuses them",
    {},
    { limits: { uninspected: "log" } },
    "$.limits.uninspected",
    "$.limits.uninspected",
    /cannot let uninspected requests through/,
  ],
  [
    "decodes compressed bodies the baseline refuses",
    { bodies: { contentEncoding: "refuse" } },
    { bodies: { contentEncoding: "decode" } },
    "$.bodies.contentEncoding",
    "$.bodies.contentEncoding",
    /cannot accept compressed bodies/,
  ],
  [
    "turns off required authentication",
    requiredAuth,
    { tokenVerification: { required: false, issuers: [{ issuer: ISSUER, audiences: ["shop"] }] } },
    "$.tokenVerification.required",
    "$.authentication.required",
    /cannot turn off authentication/,
  ],
  [
    "trusts an issuer the baseline does not",
    requiredAuth,
    { tokenVerification: { issuers: [{ issuer: "https://evil.example.org/", audiences: ["shop"], jwksUrl: "https://evil.example.org/jwks" }] } },
    "$.tokenVerification.issuers[0].issuer",
    "$.authentication.issuers",
    /not among the baseline's trusted issuers/,
  ],
  [
    "replaces a baseline issuer's keys",
    requiredAuth,
    { tokenVerification: { issuers: [{ issuer: ISSUER, audiences: ["shop"], jwksUrl: "https://evil.example.org/jwks" }] } },
    "$.tokenVerification.issuers[0].jwksUrl",
    "$.authentication.issuers[0]",
    /cannot replace the signing keys/,
  ],
  [
    "accepts an algorithm the baseline does not",
    requiredAuth,
    { tokenVerification: { issuers: [{ issuer: ISSUER, audiences: ["shop"], algorithms: ["PS512"] }] } },
    "$.tokenVerification.issuers[0].algorithms",
    "$.authentication.issuers[0].algorithms",
    /PS512/,
  ],
  [
    "makes a protected path public",
    requiredAuth,
    { tokenVerification: { issuers: [{ issuer: ISSUER, audiences: ["shop"] }], publicPaths: ["/api/**"] } },
    "$.tokenVerification.publicPaths[0]",
    "$.authentication.publicPaths",
    /makes \/api\/\*\* public/,
  ],
  [
    "accepts more clock skew",
    requiredAuth,
    { tokenVerification: { issuers: [{ issuer: ISSUER, audiences: ["shop"] }], clockSkewSeconds: 300 } },
    "$.tokenVerification.clockSkewSeconds",
    "$.authentication.clockSkewSeconds",
    /clock skew/,
  ],
  [
    "serves a route with a forbidden method",
    {},
    { allow: [{ path: "/debug", methods: ["GET", "TRACE"] }] },
    "$.allow[0].methods[1]",
    "$.methods.allowed",
    /TRACE/,
  ],
  [
    "allows a forbidden method over CORS",
    { methods: { allowed: ["GET", "POST"] } },
    { cors: { allowOrigins: ["https://shop.example.com"], allowMethods: ["GET", "DELETE"] } },
    "$.cors.allowMethods[1]",
    "$.methods.allowed",
    /DELETE/,
  ],
  [
    "describes a forbidden method in its OpenAPI spec",
    {},
    { openapi: { spec: { openapi: "3.1.0", info: { title: "shop", version: "1" }, paths: { "/debug": { trace: {} } } } } },
    '$.openapi.spec.paths["/debug"].trace',
    "$.methods.allowed",
    /TRACE \/debug/,
  ],
  [
    "excepts itself from a non-exempt family",
    { exceptionPolicy: { nonExemptFamilies: ["java"] } },
    { exceptions: [exception({ family: "java" })] },
    "$.exceptions[0].family",
    "$.exceptionPolicy.nonExemptFamilies",
    /no exceptions for java/,
  ],
  [
    "excepts itself by rule id from a non-exempt family",
    { exceptionPolicy: { nonExemptFamilies: ["java"] } },
    { exceptions: [exception({ family: undefined, ruleId: "java.jndi-lookup" })] },
    "$.exceptions[0].ruleId",
    "$.exceptionPolicy.nonExemptFamilies",
    /no exceptions for java/,
  ],
  [
    "keeps an exception longer than the baseline allows",
    { exceptionPolicy: { maxLifetimeDays: 30 } },
    { exceptions: [exception({ expires: "2027-06-30" })] },
    "$.exceptions[0].expires",
    "$.exceptionPolicy.maxLifetimeDays",
    /at most 30 days/,
  ],
];

describe("mergePolicies: every loosening is refused", () => {
  it.each(LOOSENINGS)("%s", (_name, baseline, application, path, baselineRule, message) => {
    const result = merge(baseline, application);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual({ path, baselineRule, message: expect.stringMatching(message) });
  });

  it("reports every loosening of a policy at once", () => {
    const result = merge(
      {},
      {
        denyRules: { sqli: { mode: "log-only" }, xss: { level: "basic" } },
        methods: { allowed: ["CONNECT"] },
        limits: { maxJsonDepth: 1000 },
      },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.map((error) => error.path)).toEqual([
        "$.methods.allowed[0]",
        "$.denyRules.sqli.mode",
        "$.denyRules.xss.level",
        "$.limits.maxJsonDepth",
      ]);
    }
  });
});

describe("mergePolicies: other refusals", () => {
  it.each<[string, Sections, Sections, string, RegExp]>([
    ["an undeclared network", {}, { ipAllow: { rules: [{ allowFrom: ["nowhere"] }] } }, "$.ipAllow.rules[0].allowFrom[0]", /declared in neither policy/],
    [
      "an unknown issuer without keys",
      {},
      { tokenVerification: { issuers: [{ issuer: ISSUER, audiences: ["shop"] }] } },
      "$.tokenVerification.issuers[0].jwksUrl",
      /give jwksUrl or keys/,
    ],
    [
      "a token-subject rate limit without token verification",
      {},
      { rateLimits: [{ id: "per-user", key: "token-subject", requests: 10, windowSeconds: 60 }] },
      "$.rateLimits[0].key",
      /needs token verification/,
    ],
  ])("refuses %s", (_name, baseline, application, path, message) => {
    const result = merge(baseline, application);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual({ path, baselineRule: null, message: expect.stringMatching(message) });
  });

  it("uses a network the baseline declares", () => {
    const effective = effectiveOf({ ipAllow: { networks: { corp: ["10.0.0.0/8"] } } }, { ipAllow: { rules: [{ paths: ["/admin/**"], allowFrom: ["corp"] }] } });
    expect(effective.ipAllow.rules).toEqual([{ paths: ["/admin/**"], allowFrom: ["corp"] }]);
  });
});

describe("mergePolicies: exceptions", () => {
  it("keeps an unexpired exception and flags it for review", () => {
    const effective = effectiveOf({}, { exceptions: [exception()] });
    expect(effective.exceptions.map((entry) => entry.id)).toEqual(["search-free-text"]);
    expect(effective.flags).toEqual([
      {
        path: "$.exceptions[0]",
        message: "an exception for sqli on parameter `q` of `GET /search`, expires 2027-01-31; needs security review",
      },
    ]);
    expect(effective.origins["$.exceptions[0]"]).toBe("application");
  });

  it("drops an expired exception and reports it as dropped", () => {
    const effective = effectiveOf({}, { exceptions: [exception({ expires: "2026-11-30" }), exception({ id: "still-valid" })] });
    expect(effective.exceptions.map((entry) => entry.id)).toEqual(["still-valid"]);
    expect(effective.droppedExceptions).toEqual([
      {
        id: "search-free-text",
        expires: "2026-11-30",
        message: "an exception for sqli on parameter `q` of `GET /search`, expires 2026-11-30: expired, no longer applied",
      },
    ]);
  });

  it("honours an exception through the end of its expiry day (UTC)", () => {
    const lastDay = merge({}, { exceptions: [exception({ expires: "2026-12-01" })] }, new Date("2026-12-01T23:59:59Z"));
    const nextDay = merge({}, { exceptions: [exception({ expires: "2026-12-01" })] }, new Date("2026-12-02T00:00:00Z"));
    expect(lastDay.ok && lastDay.effective.exceptions).toHaveLength(1);
    expect(nextDay.ok && nextDay.effective.exceptions).toHaveLength(0);
  });

  it("does not refuse an expired exception for a non-exempt family, it just drops it", () => {
    const effective = effectiveOf({ exceptionPolicy: { nonExemptFamilies: ["sqli"] } }, { exceptions: [exception({ expires: "2026-01-01" })] });
    expect(effective.droppedExceptions).toHaveLength(1);
  });

  it("flags an exception that expires soon", () => {
    const effective = effectiveOf({}, { exceptions: [exception({ expires: "2026-12-05" })] });
    expect(effective.flags[0]?.message).toMatch(/\(expires in 4 days\); needs security review$/);
  });
});

describe("mergePolicies: the effective policy", () => {
  it("is the baseline alone when the application has no policy", () => {
    const result = mergePolicies(baselinePolicy(), null, { now: NOW });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.effective.sources.application).toBeNull();
    expect(Object.values(result.effective.origins).every((origin) => origin === "baseline")).toBe(true);
    expect(result.effective.exceptions).toEqual([]);
  });

  it("records where each setting came from", () => {
    const effective = effectiveOf({}, { denyRules: { sqli: { level: "strict" } }, cors: { allowOrigins: ["https://shop.example.com"] } });
    expect(effective.origins["$.denyRules.sqli.level"]).toBe("application");
    expect(effective.origins["$.denyRules.sqli.mode"]).toBe("baseline");
    expect(effective.origins["$.denyRules.xss.level"]).toBe("baseline");
    expect(effective.origins["$.cors.allowOrigins[0]"]).toBe("application");
    expect(effective.origins["$.securityHeaders.hsts.maxAgeSeconds"]).toBe("baseline");
  });

  it("carries content hashes and portal version ids of both sources", () => {
    const result = mergePolicies(baselinePolicy(), applicationPolicy(), { now: NOW, versions: { baseline: "pv_1", application: "pv_2" } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.effective.sources.baseline).toMatchObject({
      name: "test-baseline",
      versionId: "pv_1",
      contentHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(result.effective.sources.application).toMatchObject({ application: "shop", applicationVersion: "1.0.0", versionId: "pv_2" });
  });

  it("does not modify its inputs", () => {
    const baseline = baselinePolicy();
    const application = applicationPolicy({ denyRules: { sqli: { level: "strict" } }, adminBlocking: { paths: ["/ops"] } });
    const before = JSON.stringify([baseline, application]);
    mergePolicies(baseline, application, { now: NOW });
    expect(JSON.stringify([baseline, application])).toBe(before);
  });

  it("flags disabled upstream certificate verification", () => {
    const effective = effectiveOf({}, { upstreamTls: { verify: false } });
    expect(effective.flags).toContainEqual({ path: "$.upstreamTls.verify", message: "upstream TLS certificate verification is turned off" });
  });

  it("refuses what it could not inspect and XML document type declarations unless a policy says otherwise", () => {
    const effective = effectiveOf({}, {});
    expect(effective.limits.uninspected).toBe("refuse");
    expect(effective.bodies).toEqual({ contentEncoding: "decode", xmlDoctype: "refuse", blockedUploadExtensions: [...DEFAULT_BLOCKED_UPLOAD_EXTENSIONS] });
    expect(effective.flags).toEqual([]);
  });

  it("adds an application's blocked upload extensions to the baseline's and can take none off", () => {
    const effective = effectiveOf({ bodies: { blockedUploadExtensions: ["php", "exe"] } }, { bodies: { blockedUploadExtensions: ["svg", "php"] } });
    expect(effective.bodies.blockedUploadExtensions).toEqual(["php", "exe", "svg"]);
    expect(settingOrigin(effective, "$.bodies.blockedUploadExtensions[0]")).toBe("baseline");
    expect(settingOrigin(effective, "$.bodies.blockedUploadExtensions[2]")).toBe("application");
    // an empty list in the application is nothing added, not a removal
    expect(effectiveOf({}, { bodies: { blockedUploadExtensions: [] } }).bodies.blockedUploadExtensions).toEqual([...DEFAULT_BLOCKED_UPLOAD_EXTENSIONS]);
    // a baseline may choose its own list, even none
    expect(effectiveOf({ bodies: { blockedUploadExtensions: [] } }, {}).bodies.blockedUploadExtensions).toEqual([]);
  });

  it.each([".php", "PHP", "tar.gz", "", "php php"])("refuses the blocked upload extension %j with its path", (extension) => {
    const result = parsePolicyDocument(
      { apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name: "b" }, bodies: { blockedUploadExtensions: ["exe", extension] } },
      { kind: "BaselinePolicy" },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain("$.bodies.blockedUploadExtensions[1]");
  });

  it("refuses an upload extension listed twice", () => {
    const result = parsePolicyDocument(
      {
        apiVersion: "rampart.dev/v1alpha1",
        kind: "ApplicationPolicy",
        metadata: { application: "a", applicationVersion: "1.0.0" },
        bodies: { blockedUploadExtensions: ["svg", "svg"] },
      },
      { kind: "ApplicationPolicy" },
    );
    expect(result.ok).toBe(false);
  });

  it("flags an application that allows XML document type declarations", () => {
    const effective = effectiveOf({}, { bodies: { xmlDoctype: "allow" } });
    expect(effective.flags).toContainEqual({
      path: "$.bodies.xmlDoctype",
      message: expect.stringMatching(/document type declarations.*needs security review/),
    });
  });
});
