import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NOW, applicationPolicy, baselinePolicy, exception } from "./__fixtures__/policy-fixtures";
import type { ApplicationPolicy } from "./application-policy-schema";
import type { BaselinePolicy } from "./baseline-policy-schema";
import { bundleSchema, signedBundleSchema, type Bundle } from "./bundle-schema";
import { compilePolicy, serializeBundle } from "./compile-policy";
import { mergePolicies } from "./merge-policies";
import { parsePolicyDocument } from "./parse-policy-document";
import { matchesPath } from "./path-pattern";

const GOLDEN = path.join(__dirname, "__golden__");
const EXAMPLES = path.resolve(__dirname, "../../examples/policies");

function example<K extends "BaselinePolicy" | "ApplicationPolicy">(file: string, kind: K) {
  const result = parsePolicyDocument(readFileSync(path.join(EXAMPLES, file), "utf8"), { kind } as { kind: K });
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
  return result.policy as K extends "BaselinePolicy" ? BaselinePolicy : ApplicationPolicy;
}

function compile(baseline: BaselinePolicy, application: ApplicationPolicy | null): Bundle {
  const merged = mergePolicies(baseline, application, { now: NOW, versions: { baseline: "pv_baseline_7", application: application ? "pv_app_3" : undefined } });
  if (!merged.ok) throw new Error(JSON.stringify(merged.errors, null, 2));
  return compilePolicy(merged.effective);
}

