// One table of admit/deny cases for the admission policies Rampart generates
// from a baseline, evaluated by both engines, which must agree with the table
// and with each other on every case:
// - Kyverno: the rendered ClusterPolicy with Kyverno's JMESPath and pattern
//   semantics (tests/policy-engines/kyverno-engine.ts), under both readings of
//   a missing field (Kyverno's NotFound error and JMESPath's null);
// - Gatekeeper: the rendered ConstraintTemplate's Rego evaluated by OPA itself
//   (v0.47, WebAssembly; tests/policy-engines/gatekeeper-opa.ts) with the
//   Constraint's parameters.
// Each case is first put through the kind's real schema as the API server
// would (vendored upstream CRDs; pruning, defaulting, validation), so the
// engines see what a webhook sees and every case is one a cluster can send.
//
// The cases are shapes of weakening, chosen from what each field can express
// (every kind of exception matcher, every way an override or a limit can
// loosen), not spellings the policies were tuned on: catch-all matchers are
// recognised by what they match, so new spellings of them are refused too.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compilePolicy, mergePolicies } from "@/lib/policy-spec";
import { compileCrdSchema, type CompiledCrdSchema } from "@/tests/kube-api-server/crd-schema";
import { evaluateGatekeeper, stopOpa, type GatekeeperDecision } from "@/tests/policy-engines/gatekeeper-opa";
import { evaluateKyverno } from "@/tests/policy-engines/kyverno-engine";
import { exampleBaseline, examplePaymentsApi, loadExample, NOW } from "./__fixtures__/render-fixtures";
import { loadYamlDocuments, SCHEMA_DIR } from "./__fixtures__/manifest-schemas";
import { rampartPolicyCrd } from "./render-crd";
import { renderApplicationResources } from "./render-application-resources";

type Json = Record<string, any>;

// The standard baseline with one family allowed lower (so Rampart renders overrides) and
// one family non-exempt.
const standard = exampleBaseline("baseline-standard.yaml");
const baseline = {
  ...standard,
  denyRules: { ...standard.denyRules, scanner: { level: "basic" as const, mode: "log-only" as const } },
  exceptionPolicy: { ...standard.exceptionPolicy, nonExemptFamilies: ["rce" as const] },
};
const application = loadExample("app-payments-api.yaml");
if (application.kind !== "ApplicationPolicy") throw new Error("the example is not an application policy");
const merged = mergePolicies(baseline, application, { now: NOW });
if (!merged.ok) throw new Error(JSON.stringify(merged.errors));
const bundle = compilePolicy(merged.effective);
const rendered = renderApplicationResources({
  target: { namespace: "payments", formats: ["rampart", "airlock", "kyverno", "gatekeeper"] },
  applications: [{ id: "app_payments_0001", name: "payments-api", effective: merged.effective, bundle }],
  baseline,
}).resources;

const findIn = (resources: readonly { kind: string }[], kind: string) => structuredClone(resources.find((resource) => resource.kind === kind)!) as Json;

// The strict example baseline (every family strict, java and protocol non-exempt), for the floors above the defaults.
const strict = examplePaymentsApi("baseline-strict.yaml");
const renderedStrict = renderApplicationResources({
  target: { namespace: "payments", formats: ["rampart", "airlock", "kyverno", "gatekeeper"] },
  applications: [{ id: strict.id, name: strict.name, effective: strict.effective, bundle: strict.bundle }],
  baseline: strict.baseline,
}).resources;

const AIRLOCK_FILES: Record<string, string> = {
  DenyRules: "denyrules",
  HeaderRewrites: "headerrewrites",
  Limits: "limits",
  Parser: "parsers",
  ContentSecurityPolicy: "contentsecuritypolicies",
};
const schemas = new Map<string, CompiledCrdSchema>();
function schemaOf(kind: string): CompiledCrdSchema {
  let schema = schemas.get(kind);
  if (!schema) {
    const crd =
      kind === "RampartPolicy"
        ? (rampartPolicyCrd() as Json)
        : (loadYamlDocuments(`${SCHEMA_DIR}/airlock/${AIRLOCK_FILES[kind]}.microgateway.airlock.com.yaml`)[0] as Json);
    schema = compileCrdSchema(crd.spec.versions[0].schema.openAPIV3Schema);
    schemas.set(kind, schema);
  }
  return schema;
}

interface Case {
  name: string;
  expect: "admit" | "deny";
  resource: Json;
}

