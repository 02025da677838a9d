import { describe, expect, it } from "vitest";
import { parsePolicyDocument } from "./parse-policy-document";

const BASELINE = { apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name: "org" } };
const APPLICATION = {
  apiVersion: "rampart.dev/v1alpha1",
  kind: "ApplicationPolicy",
  metadata: { application: "shop", applicationVersion: "1.0.0" },
};

function errorsOf(document: Record<string, unknown>) {
  const result = parsePolicyDocument(document);
  if (result.ok) throw new Error("expected the document to be refused");
  return result.errors.map(({ path, message }) => ({ path, message }));
}

describe("baseline policy schema", () => {
  it("accepts the minimal document and fills in the protective defaults", () => {
    const result = parsePolicyDocument(BASELINE, { kind: "BaselinePolicy" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const policy = result.policy;
    expect(policy.denyRules.sqli).toEqual({ level: "standard", mode: "block" });
    expect(Object.values(policy.denyRules).every((rule) => rule.level === "standard" && rule.mode === "block")).toBe(true);
    expect(policy.virtualPatches.log4shell).toBe("block");
    expect(policy.methods.allowed).toEqual(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
    expect(policy.securityHeaders.hsts).toEqual({ enabled: true, maxAgeSeconds: 31_536_000, includeSubDomains: true, preload: false });
    expect(policy.adminBlocking.paths).toContain("/.git");
    expect(policy.authentication.required).toBe(false);
    expect(policy.geolocation).toEqual({});
    expect(policy.tls).toEqual({ minVersion: "1.2", cipherSuites: "intermediate", certificates: [] });
  });

  it('reads an unquoted YAML 1.2 as TLS version "1.2"', () => {
    const result = parsePolicyDocument(BASELINE_YAML("tls:\n  minVersion: 1.3\n"));
    expect(result.ok && result.policy.kind === "BaselinePolicy" && result.policy.tls.minVersion).toBe("1.3");
  });

  it("reads the country code NO as Norway, not as false", () => {
    const result = parsePolicyDocument(BASELINE_YAML("geolocation:\n  denyCountries: [NO]\n"));
    expect(result.ok && result.policy.kind === "BaselinePolicy" && result.policy.geolocation.denyCountries).toEqual(["NO"]);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["an unknown top-level field", { denyrules: {} }, "$.denyrules", /unknown field "denyrules"; did you mean "denyRules"/],
    ["an unknown deny family", { denyRules: { sqlinjection: { level: "strict" } } }, "$.denyRules.sqlinjection", /unknown field/],
    [
      "an unknown deny level",
      { denyRules: { xss: { level: "paranoid" } } },
      "$.denyRules.xss.level",
      /must be one of "basic", "standard", "strict" \(got "paranoid"\)/,
    ],
    ["a wrong-case mode", { denyRules: { xss: { mode: "Block" } } }, "$.denyRules.xss.mode", /did you mean "block"/],
    ["an unknown method", { methods: { allowed: ["GET", "FETCH"] } }, "$.methods.allowed[1]", /must be one of/],
    ["a duplicate method", { methods: { allowed: ["GET", "GET"] } }, "$.methods.allowed[1]", /duplicate method "GET"/],
    ["an empty method list", { methods: { allowed: [] } }, "$.methods.allowed", /at least one method/],
    ["a CIDR with host bits", { ipAllow: { networks: { office: ["10.0.0.1/8"] } } }, "$.ipAllow.networks.office[0]", /did you mean 10\.0\.0\.0\/8/],
    ["an IPv6 CIDR out of range", { ipAllow: { networks: { office: ["2001:db8::/129"] } } }, "$.ipAllow.networks.office[0]", /prefix length/],
    ["an undeclared network", { ipAllow: { rules: [{ allowFrom: ["office"] }] } }, "$.ipAllow.rules[0].allowFrom[0]", /not declared/],
    ["a bad path pattern", { adminBlocking: { paths: ["admin"] } }, "$.adminBlocking.paths[0]", /must start with "\/"/],
    ["a non-ISO country", { geolocation: { denyCountries: ["UK"] } }, "$.geolocation.denyCountries[0]", /did you mean GB/],
    [
      "both country lists",
      { geolocation: { allowCountries: ["DE"], denyCountries: ["FR"] } },
      "$.geolocation.denyCountries",
      /either allowCountries or denyCountries/,
    ],
    ["an unknown TLS version", { tls: { minVersion: "1.1" } }, "$.tls.minVersion", /"1\.2" or "1\.3"/],
    ["an unknown cipher", { tls: { cipherSuites: ["RC4-SHA"] } }, "$.tls.cipherSuites", /profile .* or a list/],
    ["a bad certificate ref", { tls: { certificates: [{ ref: "/etc/cert.pem" }] } }, "$.tls.certificates[0].ref", /secret:<name>/],
    ["required authentication without issuers", { authentication: { required: true } }, "$.authentication.issuers", /at least one trusted issuer/],
    [
      "an http issuer",
      { authentication: { issuers: [{ issuer: "http://login", jwksUrl: "https://login/jwks" }] } },
      "$.authentication.issuers[0].issuer",
      /https:\/\//,
    ],
    [
      "an issuer with both key sources",
      {
        authentication: {
          issuers: [{ issuer: "https://login.example.com", jwksUrl: "https://login.example.com/jwks", keys: [{ kty: "OKP", crv: "Ed25519", x: "abc" }] }],
        },
      },
      "$.authentication.issuers[0].jwksUrl",
      /exactly one of jwksUrl or keys/,
    ],
    ["a negative limit", { limits: { maxBodyBytes: -1 } }, "$.limits.maxBodyBytes", /at least 1/],
    ["a fractional limit", { limits: { maxJsonDepth: 2.5 } }, "$.limits.maxJsonDepth", /whole number/],
    ["an unknown virtual patch", { virtualPatches: { heartbleed: "block" } }, "$.virtualPatches.heartbleed", /unknown field/],
    ["an HSTS max-age over two years", { securityHeaders: { hsts: { maxAgeSeconds: 999_999_999 } } }, "$.securityHeaders.hsts.maxAgeSeconds", /two years/],
    ["a missing metadata name", { metadata: {} }, "$.metadata.name", /required field is missing/],
    ["a wrong apiVersion", { apiVersion: "v1" }, "$.apiVersion", /rampart\.dev\/v1alpha1/],
  ])("refuses %s with a path to the field", (_name, sections, path, message) => {
    const errors = errorsOf({ ...BASELINE, ...sections });
    expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it("reports every error of a document at once", () => {
    const errors = errorsOf({
      ...BASELINE,
      denyRules: { sqli: { level: "extreme" }, xss: { mode: "off" } },
      methods: { allowed: ["get"] },
      limits: { maxBodyBytes: 0 },
      surprise: true,
    });
    expect(errors.map((error) => error.path)).toEqual(
      expect.arrayContaining(["$.denyRules.sqli.level", "$.denyRules.xss.mode", "$.methods.allowed[0]", "$.limits.maxBodyBytes", "$.surprise"]),
    );
  });
});

describe("application policy schema", () => {
  it("accepts the minimal document; absent sections mean inherit", () => {
    const result = parsePolicyDocument(APPLICATION, { kind: "ApplicationPolicy" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.denyRules).toBeUndefined();
    expect(result.policy.exceptions).toEqual([]);
    expect(result.policy.rateLimits).toEqual([]);
  });

  const validException = {
    id: "search",
    family: "sqli",
    part: "parameter",
    name: "q",
    conditions: { paths: ["/search"] },
    justification: "Free-text search takes SQL keywords.",
    expires: "2027-01-31",
  };

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      "an exception without justification",
      { exceptions: [{ ...validException, justification: "because" }] },
      "$.exceptions[0].justification",
      /at least 20 characters/,
    ],
    ["an exception with an impossible date", { exceptions: [{ ...validException, expires: "2027-02-30" }] }, "$.exceptions[0].expires", /YYYY-MM-DD/],
    [
      "an exception with family and rule id",
      { exceptions: [{ ...validException, ruleId: "sqli.union-select" }] },
      "$.exceptions[0].family",
      /exactly one of family or ruleId/,
    ],
    [
      "an exception with a foreign rule id",
      { exceptions: [{ ...validException, family: undefined, ruleId: "942100" }] },
      "$.exceptions[0].ruleId",
      /unknown rule id "942100"/,
    ],
    ["a parameter exception without a name", { exceptions: [{ ...validException, name: undefined }] }, "$.exceptions[0].name", /needs the parameter name/],
    [
      "a json-pointer exception without a pointer",
      { exceptions: [{ ...validException, part: "json-pointer", name: undefined }] },
      "$.exceptions[0].pointer",
      /needs a pointer/,
    ],
    [
      "a malformed JSON pointer",
      { exceptions: [{ ...validException, part: "json-pointer", name: undefined, pointer: "customer.name" }] },
      "$.exceptions[0].pointer",
      /JSON pointer/,
    ],
    [
      "an exception without paths",
      { exceptions: [{ ...validException, conditions: { paths: [] } }] },
      "$.exceptions[0].conditions.paths",
      /must name the paths/,
    ],
    [
      "an exception for an unknown request part",
      { exceptions: [{ ...validException, part: "body" }] },
      "$.exceptions[0].part",
      /must be one of "header", "parameter", "path", "json-pointer", "cookie"/,
    ],
    ["duplicate exception ids", { exceptions: [validException, validException] }, "$.exceptions[1].id", /duplicate exception id/],
    [
      "a custom header that bypasses a managed one",
      { securityHeaders: { custom: { "Strict-Transport-Security": "max-age=0" } } },
      '$.securityHeaders.custom["Strict-Transport-Security"]',
      /managed by its own securityHeaders field/,
    ],
    [
      "a header value with a line break",
      { securityHeaders: { custom: { "X-Team": "a\r\nSet-Cookie: x" } } },
      '$.securityHeaders.custom["X-Team"]',
      /line breaks/,
    ],
    [
      "an unknown CSP directive",
      { securityHeaders: { contentSecurityPolicy: { directives: { "script-source": ["'self'"] } } } },
      '$.securityHeaders.contentSecurityPolicy.directives["script-source"]',
      /unknown field|must be one of/,
    ],
    ["CORS * with credentials", { cors: { allowOrigins: ["*"], allowCredentials: true } }, "$.cors.allowOrigins", /cannot be "\*"/],
    ["a CORS origin with a path", { cors: { allowOrigins: ["https://shop.example.com/app"] } }, "$.cors.allowOrigins[0]", /no path/],
    [
      "token verification without audience",
      { tokenVerification: { issuers: [{ issuer: "https://login.example.com/", audiences: [] }] } },
      "$.tokenVerification.issuers[0].audiences",
      /audience/,
    ],
    [
      "an HMAC algorithm",
      { tokenVerification: { issuers: [{ issuer: "https://login.example.com/", audiences: ["a"], algorithms: ["HS256"] }] } },
      "$.tokenVerification.issuers[0].algorithms[0]",
      /must be one of/,
    ],
    [
      "a private JWK",
      {
        tokenVerification: {
          issuers: [{ issuer: "https://login.example.com/", audiences: ["a"], keys: [{ kty: "OKP", crv: "Ed25519", x: "abc", d: "secret" }] }],
        },
      },
      "$.tokenVerification.issuers[0].keys[0].d",
      /private key material/,
    ],
    [
      "a symmetric JWK",
      { tokenVerification: { issuers: [{ issuer: "https://login.example.com/", audiences: ["a"], keys: [{ kty: "oct", k: "c2VjcmV0" }] }] } },
      "$.tokenVerification.issuers[0].keys[0].kty",
      /symmetric/,
    ],
    ["a rate limit with an unknown key", { rateLimits: [{ id: "x", key: "cookie", requests: 1, windowSeconds: 1 }] }, "$.rateLimits[0].key", /client-ip/],
    [
      "an OpenAPI 2 document",
      { openapi: { spec: { swagger: "2.0", openapi: "2.0", info: { title: "x", version: "1" }, paths: {} } } },
      "$.openapi.spec.openapi",
      /3\.0\.x or 3\.1\.x/,
    ],
    [
      "an OpenAPI parameter style its location does not allow",
      {
        openapi: {
          spec: {
            openapi: "3.1.0",
            info: { title: "x", version: "1" },
            paths: { "/a": { get: { parameters: [{ name: "id", in: "header", style: "form" }] } } },
          },
        },
      },
      '$.openapi.spec.paths["/a"].get.parameters[0].style',
      /not allowed for header parameters \(allowed: simple\)/,
    ],
    [
      "a dangling OpenAPI $ref",
      {
        openapi: {
          spec: {
            openapi: "3.1.0",
            info: { title: "x", version: "1" },
            paths: { "/a": { post: { requestBody: { $ref: "#/components/requestBodies/Missing" } } } },
          },
        },
      },
      '$.openapi.spec.paths["/a"].post.requestBody["$ref"]',
      /does not resolve/,
    ],
    [
      "an OpenAPI $ref with a malformed percent escape (not a thrown URIError)",
      {
        openapi: {
          spec: {
            openapi: "3.1.0",
            info: { title: "x", version: "1" },
            paths: { "/a": { post: { requestBody: { $ref: "#/components/requestBodies/%E0%A4" } } } },
            components: { requestBodies: {} },
          },
        },
      },
      '$.openapi.spec.paths["/a"].post.requestBody["$ref"]',
      /does not resolve/,
    ],
    ["an allow route without methods", { allow: [{ path: "/a", methods: [] }] }, "$.allow[0].methods", /at least one method/],
    ["an exceptionPolicy (baseline only)", { exceptionPolicy: {} }, "$.exceptionPolicy", /unknown field/],
    ["a missing application version", { metadata: { application: "shop" } }, "$.metadata.applicationVersion", /required field is missing/],
  ])("refuses %s with a path to the field", (_name, sections, path, message) => {
    const errors = errorsOf({ ...APPLICATION, ...sections });
    expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it("refuses a document of an unknown kind", () => {
    expect(errorsOf({ ...APPLICATION, kind: "NetworkPolicy" })).toEqual([{ path: "$.kind", message: 'kind must be "BaselinePolicy" or "ApplicationPolicy"' }]);
  });

  it("refuses a document of the other kind when one kind is expected", () => {
    const result = parsePolicyDocument(APPLICATION, { kind: "BaselinePolicy" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ path: "$.kind", message: expect.stringMatching(/expected a BaselinePolicy/) });
  });
});

function BASELINE_YAML(extra: string): string {
  return `apiVersion: rampart.dev/v1alpha1\nkind: BaselinePolicy\nmetadata:\n  name: org\n${extra}`;
}
