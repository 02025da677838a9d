import { describe, expect, it } from "vitest";
import { toOpenApi30 } from "./openapi-3-0";
import type { Bundle } from "@/lib/policy-spec";
import { examplePaymentsApi } from "./__fixtures__/render-fixtures";
import { manifestSchemaErrors } from "./__fixtures__/manifest-schemas";
import { MANAGED_BY_LABEL, type KubernetesResource } from "./kubernetes-resource";
import { claimValueRegex, EXCEPTIONS_EXPIRE_ANNOTATION, jsonPathOf, renderAirlock, stringMatcher } from "./render-airlock";

const app = examplePaymentsApi();

function render(bundle: Bundle = app.bundle) {
  return renderAirlock({ application: app.name, namespace: "payments", bundle, effective: app.effective });
}

function find(resources: KubernetesResource[], kind: string) {
  const found = resources.filter((resource) => resource.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, got ${found.length}`);
  return found[0] as any;
}

/** The example's content field adds an exception of its own (tested below); these tests are about the policy's exceptions. */
function withoutContentProfiles(bundle: Bundle): Bundle {
  return { ...bundle, contentProfiles: { allowRelax: [] } };
}

function withBundle(change: (bundle: Bundle) => void): Bundle {
  const bundle = structuredClone(app.bundle);
  change(bundle);
  return bundle;
}

describe("renderAirlock", () => {
  it.each(["baseline-standard.yaml", "baseline-strict.yaml"])("every resource validates against the vendored Airlock CRDs (%s)", (baseline) => {
    const example = examplePaymentsApi(baseline);
    const { resources } = renderAirlock({ application: example.name, namespace: "payments", bundle: example.bundle, effective: example.effective });
    expect(resources.map((resource) => resource.kind)).toEqual([
      "DenyRules",
      "Limits",
      "Parser",
      "HeaderRewrites",
      "ConfigMap",
      "OpenAPI",
      "APIProtection",
      "ContentSecurityPolicy",
      "JWKS",
      "JWT",
      "AccessControlPolicy",
    ]);
    for (const resource of resources) {
      expect(manifestSchemaErrors(resource), resource.kind).toEqual([]);
      expect(resource.metadata).toMatchObject({ namespace: "payments", labels: { [MANAGED_BY_LABEL]: "rampart" } });
    }
  });

  it("the vendored schemas refuse misspelt fields and unknown enum values", () => {
    const denyRules = structuredClone(find(render().resources, "DenyRules"));
    denyRules.spec.request.builtIn.settings.threatHandling = "Block";
    denyRules.spec.request.builtIn.settings.level = "Paranoid";
    expect(manifestSchemaErrors(denyRules)).toEqual([
      expect.stringContaining("/spec/request/builtIn/settings must NOT have additional properties"),
      expect.stringContaining("/spec/request/builtIn/settings/level must be equal to one of the allowed values"),
    ]);
    const csp = structuredClone(find(render().resources, "ContentSecurityPolicy"));
    delete csp.spec.targetRefs;
    expect(manifestSchemaErrors(csp)).toEqual([expect.stringContaining("must have required property 'targetRefs'")]);
  });

  it("sets the strictest requested level globally and lowers only the families that ask for less", () => {
    const denyRules = find(render().resources, "DenyRules");
    // payments-api: sqli, xss, ssrf strict; everything else standard (baseline-standard).
    expect(denyRules.spec.request.builtIn.settings).toEqual({ level: "Strict", threatHandlingMode: "Block" });
    expect(denyRules.spec.request.builtIn.overrides).toEqual([
      {
        conditions: { ruleKeys: ["BOT", "ENCODING", "EXPLOIT", "HPP", "OGNL", "PHP", "PROTOCOL", "SANITY", "SCANNING", "TEMPLATE", "UNIXCMD", "WINCMD"] },
        settings: { level: "Standard", threatHandlingMode: "Block" },
      },
    ]);
  });

  it("gives a rule key shared by several families the strictest of their settings", () => {
    const bundle = withBundle((b) => {
      b.denyRules.lfi = { level: "basic", mode: "log-only" };
      b.denyRules.java = { level: "strict", mode: "block" };
      b.denyRules.rfi = { level: "basic", mode: "log-only" };
    });
    const overrides = find(render(bundle).resources, "DenyRules").spec.request.builtIn.overrides as any[];
    expect(overrides.some((override) => override.conditions.ruleKeys.includes("EXPLOIT"))).toBe(false);
  });

  it("maps log-only families to LogOnly overrides", () => {
    const bundle = withBundle((b) => {
      b.denyRules.scanner = { level: "standard", mode: "log-only" };
    });
    const overrides = find(render(bundle).resources, "DenyRules").spec.request.builtIn.overrides as any[];
    expect(overrides).toContainEqual({ conditions: { ruleKeys: ["BOT", "SCANNING"] }, settings: { level: "Standard", threatHandlingMode: "LogOnly" } });
  });

  it("exports an exception per path with its request part, methods and rule keys, and notes its expiry", () => {
    const denyRules = find(render(withoutContentProfiles(app.bundle)).resources, "DenyRules");
    expect(denyRules.spec.request.builtIn.exceptions).toEqual([
      {
        blockedData: { parameter: { name: { matcher: { exact: "q", ignoreCase: false } } } },
        requestConditions: { path: { matcher: { exact: "/payments/search", ignoreCase: false } }, method: ["GET"] },
        ruleKeys: ["NOSQL", "SQL"],
      },
    ]);
    expect(denyRules.metadata.annotations[EXCEPTIONS_EXPIRE_ANNOTATION]).toBe(app.bundle.exceptions[0]!.expiresAt);
  });

  it("a path exception tolerates each of its paths where it applies", () => {
    const bundle = withBundle((b) => {
      b.exceptions = [
        {
          ...b.exceptions[0]!,
          part: "path",
          name: null,
          methods: null,
          paths: [
            { kind: "exact", value: "/files/upload", caseInsensitive: false },
            { kind: "prefix", value: "/files/raw", caseInsensitive: false },
          ],
        },
      ];
    });
    const exceptions = find(render(withoutContentProfiles(bundle)).resources, "DenyRules").spec.request.builtIn.exceptions;
    expect(exceptions).toEqual([
      {
        blockedData: { path: { matcher: { exact: "/files/upload", ignoreCase: false } } },
        requestConditions: { path: { matcher: { exact: "/files/upload", ignoreCase: false } } },
        ruleKeys: ["NOSQL", "SQL"],
      },
      {
        blockedData: { path: { matcher: { regex: "^/files/raw(/.*)?$", ignoreCase: false } } },
        requestConditions: { path: { matcher: { regex: "^/files/raw(/.*)?$", ignoreCase: false } } },
        ruleKeys: ["NOSQL", "SQL"],
      },
    ]);
  });

  it("leaves out an exception it cannot express (cookie) and says so, rather than widening it", () => {
    const bundle = withBundle((b) => {
      b.exceptions = [
        { ...b.exceptions[0]!, id: "session-cookie", part: "cookie", name: "sid" },
        { ...b.exceptions[0]!, id: "rule", ruleId: "sqli.union-select" },
      ];
    });
    const { resources, unmapped } = render(withoutContentProfiles(bundle));
    expect(find(resources, "DenyRules").spec.request.builtIn.exceptions).toHaveLength(1);
    expect(unmapped.some((note) => note.includes('"session-cookie"') && note.includes("cookie"))).toBe(true);
    expect(unmapped.some((note) => note.includes("sqli.union-select"))).toBe(true);
  });

  it("carries limits (every parser's body limit too, never above the request body limit), parsers and exactly Rampart's response headers", () => {
    const { resources } = render();
    expect(app.bundle.limits).toMatchObject({ maxBodyBytes: 65536, maxJsonBytes: 1048576 });
    expect(find(resources, "Limits").spec.request.limited).toEqual({
      general: { bodySize: 65536, pathLength: 8192 },
      json: { bodySize: 65536, nestingDepth: 16 },
      parameter: { bodySize: 65536, count: 256, valueLength: 4096 },
      multipart: { bodySize: 65536 },
    });
    const headers = find(resources, "HeaderRewrites").spec.response.add;
    expect(Object.values(headers.builtIn).every((value) => value === false)).toBe(true);
    expect(headers.custom[0].headers.map((header: any) => [header.name, header.value])).toEqual(app.bundle.responseHeaders);
    expect(headers.custom[0].mode).toBe("OverwriteOrAdd");
  });

  it("puts the OpenAPI document in the ConfigMap the OpenAPI resource names, and wires everything into the ContentSecurityPolicy", () => {
    const { resources } = render();
    const configMap = find(resources, "ConfigMap");
    // The example is OpenAPI 3.1: exported converted to the 3.0 Airlock reads.
    expect((app.effective.openapi!.spec as any).openapi).toBe("3.1.0");
    expect(JSON.parse(configMap.data["openapi.json"])).toEqual({ ...(toOpenApi30(app.effective.openapi!.spec as any) as any).document, openapi: "3.0.3" });
    expect(find(resources, "OpenAPI").spec.settings).toEqual({
      schema: { source: { configMapRef: { name: configMap.metadata.name } } },
      threatHandlingMode: "Block",
    });
    expect(find(resources, "APIProtection").spec.policies).toEqual([{ name: "openapi", openAPIRef: { name: "payments-api" } }]);
    const policy = find(resources, "ContentSecurityPolicy");
    // The CRD's CEL rules: HTTPRoute targets in the Gateway API group.
    expect(policy.spec.targetRefs).toEqual([{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: "payments-api" }]);
    expect(policy.spec.secured).toEqual({
      filter: { denyRulesRef: { name: "payments-api" } },
      limitsRef: { name: "payments-api" },
      parserRef: { name: "payments-api" },
      headerRewritesRef: { name: "payments-api" },
      apiProtectionRef: { name: "payments-api" },
    });
  });

  it("exports token verification: JWKS per issuer, a JWT, and first-match access control (public paths, claim rules, everything else)", () => {
    const { resources, unmapped } = render();
    expect(find(resources, "JWKS").spec).toEqual({ provider: { remote: { uri: "https://login.example.com/.well-known/jwks.json" } } });
    expect(find(resources, "JWT").spec).toEqual({
      expirationRequired: true,
      clockSkewTolerance: "60s",
      requireAny: [{ issuer: "https://login.example.com/", audiences: ["payments-api"], jwksRef: { name: "payments-api-jwks-1" } }],
    });
    const policies = find(resources, "AccessControlPolicy").spec.policies as any[];
    expect(policies[0]).toEqual({ requestConditions: { path: { matcher: { exact: "/health", ignoreCase: false } } }, authorization: {} });
    const writes = policies.filter((policy) => policy.requestConditions?.method?.includes("POST"));
    expect(writes.length).toBeGreaterThan(0);
    for (const policy of writes) {
      expect(policy.authorization).toEqual({
        authentication: { jwt: { jwtRef: { name: "payments-api" } } },
        requireAll: [{ jwt: { claim: { name: "scope", value: { matcher: { regex: claimValueRegex(["payments:write"]) } } } } }],
      });
    }
    expect(policies.at(-1)).toEqual({ authorization: { authentication: { jwt: { jwtRef: { name: "payments-api" } } } } });
    expect(unmapped.some((note) => note.includes("RS256"))).toBe(true);
  });

  it("puts inline keys in a Secret under jwks.json", () => {
    const bundle = withBundle((b) => {
      b.authentication.issuers[0] = {
        ...b.authentication.issuers[0]!,
        jwksUrl: null,
        keys: [{ kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }],
      };
    });
    const { resources } = render(bundle);
    const secret = find(resources, "Secret");
    expect(secret.stringData).toBeUndefined();
    expect(JSON.parse(Buffer.from(secret.data["jwks.json"], "base64").toString("utf8")).keys).toHaveLength(1);
    expect(find(resources, "JWKS").spec).toEqual({ provider: { local: { secretRef: { name: secret.metadata.name } } } });
    expect(manifestSchemaErrors(secret)).toEqual([]);
  });

  it("lists what the policy enforces that the export cannot express", () => {
    const strict = examplePaymentsApi("baseline-strict.yaml");
    const { unmapped } = renderAirlock({ application: strict.name, namespace: "payments", bundle: strict.bundle, effective: strict.effective });
    for (const topic of ["IP allow", "Geolocation", "Threat-intelligence", "Admin-path", "CORS", "Rate limits", "Header limits", "allowed-methods"]) {
      expect(
        unmapped.some((note) => note.includes(topic)),
        topic,
      ).toBe(true);
    }
  });
});

describe("matchers", () => {
  it("a Rampart prefix covers the path and what is below it, not every string sharing the prefix", () => {
    const matcher = stringMatcher({ kind: "prefix", value: "/api/v1", caseInsensitive: false }) as { regex: string };
    const regex = new RegExp(matcher.regex);
    expect(["/api/v1", "/api/v1/users"].every((path) => regex.test(path))).toBe(true);
    expect(["/api/v10", "/api", "/x/api/v1"].some((path) => regex.test(path))).toBe(false);
  });

  it("a claim value matches an array element or a word of a scope string, never a substring", () => {
    const regex = new RegExp(claimValueRegex(["payments:read", "payments:write"]));
    expect(["payments:read", "openid payments:write profile"].every((value) => regex.test(value))).toBe(true);
    expect(["payments:reader", "xpayments:write", "payments:readwrite"].some((value) => regex.test(value))).toBe(false);
  });

  it("JSON pointers become bracketed JSONPath", () => {
    expect(jsonPathOf("/customer/na'me/0")).toBe("$['customer']['na\\'me']['0']");
    expect(jsonPathOf("/a~1b/c~0d")).toBe("$['a/b']['c~d']");
  });

  it("excepts each content field from the relaxable families' rule groups by JSON path, keeping XSS, EXPLOIT, OGNL and TEMPLATE on", () => {
    const { resources, unmapped } = render();
    const exceptions = find(resources, "DenyRules").spec.request.builtIn.exceptions as Array<{
      blockedData: unknown;
      ruleKeys: string[];
      requestConditions: unknown;
    }>;
    const content = exceptions.find((e) => JSON.stringify(e.blockedData).includes("description"));
    expect(content).toEqual({
      blockedData: { json: { jsonPath: "$['description']" } },
      requestConditions: { path: { matcher: { exact: "/payments", ignoreCase: false } }, method: ["POST"] },
      ruleKeys: ["NOSQL", "PHP", "SQL", "SSRF", "UNIXCMD", "WINCMD"],
    });
    expect(
      unmapped.some((note) => note.startsWith("Content profiles: 1 content field(s)") && note.includes("EXPLOIT, HTML, OGNL, TEMPLATE, XSS stay on")),
    ).toBe(true);
  });
});