/** A copy of the rendered resource of `kind`, changed by `change`. */
function variant(kind: string, change: (resource: Json) => void = () => {}, resources: readonly { kind: string }[] = rendered): Json {
  const resource = findIn(resources, kind);
  change(resource);
  return resource;
}
const strictVariant = (kind: string, change: (resource: Json) => void = () => {}) => variant(kind, change, renderedStrict);

const exceptionPath = (path: Json) => (r: Json) => r.spec.bundle.exceptions[0].paths.push(path);
const denyRulesException =
  (matcher: Json | null, ruleKeys: string[] | null = ["SQL", "NOSQL"]) =>
  (r: Json) => {
    r.spec.request.builtIn.exceptions = [
      {
        blockedData: { parameter: { name: { matcher: { exact: "q" } } } },
        ...(matcher ? { requestConditions: { path: { matcher } } } : {}),
        ...(ruleKeys ? { ruleKeys } : {}),
      },
    ];
  };
const override = (entry: Json) => (r: Json) => (r.spec.request.builtIn.overrides = [...(r.spec.request.builtIn.overrides ?? []), entry]);
const limited = (section: string, field: string, value: unknown) => (r: Json) => (r.spec.request.limited[section][field] = value);

const CASES: Case[] = [
  // RampartPolicy
  { name: "RampartPolicy as rendered", expect: "admit", resource: variant("RampartPolicy") },
  {
    name: "RampartPolicy: exception on an exact path",
    expect: "admit",
    resource: variant("RampartPolicy", exceptionPath({ kind: "exact", value: "/payments/export", caseInsensitive: false })),
  },
  {
    name: "RampartPolicy: exception on a subtree",
    expect: "admit",
    resource: variant("RampartPolicy", exceptionPath({ kind: "prefix", value: "/payments/reports", caseInsensitive: false })),
  },
  {
    name: "RampartPolicy: exception on a parameterised path",
    expect: "admit",
    resource: variant("RampartPolicy", exceptionPath({ kind: "regex", source: "^/payments/[^/]+/notes$", caseInsensitive: false })),
  },
  {
    name: "RampartPolicy: a family stricter than the baseline",
    expect: "admit",
    resource: variant("RampartPolicy", (r) => (r.spec.bundle.denyRules.xss.level = "strict")),
  },
  { name: "RampartPolicy: tighter limits", expect: "admit", resource: variant("RampartPolicy", (r) => (r.spec.bundle.limits.maxBodyBytes = 1024)) },
  {
    name: "RampartPolicy: header names in another case",
    expect: "admit",
    resource: variant("RampartPolicy", (r) => (r.spec.bundle.responseHeaders = r.spec.bundle.responseHeaders.map(([n, v]: string[]) => [n!.toLowerCase(), v]))),
  },
  { name: "RampartPolicy: sqli below the floor", expect: "deny", resource: variant("RampartPolicy", (r) => (r.spec.bundle.denyRules.sqli.level = "basic")) },
  {
    name: "RampartPolicy: xss log-only where the baseline blocks",
    expect: "deny",
    resource: variant("RampartPolicy", (r) => (r.spec.bundle.denyRules.xss.mode = "log-only")),
  },
  {
    name: "RampartPolicy: HSTS header missing",
    expect: "deny",
    resource: variant(
      "RampartPolicy",
      (r) => (r.spec.bundle.responseHeaders = r.spec.bundle.responseHeaders.filter(([n]: string[]) => n !== "Strict-Transport-Security")),
    ),
  },
  {
    name: "RampartPolicy: exception on every path (empty prefix)",
    expect: "deny",
    resource: variant("RampartPolicy", exceptionPath({ kind: "prefix", value: "", caseInsensitive: false })),
  },
  {
    name: 'RampartPolicy: exception on "/" as a prefix',
    expect: "deny",
    resource: variant("RampartPolicy", exceptionPath({ kind: "prefix", value: "/", caseInsensitive: true })),
  },
  {
    name: "RampartPolicy: exception regex ^.*$",
    expect: "deny",
    resource: variant("RampartPolicy", exceptionPath({ kind: "regex", source: "^.*$", caseInsensitive: false })),
  },
  {
    name: "RampartPolicy: exception regex /{any}/** ",
    expect: "deny",
    resource: variant("RampartPolicy", exceptionPath({ kind: "regex", source: "^/[^/]+(?:/.*)?$", caseInsensitive: false })),
  },
  {
    name: "RampartPolicy: exception regex unanchored",
    expect: "deny",
    resource: variant("RampartPolicy", exceptionPath({ kind: "regex", source: "canary|.", caseInsensitive: false })),
  },
  {
    name: "RampartPolicy: exception regex (?:/.*)?",
    expect: "deny",
    resource: variant("RampartPolicy", exceptionPath({ kind: "regex", source: "^(?:/.*)?$", caseInsensitive: false })),
  },
  {
    name: "RampartPolicy: exception regex RE2 cannot read",
    expect: "deny",
    resource: variant("RampartPolicy", exceptionPath({ kind: "regex", source: "^(?=/payments)/payments/x$", caseInsensitive: false })),
  },
  {
    name: "RampartPolicy: exception for a non-exempt family",
    expect: "deny",
    resource: variant("RampartPolicy", (r) => (r.spec.bundle.exceptions[0].family = "rce")),
  },
  {
    name: "RampartPolicy: body limit above the baseline",
    expect: "deny",
    resource: variant("RampartPolicy", (r) => (r.spec.bundle.limits.maxBodyBytes = baseline.limits.maxBodyBytes + 1)),
  },
  {
    name: "RampartPolicy: JSON depth above the baseline",
    expect: "deny",
    resource: variant("RampartPolicy", (r) => (r.spec.bundle.limits.maxJsonDepth = 1000)),
  },
  {
    name: "RampartPolicy: uninspected content forwarded where the baseline refuses it",
    expect: "deny",
    resource: variant("RampartPolicy", (r) => (r.spec.bundle.limits.uninspected = "log")),
  },

  // DenyRules
  { name: "DenyRules as rendered", expect: "admit", resource: variant("DenyRules") },
  {
    name: "DenyRules: override raising SQL to Strict",
    expect: "admit",
    resource: variant("DenyRules", override({ conditions: { ruleKeys: ["SQL"] }, settings: { level: "Strict" } })),
  },
  {
    name: "DenyRules: override without keys raising everything",
    expect: "admit",
    resource: variant("DenyRules", override({ settings: { level: "Strict", threatHandlingMode: "Block" } })),
  },
  {
    name: "DenyRules: override without keys for headers only, raising",
    expect: "admit",
    resource: variant("DenyRules", override({ conditions: { types: ["Header"] }, settings: { level: "Strict" } })),
  },
  { name: "DenyRules: exception on an exact path", expect: "admit", resource: variant("DenyRules", denyRulesException({ exact: "/payments/search" })) },
  {
    name: "DenyRules: exception on an anchored subtree",
    expect: "admit",
    resource: variant("DenyRules", denyRulesException({ regex: "^/payments/upload(/.*)?$" })),
  },
  { name: "DenyRules: exception on a prefix", expect: "admit", resource: variant("DenyRules", denyRulesException({ prefix: "/payments/search" })) },
  { name: "DenyRules: global level Basic", expect: "deny", resource: variant("DenyRules", (r) => (r.spec.request.builtIn.settings.level = "Basic")) },
  {
    name: "DenyRules: global LogOnly",
    expect: "deny",
    resource: variant("DenyRules", (r) => (r.spec.request.builtIn.settings.threatHandlingMode = "LogOnly")),
  },
  { name: "DenyRules: global settings left to the default", expect: "admit", resource: variant("DenyRules", (r) => delete r.spec.request.builtIn.settings) },
  {
    name: "DenyRules: override lowering SQL",
    expect: "deny",
    resource: variant("DenyRules", override({ conditions: { ruleKeys: ["SQL"] }, settings: { level: "Basic" } })),
  },
  {
    name: "DenyRules: override lowering LDAP (no Rampart family)",
    expect: "deny",
    resource: variant("DenyRules", override({ conditions: { ruleKeys: ["LDAP"] }, settings: { level: "Basic" } })),
  },
  {
    name: "DenyRules: override logging IDOR only",
    expect: "deny",
    resource: variant("DenyRules", override({ conditions: { ruleKeys: ["IDOR"] }, settings: { threatHandlingMode: "LogOnly" } })),
  },
  {
    name: "DenyRules: override turning XSS off",
    expect: "deny",
    resource: variant("DenyRules", override({ conditions: { ruleKeys: ["XSS", "BOT"] }, settings: { level: "Unfiltered" } })),
  },
  {
    name: "DenyRules: override BOT to Basic (its family allows it)",
    expect: "admit",
    resource: variant("DenyRules", override({ conditions: { ruleKeys: ["BOT"] }, settings: { level: "Basic", threatHandlingMode: "LogOnly" } })),
  },
  { name: "DenyRules: override without keys lowering everything", expect: "deny", resource: variant("DenyRules", override({ settings: { level: "Basic" } })) },
  {
    name: "DenyRules: override without keys logging everything",
    expect: "deny",
    resource: variant("DenyRules", override({ settings: { threatHandlingMode: "LogOnly" } })),
  },
  {
    name: "DenyRules: override for headers only, turning them off",
    expect: "deny",
    resource: variant("DenyRules", override({ conditions: { types: ["Header"] }, settings: { level: "Unfiltered" } })),
  },
  { name: "DenyRules: exception without rule keys", expect: "deny", resource: variant("DenyRules", denyRulesException({ exact: "/payments/search" }, null)) },
  { name: "DenyRules: exception without a path", expect: "deny", resource: variant("DenyRules", denyRulesException(null)) },
  { name: 'DenyRules: exception on prefix "/"', expect: "deny", resource: variant("DenyRules", denyRulesException({ prefix: "/" })) },
  { name: 'DenyRules: exception on contains "/"', expect: "deny", resource: variant("DenyRules", denyRulesException({ contains: "/" })) },
  { name: "DenyRules: exception on contains a letter", expect: "deny", resource: variant("DenyRules", denyRulesException({ contains: "a" })) },
  { name: "DenyRules: exception on a suffix only", expect: "deny", resource: variant("DenyRules", denyRulesException({ suffix: ".json" })) },
  { name: "DenyRules: exception on an unanchored regex", expect: "deny", resource: variant("DenyRules", denyRulesException({ regex: "search" })) },
  { name: "DenyRules: exception on ^.*$", expect: "deny", resource: variant("DenyRules", denyRulesException({ regex: "^.*$" })) },
  { name: "DenyRules: exception on ^/.*", expect: "deny", resource: variant("DenyRules", denyRulesException({ regex: "^/.*", ignoreCase: true })) },
  {
    name: "DenyRules: exception on a leading parameter",
    expect: "deny",
    resource: variant("DenyRules", denyRulesException({ regex: "^/[^/]+/probe\\.json$" })),
  },
  {
    name: "DenyRules: exception for a non-exempt family's key",
    expect: "deny",
    resource: variant("DenyRules", denyRulesException({ exact: "/payments/search" }, ["UNIXCMD"])),
  },

  // HeaderRewrites
  { name: "HeaderRewrites as rendered", expect: "admit", resource: variant("HeaderRewrites") },
  {
    name: "HeaderRewrites: HSTS not added",
    expect: "deny",
    resource: variant(
      "HeaderRewrites",
      (r) => (r.spec.response.add.custom[0].headers = r.spec.response.add.custom[0].headers.filter((h: Json) => h.name !== "Strict-Transport-Security")),
    ),
  },
  { name: "HeaderRewrites: no custom headers", expect: "deny", resource: variant("HeaderRewrites", (r) => delete r.spec.response.add.custom) },

  // Limits
  { name: "Limits as rendered", expect: "admit", resource: variant("Limits") },
  { name: "Limits: quantities written as Kubernetes quantities", expect: "admit", resource: variant("Limits", limited("json", "bodySize", "16Ki")) },
  {
    name: "Limits: general body size above the baseline",
    expect: "deny",
    resource: variant("Limits", limited("general", "bodySize", baseline.limits.maxBodyBytes + 1)),
  },
  { name: "Limits: JSON body size as 100Mi", expect: "deny", resource: variant("Limits", limited("json", "bodySize", "100Mi")) },
  { name: "Limits: multipart left to Airlock's default (100Mi)", expect: "deny", resource: variant("Limits", (r) => (r.spec.request.limited.multipart = {})) },
  {
    name: "Limits: form bodies left to Airlock's default",
    expect: "admit",
    resource: variant("Limits", (r) => delete r.spec.request.limited.parameter.bodySize),
  },
  {
    name: "Limits: more parameters than the baseline",
    expect: "deny",
    resource: variant("Limits", limited("parameter", "count", baseline.limits.maxParameterCount * 2)),
  },
  { name: "Limits: URL path longer than the baseline", expect: "deny", resource: variant("Limits", limited("general", "pathLength", "64Ki")) },
  { name: "Limits: limits switched off", expect: "deny", resource: variant("Limits", (r) => (r.spec.request.unlimited = {})) },
  { name: "Limits: nothing limited at all", expect: "deny", resource: variant("Limits", (r) => (r.spec.request = { unlimited: {} })) },
  { name: "Limits: log only", expect: "deny", resource: variant("Limits", (r) => (r.spec.settings.threatHandlingMode = "LogOnly")) },

  // Parser
  { name: "Parser as rendered", expect: "admit", resource: variant("Parser") },
  { name: "Parser: everything left to the defaults", expect: "admit", resource: variant("Parser", (r) => (r.spec = {})) },
  { name: "Parser: JSON parser off", expect: "deny", resource: variant("Parser", (r) => (r.spec.request.parsers.json.enable = false)) },
  { name: "Parser: multipart parser off", expect: "deny", resource: variant("Parser", (r) => (r.spec.request.parsers.multipart = { enable: false })) },
  {
    name: "Parser: skips parsing for a path",
    expect: "deny",
    resource: variant(
      "Parser",
      (r) => (r.spec.request.custom = { rules: [{ action: { skip: {} }, requestConditions: { path: { matcher: { prefix: "/upload" } } } }] }),
    ),
  },
  {
    name: "Parser: parses one more media type",
    expect: "admit",
    resource: variant(
      "Parser",
      (r) => (r.spec.request.custom = { rules: [{ action: { parse: { json: {} } }, requestConditions: { mediaType: { matcher: { exact: "text/plain" } } } }] }),
    ),
  },

  // ContentSecurityPolicy
  { name: "ContentSecurityPolicy as rendered", expect: "admit", resource: variant("ContentSecurityPolicy") },
  {
    name: "ContentSecurityPolicy: unsecured",
    expect: "deny",
    resource: variant("ContentSecurityPolicy", (r) => (r.spec = { targetRefs: r.spec.targetRefs, unsecured: {} })),
  },
  {
    name: "ContentSecurityPolicy: secured without deny rules",
    expect: "deny",
    resource: variant("ContentSecurityPolicy", (r) => delete r.spec.secured.filter),
  },
];

