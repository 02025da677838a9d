import { describe, expect, it } from "vitest";
import { applicationPolicy, baselinePolicy, exception } from "./__fixtures__/policy-fixtures";
import { diffPolicies } from "./diff-policies";

type Sections = Record<string, unknown>;

function baselineDiff(before: Sections, after: Sections) {
  return diffPolicies(baselinePolicy(before), baselinePolicy(after)).changes;
}

function applicationDiff(before: Sections, after: Sections) {
  return diffPolicies(applicationPolicy(before), applicationPolicy(after)).changes;
}

describe("diffPolicies", () => {
  it("finds nothing between identical versions", () => {
    expect(baselineDiff({}, {})).toEqual([]);
  });

  it("words an added exception the way a reviewer reads it", () => {
    expect(applicationDiff({}, { exceptions: [exception()] })).toEqual([
      {
        path: "$.exceptions[0]",
        kind: "added",
        after: expect.objectContaining({ id: "search-free-text" }),
        risk: "loosens",
        text: "adds an exception for sqli on parameter `q` of `GET /search`, expires 2027-01-31",
      },
    ]);
  });

  it("words a lowered deny level", () => {
    expect(baselineDiff({ denyRules: { xss: { level: "strict" } } }, { denyRules: { xss: { level: "standard" } } })).toEqual([
      { path: "$.denyRules.xss.level", kind: "changed", before: "strict", after: "standard", risk: "loosens", text: "lowers xss from strict to standard" },
    ]);
  });

  it.each<[string, Sections, Sections, string, string | undefined]>([
    ["raised deny level", {}, { denyRules: { sqli: { level: "strict" } } }, "raises sqli from standard to strict", "tightens"],
    ["block to log-only", {}, { denyRules: { sqli: { mode: "log-only" } } }, "switches sqli from block to log-only", "loosens"],
    ["virtual patch", {}, { virtualPatches: { log4shell: "log-only" } }, "switches the log4shell virtual patch from block to log-only", "loosens"],
    ["allowed method", { methods: { allowed: ["GET"] } }, { methods: { allowed: ["GET", "PUT"] } }, "allows method PUT", "loosens"],
    ["forbidden method", {}, { methods: { allowed: ["GET", "HEAD", "POST", "PUT", "PATCH", "OPTIONS"] } }, "forbids method DELETE", "tightens"],
    ["HSTS max-age", {}, { securityHeaders: { hsts: { maxAgeSeconds: 86_400 } } }, "lowers HSTS max-age from 1 year to 1 day", "loosens"],
    ["HSTS off", {}, { securityHeaders: { hsts: { enabled: false } } }, "disables HSTS", "loosens"],
    ["frame options", {}, { securityHeaders: { frameOptions: "SAMEORIGIN" } }, "weakens X-Frame-Options from DENY to SAMEORIGIN", "loosens"],
    [
      "referrer policy",
      {},
      { securityHeaders: { referrerPolicy: "unsafe-url" } },
      "changes Referrer-Policy from strict-origin-when-cross-origin to unsafe-url",
      "loosens",
    ],
    ["body limit", {}, { limits: { maxBodyBytes: 100 * 1024 * 1024 } }, "raises the request body size limit from 10 MiB to 100 MiB", "loosens"],
    ["TLS version", { tls: { minVersion: "1.3" } }, {}, "lowers the minimum TLS version from 1.3 to 1.2", "loosens"],
    ["cipher profile", {}, { tls: { cipherSuites: "modern" } }, "changes cipher suites from the intermediate profile to the modern profile", "tightens"],
    [
      "network widened",
      { ipAllow: { networks: { corp: ["10.0.0.0/8"] } } },
      { ipAllow: { networks: { corp: ["10.0.0.0/8", "0.0.0.0/0"] } } },
      "adds 0.0.0.0/0 to network `corp`",
      "loosens",
    ],
    [
      "IP rule",
      { ipAllow: { networks: { corp: ["10.0.0.0/8"] } } },
      { ipAllow: { networks: { corp: ["10.0.0.0/8"] }, rules: [{ paths: ["/admin/**"], allowFrom: ["corp"] }] } },
      "allows /admin/** only from corp",
      "tightens",
    ],
    ["country denied", {}, { geolocation: { denyCountries: ["KP"] } }, "blocks traffic from KP", "tightens"],
    ["country allowed", { geolocation: { allowCountries: ["DE"] } }, { geolocation: { allowCountries: ["DE", "FR"] } }, "allows traffic from FR", "loosens"],
    ["admin path", {}, { adminBlocking: { paths: ["/admin"] } }, "stops blocking admin path /actuator", "loosens"],
    [
      "authentication off",
      { authentication: { required: true, issuers: [{ issuer: "https://login.example.com/", jwksUrl: "https://login.example.com/jwks" }] } },
      { authentication: { required: false, issuers: [{ issuer: "https://login.example.com/", jwksUrl: "https://login.example.com/jwks" }] } },
      "stops requiring authentication",
      "loosens",
    ],
    [
      "public path",
      { authentication: { publicPaths: ["/health"] } },
      { authentication: { publicPaths: ["/health", "/docs/**"] } },
      "makes /docs/** public (no token required)",
      "loosens",
    ],
    ["threat list", {}, { threatIntel: { lists: [{ name: "botnets" }] } }, "subscribes to threat list `botnets` (block)", "tightens"],
    [
      "exception lifetime",
      {},
      { exceptionPolicy: { maxLifetimeDays: 30 } },
      "lowers the longest allowed exception lifetime from 180 days to 30 days",
      "tightens",
    ],
  ])("words a %s change", (_name, before, after, text, risk) => {
    const changes = baselineDiff(before, after);
    expect(changes).toContainEqual(expect.objectContaining({ text, ...(risk ? { risk } : {}) }));
  });

  it.each<[string, Sections, Sections, string, string | undefined]>([
    [
      "extended exception",
      { exceptions: [exception()] },
      { exceptions: [exception({ expires: "2027-03-31" })] },
      "extends the exception `search-free-text` (sqli on parameter `q` of `GET /search`) from 2027-01-31 to 2027-03-31",
      "loosens",
    ],
    [
      "shortened exception",
      { exceptions: [exception()] },
      { exceptions: [exception({ expires: "2027-01-15" })] },
      "shortens the exception `search-free-text` (sqli on parameter `q` of `GET /search`) from 2027-01-31 to 2027-01-15",
      "tightens",
    ],
    [
      "widened exception",
      { exceptions: [exception()] },
      { exceptions: [exception({ conditions: { paths: ["/search", "/find"] } })] },
      "changes the exception `search-free-text` from sqli on parameter `q` of `GET /search` to sqli on parameter `q` of `/search`, `/find`, expires 2027-01-31",
      "loosens",
    ],
    ["removed exception", { exceptions: [exception()] }, {}, "removes an exception for sqli on parameter `q` of `GET /search`, expires 2027-01-31", "tightens"],
    [
      "reworded justification",
      { exceptions: [exception()] },
      { exceptions: [exception({ justification: "Search accepts free text; reviewed with the security team." })] },
      "rewords the justification or ticket of the exception `search-free-text`",
      undefined,
    ],
    ["deny override", {}, { denyRules: { xss: { level: "strict" } } }, "sets xss to strict", "tightens"],
    ["dropped deny override", { denyRules: { xss: { level: "strict" } } }, {}, "stops overriding xss (was strict; the baseline applies)", "loosens"],
    ["method restriction", {}, { methods: { allowed: ["GET"] } }, "restricts methods to GET", "tightens"],
    [
      "CORS origin",
      { cors: { allowOrigins: ["https://a.example.com"] } },
      { cors: { allowOrigins: ["https://a.example.com", "https://b.example.com"] } },
      "allows cross-origin requests from https://b.example.com",
      "loosens",
    ],
    [
      "rate limit",
      { rateLimits: [{ id: "per-ip", key: "client-ip", requests: 100, windowSeconds: 60 }] },
      { rateLimits: [{ id: "per-ip", key: "client-ip", requests: 500, windowSeconds: 60 }] },
      "changes rate limit `per-ip`: 100 requests per 1 minute per client IP on /** to `per-ip`: 500 requests per 1 minute per client IP on /**",
      "loosens",
    ],
    [
      "CSP source",
      { securityHeaders: { contentSecurityPolicy: { directives: { "script-src": ["'self'"] } } } },
      { securityHeaders: { contentSecurityPolicy: { directives: { "script-src": ["'self'", "'unsafe-inline'"] } } } },
      "adds 'unsafe-inline' to CSP script-src",
      "loosens",
    ],
    ["upstream verification", { upstreamTls: {} }, { upstreamTls: { verify: false } }, "turns off upstream certificate verification", "loosens"],
    ["blocked upload extension", {}, { bodies: { blockedUploadExtensions: ["svg"] } }, "refuses uploads with the extension svg", "tightens"],
    ["dropped upload extension", { bodies: { blockedUploadExtensions: ["svg"] } }, {}, "stops refusing uploads with the extension svg", "loosens"],
  ])("words a %s change in an application policy", (_name, before, after, text, risk) => {
    const changes = applicationDiff(before, after);
    expect(changes).toContainEqual(expect.objectContaining({ text, ...(risk ? { risk } : {}) }));
    if (!risk) expect(changes.every((change) => change.risk === undefined)).toBe(true);
  });

  it("does not report reordered lists", () => {
    expect(baselineDiff({ methods: { allowed: ["GET", "POST"] } }, { methods: { allowed: ["POST", "GET"] } })).toEqual([]);
    expect(applicationDiff({ exceptions: [exception(), exception({ id: "b" })] }, { exceptions: [exception({ id: "b" }), exception()] })).toEqual([]);
  });

  it("reports OpenAPI changes per operation", () => {
    const spec = (paths: Record<string, unknown>) => ({ openapi: { spec: { openapi: "3.1.0", info: { title: "shop", version: "1" }, paths } } });
    const changes = applicationDiff(
      spec({ "/orders": { get: {}, post: {} } }),
      spec({ "/orders": { get: { parameters: [{ name: "limit", in: "query" }] } }, "/orders/{id}": { delete: {} } }),
    );
    expect(changes.map((change) => change.text)).toEqual([
      "removes the operation `POST /orders` from the OpenAPI specification",
      "changes the operation `GET /orders` in the OpenAPI specification",
      "adds the operation `DELETE /orders/{id}` to the OpenAPI specification",
    ]);
  });

  it("gives every change a JSON path and a sentence", () => {
    const changes = baselineDiff({}, { tls: { minVersion: "1.3" }, metadata: { name: "renamed" }, limits: { maxJsonDepth: 8 } });
    for (const change of changes) {
      expect(change.path).toMatch(/^\$\./);
      expect(change.text.length).toBeGreaterThan(5);
    }
  });
});