/** A policy that exercises every compiled form: IPv4/IPv6 range merging, every matcher kind, header exceptions, CSP report-only. */
function kitchenSink(): [BaselinePolicy, ApplicationPolicy] {
  return [
    baselinePolicy({
      ipAllow: {
        networks: { corp: ["10.0.0.0/9", "10.128.0.0/9", "2001:db8::/33", "2001:db8:8000::/33"], vpn: ["203.0.113.7"] },
        rules: [{ paths: ["/internal/**", "/ops/*/status"], allowFrom: ["corp", "vpn"] }],
      },
      geolocation: { allowCountries: ["NL", "DE", "FR"] },
      threatIntel: { lists: [{ name: "tor-exit-nodes", mode: "log-only" }], denyNetworks: ["198.51.100.0/25", "198.51.100.128/25"] },
      authentication: {
        required: true,
        issuers: [
          {
            issuer: "https://login.example.com/",
            keys: [{ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", kid: "k1" }],
            algorithms: ["EdDSA"],
          },
        ],
        publicPaths: ["/health", "/docs/**"],
      },
    }),
    applicationPolicy({
      methods: { allowed: ["POST", "GET", "DELETE"] },
      allow: [
        { path: "/orders/{orderId}", methods: ["DELETE", "GET"] },
        { path: "/orders", methods: ["POST", "GET"] },
      ],
      geolocation: { denyCountries: ["FR"] },
      securityHeaders: {
        referrerPolicy: "no-referrer",
        contentSecurityPolicy: {
          directives: { "script-src": ["'self'", "https://cdn.example.com"], "default-src": ["'self'"], "upgrade-insecure-requests": [] },
          reportOnly: true,
        },
        custom: { "X-Robots-Tag": "noindex" },
      },
      tokenVerification: {
        issuers: [{ issuer: "https://login.example.com/", audiences: ["orders"] }],
        publicPaths: ["/health"],
        rules: [{ paths: ["/orders/**"], methods: ["DELETE"], claims: [{ name: "roles", anyOf: ["admin", "support"] }] }],
      },
      exceptions: [
        exception({
          id: "tracking-header",
          family: undefined,
          ruleId: "xss.script-tag",
          part: "header",
          name: "X-Tracking-Context",
          conditions: { paths: ["/orders/*"] },
        }),
        exception({
          id: "notes-body",
          family: "sqli",
          part: "json-pointer",
          name: undefined,
          pointer: "/notes",
          conditions: { paths: ["/orders"], methods: ["POST"] },
        }),
      ],
      rateLimits: [{ id: "per-user", key: "token-subject", requests: 100, windowSeconds: 60, paths: ["/orders/**"], methods: ["POST"] }],
    }),
  ];
}

const GOLDEN_CASES: Array<[string, () => Bundle]> = [
  ["baseline-only", () => compile(baselinePolicy(), null)],
  ["standard-payments-api", () => compile(example("baseline-standard.yaml", "BaselinePolicy"), example("app-payments-api.yaml", "ApplicationPolicy"))],
  ["strict-payments-api", () => compile(example("baseline-strict.yaml", "BaselinePolicy"), example("app-payments-api.yaml", "ApplicationPolicy"))],
  ["kitchen-sink", () => compile(...kitchenSink())],
];

describe("compilePolicy: golden files", () => {
  // UPDATE_GOLDEN=1 npx vitest run lib/policy-spec/compile-policy.test.ts rewrites them; review the diff before committing.
  it.each(GOLDEN_CASES)("compiles %s to its golden bundle", (name, build) => {
    const bundle = build();
    const text = `${JSON.stringify(JSON.parse(serializeBundle(bundle)), null, 2)}\n`;
    const file = path.join(GOLDEN, `${name}.json`);
    if (process.env.UPDATE_GOLDEN === "1") {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, text);
    }
    expect(text).toBe(readFileSync(file, "utf8"));
  });

  it.each(GOLDEN_CASES)("produces a bundle for %s that the proxy's schema accepts", (_name, build) => {
    expect(bundleSchema.safeParse(build()).success).toBe(true);
  });
});

describe("compilePolicy: determinism", () => {
  it("compiles the same input to byte-identical output and hash", () => {
    const [baseline, application] = kitchenSink();
    const first = serializeBundle(compile(baseline, application));
    const second = serializeBundle(compile(structuredClone(baseline), structuredClone(application)));
    expect(second).toBe(first);
  });

  it("does not depend on the key order of the source documents", () => {
    const reversed = <T>(value: T): T => {
      if (Array.isArray(value)) return value.map(reversed) as T;
      if (value && typeof value === "object")
        return Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reversed(v)]),
        ) as T;
      return value;
    };
    const [baseline, application] = kitchenSink();
    expect(serializeBundle(compile(reversed(baseline), reversed(application)))).toBe(serializeBundle(compile(baseline, application)));
  });

  it("does not depend on the order of lists whose order means nothing", () => {
    const [baseline, application] = kitchenSink();
    const shuffled = structuredClone(application);
    shuffled.methods!.allowed.reverse();
    shuffled.exceptions.reverse();
    shuffled.geolocation!.denyCountries!.reverse();
    shuffled.tokenVerification!.rules[0]!.claims[0]!.anyOf!.reverse();
    shuffled.allow!.reverse();
    shuffled.rateLimits.reverse();
    const strip = (bundle: Bundle) => ({ ...bundle, sources: null, contentHash: null });
    expect(strip(compile(baseline, shuffled))).toEqual(strip(compile(baseline, application)));
  });

  it("hashes the canonical JSON of everything but the hash", () => {
    const bundle = compile(...kitchenSink());
    const { contentHash, ...body } = bundle;
    const text = serializeBundle({ ...body } as Bundle);
    expect(contentHash).toBe(`sha256:${createHash("sha256").update(text).digest("hex")}`);
  });

  it("accepts an injected hash function and agrees with the built-in one", () => {
    const merged = mergePolicies(...kitchenSink(), { now: NOW });
    if (!merged.ok) throw new Error("fixture");
    const native = compilePolicy(merged.effective, { sha256: (text) => createHash("sha256").update(text).digest("hex") });
    expect(native.contentHash).toBe(compilePolicy(merged.effective).contentHash);
  });

  it("changes the hash when the policy changes", () => {
    const [baseline, application] = kitchenSink();
    const stricter = structuredClone(application);
    stricter.denyRules = { sqli: { level: "strict" } };
    expect(compile(baseline, stricter).contentHash).not.toBe(compile(baseline, application).contentHash);
  });
});