const STRICT_CASES: Case[] = [
  { name: "strict: RampartPolicy as rendered", expect: "admit", resource: strictVariant("RampartPolicy") },
  {
    name: "strict: RampartPolicy xss at standard",
    expect: "deny",
    resource: strictVariant("RampartPolicy", (r) => (r.spec.bundle.denyRules.xss.level = "standard")),
  },
  {
    name: "strict: RampartPolicy exception for java (non-exempt)",
    expect: "deny",
    resource: strictVariant("RampartPolicy", (r) => (r.spec.bundle.exceptions[0].family = "java")),
  },
  { name: "strict: DenyRules as rendered", expect: "admit", resource: strictVariant("DenyRules") },
  {
    name: "strict: DenyRules settings left to the default (Standard)",
    expect: "deny",
    resource: strictVariant("DenyRules", (r) => delete r.spec.request.builtIn.settings),
  },
  {
    name: "strict: DenyRules override SQL to Standard",
    expect: "deny",
    resource: strictVariant("DenyRules", override({ conditions: { ruleKeys: ["SQL"] }, settings: { level: "Standard" } })),
  },
  {
    name: "strict: DenyRules override without keys to Standard",
    expect: "deny",
    resource: strictVariant("DenyRules", override({ settings: { level: "Standard" } })),
  },
  {
    name: "strict: DenyRules exception for EXPLOIT (java, non-exempt)",
    expect: "deny",
    resource: strictVariant("DenyRules", denyRulesException({ exact: "/payments/search" }, ["EXPLOIT"])),
  },
  { name: "strict: Limits as rendered", expect: "admit", resource: strictVariant("Limits") },
  {
    name: "strict: Limits body above the strict baseline",
    expect: "deny",
    resource: strictVariant("Limits", limited("general", "bodySize", strict.baseline.limits.maxBodyBytes * 2)),
  },
  { name: "strict: HeaderRewrites as rendered", expect: "admit", resource: strictVariant("HeaderRewrites") },
];

const GROUPS: Record<string, { group: string; version: string }> = {
  RampartPolicy: { group: "rampart.dev", version: "v1alpha1" },
};
const requestOf = (resource: Json) => ({
  operation: "CREATE" as const,
  kind: { ...(GROUPS[resource.kind] ?? { group: "microgateway.airlock.com", version: "v1alpha1" }), kind: resource.kind as string },
  object: resource,
  name: resource.metadata.name as string,
  namespace: resource.metadata.namespace as string,
});

/** What the webhooks see: the object pruned, defaulted and validated by its schema. */
const admit = (cases: Case[]) =>
  cases.map((c) => {
    const schema = schemaOf(c.resource.kind);
    const object = schema.normalise(c.resource);
    return { ...c, object, schemaErrors: schema.validate(object, null) };
  });
const TABLES = [
  { baseline: "standard (scanner basic/log-only, rce non-exempt)", resources: rendered, cases: admit(CASES) },
  { baseline: "strict", resources: renderedStrict, cases: admit(STRICT_CASES) },
];

let gatekeeper: GatekeeperDecision[][];

beforeAll(async () => {
  gatekeeper = [];
  for (const table of TABLES) {
    gatekeeper.push(
      await evaluateGatekeeper(
        findIn(table.resources, "ConstraintTemplate"),
        findIn(table.resources, "RampartBaseline"),
        table.cases.map((c) => requestOf(c.object)),
      ),
    );
  }
}, 120_000);