describe("compilePolicy: precompiled forms", () => {
  const bundle = compile(...kitchenSink());

  it("merges adjacent CIDRs into numeric ranges", () => {
    expect(bundle.ipAllow[0]!.ranges).toEqual({
      v4: [
        [0x0a000000, 0x0affffff],
        [0xcb007107, 0xcb007107],
      ],
      v6: [["20010db8000000000000000000000000", "20010db8ffffffffffffffffffffffff"]],
    });
    expect(bundle.threatIntel.denyRanges.v4).toEqual([[0xc6336400, 0xc63364ff]]);
  });

  it("blocks admin paths below the listed path and in any letter case", () => {
    const blocked = (requestPath: string) => bundle.adminBlocking.some((matcher) => matchesPath(matcher, requestPath));
    expect(blocked("/ADMIN/users")).toBe(true);
    expect(blocked("/.git/config")).toBe(true);
    expect(blocked("/administration-guide")).toBe(false);
  });

  it("matches exceptions case-sensitively and compares header names lower-cased", () => {
    const header = bundle.exceptions.find((entry) => entry.id === "tracking-header")!;
    expect(header).toMatchObject({ family: "xss", ruleId: "xss.script-tag", part: "header", name: "x-tracking-context", methods: null });
    expect(matchesPath(header.paths[0]!, "/orders/42")).toBe(true);
    expect(matchesPath(header.paths[0]!, "/ORDERS/42")).toBe(false);
    expect(header.expiresAt).toBe("2027-02-01T00:00:00.000Z");
  });

  it("renders the response headers once, sorted", () => {
    expect(bundle.responseHeaders).toEqual([
      ["Content-Security-Policy-Report-Only", "default-src 'self'; script-src 'self' https://cdn.example.com; upgrade-insecure-requests"],
      ["Permissions-Policy", "camera=(), geolocation=(), microphone=()"],
      ["Referrer-Policy", "no-referrer"],
      ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
      ["X-Content-Type-Options", "nosniff"],
      ["X-Frame-Options", "DENY"],
      ["X-Robots-Tag", "noindex"],
    ]);
  });

  it("narrows an allow-listed country set by the application's deny list", () => {
    expect(bundle.geolocation).toEqual({ mode: "allow", countries: ["DE", "NL"] });
  });

  it("carries the versions it was compiled from", () => {
    expect(bundle.sources.baseline).toMatchObject({ name: "test-baseline", versionId: "pv_baseline_7" });
    expect(bundle.sources.application).toMatchObject({ application: "shop", applicationVersion: "1.0.0", versionId: "pv_app_3" });
  });

  it("compiles OpenAPI operations with path parameters folded in and $refs resolved", () => {
    const payments = compile(example("baseline-standard.yaml", "BaselinePolicy"), example("app-payments-api.yaml", "ApplicationPolicy"));
    const refund = payments.openapi!.operations.find((operation) => operation.operationId === "refundPayment")!;
    expect(refund.method).toBe("POST");
    expect(refund.parameters.map((parameter) => `${parameter.in}:${parameter.name}:${parameter.required}`)).toEqual([
      "header:Idempotency-Key:true",
      "path:paymentId:true",
    ]);
    expect(refund.requestBody).toEqual({ required: true, content: { "application/json": { $ref: "#/components/schemas/Refund" } } });
    expect(matchesPath(refund.path, "/payments/pay_0123456789abcdef/refunds")).toBe(true);
    expect(matchesPath(refund.path, "/payments/a/b/refunds")).toBe(false);
  });
});

describe("signedBundleSchema", () => {
  it("accepts an envelope with an Ed25519 signature over the canonical payload", () => {
    const bundle = compile(baselinePolicy(), null);
    const envelope = {
      payload: serializeBundle(bundle),
      contentHash: bundle.contentHash,
      signature: { algorithm: "ed25519", keyId: "rampart-2026-11", value: `${"A".repeat(86)}==` },
    };
    expect(signedBundleSchema.safeParse(envelope).success).toBe(true);
    expect(signedBundleSchema.safeParse({ ...envelope, signature: { ...envelope.signature, algorithm: "rsa" } }).success).toBe(false);
  });
});