afterAll(async () => {
  await stopOpa();
});

describe("the admission policies generated from the baseline", () => {
  it("every case is a resource a cluster accepts before admission (its schema is satisfied)", () => {
    const invalid = TABLES.flatMap((table) => table.cases.filter((c) => c.schemaErrors.length > 0).map((c) => ({ name: c.name, errors: c.schemaErrors })));
    expect(invalid).toEqual([]);
  });

  it.each(TABLES.map((table, index) => [table.baseline, index] as const))(
    "Kyverno and Gatekeeper (OPA) give the table's answer for every case (baseline %s)",
    (_, index) => {
      const table = TABLES[index]!;
      const clusterPolicy = findIn(table.resources, "ClusterPolicy");
      const verdict = (allowed: boolean) => (allowed ? "admit" : "deny");
      const rows = table.cases.map((c, caseIndex) => {
        const strictKeys = evaluateKyverno(clusterPolicy, requestOf(c.object), { missingKeys: "error" });
        const lenient = evaluateKyverno(clusterPolicy, requestOf(c.object), { missingKeys: "null" });
        return {
          name: c.name,
          kyverno: verdict(strictKeys.allowed),
          kyvernoIfMissingIsNull: verdict(lenient.allowed),
          gatekeeper: verdict(gatekeeper[index]![caseIndex]!.allowed),
          // A policy that errors on something it should admit is broken, even where errors block.
          kyvernoErrors: c.expect === "admit" && [...strictKeys.results, ...lenient.results].some((r) => r.status === "error"),
        };
      });
      expect(rows).toEqual(
        table.cases.map((c) => ({ name: c.name, kyverno: c.expect, kyvernoIfMissingIsNull: c.expect, gatekeeper: c.expect, kyvernoErrors: false })),
      );
    },
  );

  it("the table covers every kind both engines guard, both ways", () => {
    for (const kind of ["RampartPolicy", "DenyRules", "HeaderRewrites", "Limits", "Parser", "ContentSecurityPolicy"]) {
      expect(
        CASES.some((c) => c.resource.kind === kind && c.expect === "admit"),
        kind,
      ).toBe(true);
      expect(
        CASES.some((c) => c.resource.kind === kind && c.expect === "deny"),
        kind,
      ).toBe(true);
    }
  });

  it("both engines say why: Kyverno names the failed rule, Gatekeeper the constraint and the violation", () => {
    const [table] = TABLES;
    const index = table!.cases.findIndex((c) => c.name === "DenyRules: override lowering LDAP (no Rampart family)");
    const kyverno = evaluateKyverno(findIn(rendered, "ClusterPolicy"), requestOf(table!.cases[index]!.object), { missingKeys: "error" });
    expect(kyverno.results.find((r) => r.status === "fail")).toMatchObject({ rule: "airlock-deny-rules-overrides" });
    const constraint = findIn(rendered, "RampartBaseline");
    expect(gatekeeper[0]![index]!.messages).toEqual([`[${constraint.metadata.name}] DenyRules override sets LDAP to Basic, below the baseline floor Standard`]);
  });
});
