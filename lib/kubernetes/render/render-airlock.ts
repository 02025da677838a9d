// The Airlock Microgateway export (microgateway.airlock.com/v1alpha1, the
// Gateway API flavour of Airlock Microgateway 4.x): one ContentSecurityPolicy
// attached to the application's HTTPRoute, referencing DenyRules, Limits,
// Parser, HeaderRewrites and, with an OpenAPI section, APIProtection → OpenAPI
// → a ConfigMap holding the specification. Field names follow the vendored
// upstream CRDs (tests/fixtures/kubernetes-schemas/airlock/), against which
// the tests validate every resource.
//
// Whatever Rampart enforces that Airlock cannot express is returned in
// `unmapped` for this policy (and listed generally in docs/airlock-mapping.md).
// Where a setting maps only approximately, the export errs towards blocking:
// an exception that cannot be expressed is left out rather than widened.

import { DENY_LEVELS, unescapePointerToken, type Bundle, type DenyFamily, type DenyLevel, type EffectivePolicy, type PathMatcher } from "@/lib/policy-spec";
import {
  AIRLOCK_DENY_RULE_KEYS,
  AIRLOCK_KEYS_BY_FAMILY,
  AIRLOCK_LEVEL,
  familiesOfAirlockKey,
  type AirlockDenyRuleKey,
  type AirlockLevel,
} from "./airlock-deny-rule-keys";
import { rampartLabels, resourceName, type KubernetesResource } from "./kubernetes-resource";
import { renderContentExceptions } from "./airlock-content-exceptions";
import { toOpenApi30 } from "./openapi-3-0";
import { APPLICATION_LABEL, CONTENT_HASH_ANNOTATION } from "./render-rampart-policy";

export const AIRLOCK_API_VERSION = "microgateway.airlock.com/v1alpha1";
/** The earliest instant an exported exception must stop applying; Airlock has no expiry, so Rampart re-renders then. */
export const EXCEPTIONS_EXPIRE_ANNOTATION = "rampart.dev/exceptions-expire-at";

export interface RenderAirlockOptions {
  application: string;
  namespace: string;
  bundle: Bundle;
  /** For the OpenAPI document, which the bundle carries only in compiled form. */
  effective: EffectivePolicy;
  /** The Gateway API HTTPRoute the ContentSecurityPolicy attaches to; defaults to the application's name. */
  httpRouteName?: string;
}

export interface AirlockExport {
  resources: KubernetesResource[];
  /** This policy's settings the export could not express, in words for the person publishing. */
  unmapped: string[];
}

type Mode = "Block" | "LogOnly";
interface KeySettings {
  level: AirlockLevel;
  threatHandlingMode: Mode;
}

export function renderAirlock(options: RenderAirlockOptions): AirlockExport {
  const { application, namespace, bundle, effective } = options;
  const name = resourceName(application);
  const unmapped: string[] = [];
  const metadata = (resourceNameValue: string, annotations: Record<string, string> = {}) => ({
    name: resourceNameValue,
    namespace,
    labels: rampartLabels({ [APPLICATION_LABEL]: application }),
    annotations: { [CONTENT_HASH_ANNOTATION]: bundle.contentHash, ...annotations },
  });

  const denyRules = renderDenyRules(bundle, unmapped);
  const expiries = bundle.exceptions.map((exception) => exception.expiresAt).sort();
  const resources: KubernetesResource[] = [
    {
      apiVersion: AIRLOCK_API_VERSION,
      kind: "DenyRules",
      metadata: metadata(name, expiries.length > 0 ? { [EXCEPTIONS_EXPIRE_ANNOTATION]: expiries[0]! } : {}),
      spec: denyRules,
    },
    { apiVersion: AIRLOCK_API_VERSION, kind: "Limits", metadata: metadata(name), spec: renderLimits(bundle, unmapped) },
    {
      apiVersion: AIRLOCK_API_VERSION,
      kind: "Parser",
      metadata: metadata(name),
      // Rampart inspects JSON, form and multipart bodies; the parsers must be on for deny rules to see them.
      spec: { request: { parsers: { json: { enable: true }, form: { enable: true }, multipart: { enable: true } } } },
    },
    { apiVersion: AIRLOCK_API_VERSION, kind: "HeaderRewrites", metadata: metadata(name), spec: renderHeaderRewrites(bundle) },
  ];

  const secured: Record<string, unknown> = {
    filter: { denyRulesRef: { name } },
    limitsRef: { name },
    parserRef: { name },
    headerRewritesRef: { name },
  };
  const openapi = bundle.openapi && effective.openapi ? toOpenApi30(effective.openapi.spec as Record<string, unknown>) : null;
  if (openapi && !openapi.ok) {
    unmapped.push(
      `The OpenAPI document is not exported: Airlock reads OpenAPI 3.0 and an invalid document makes it block every request (${openapi.reasons.slice(0, 5).join("; ")}${openapi.reasons.length > 5 ? "; …" : ""}).`,
    );
  } else if (openapi?.converted) {
    unmapped.push(
      "The OpenAPI 3.1 document is exported converted to OpenAPI 3.0 (what Airlock reads); the conversion changes how its schemas are spelled, not what they allow.",
    );
  }
  if (bundle.openapi && openapi?.ok) {
    const configMapName = resourceName(application, "openapi");
    resources.push(
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: metadata(configMapName),
        // The well-known key Airlock reads (OpenAPI spec.settings.schema.source.configMapRef).
        data: { "openapi.json": JSON.stringify(openapi.document, null, 2) },
      },
      {
        apiVersion: AIRLOCK_API_VERSION,
        kind: "OpenAPI",
        metadata: metadata(name),
        spec: {
          settings: {
            schema: { source: { configMapRef: { name: configMapName } } },
            threatHandlingMode: bundle.openapi.mode === "block" ? "Block" : "LogOnly",
          },
        },
      },
      {
        apiVersion: AIRLOCK_API_VERSION,
        kind: "APIProtection",
        metadata: metadata(name),
        spec: { policies: [{ name: "openapi", openAPIRef: { name } }] },
      },
    );
    secured.apiProtectionRef = { name };
  }
  const targetRefs = [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute", name: options.httpRouteName ?? name }];
  // The route belongs to the application's deployment (backends, hostnames, its Gateway), which Rampart does not know.
  unmapped.push(
    `The policies attach to HTTPRoute ${namespace}/${targetRefs[0]!.name}, which Rampart does not render: it must exist (created with the application), or Airlock protects nothing.`,
  );
  resources.push({ apiVersion: AIRLOCK_API_VERSION, kind: "ContentSecurityPolicy", metadata: metadata(name), spec: { targetRefs, secured } });
  resources.push(...renderAccessControl({ application, bundle, metadata, targetRefs, unmapped }));

  unmapped.push(...unmappedSections(bundle));
  return { resources, unmapped };
}

function stricterLevel(a: DenyLevel, b: DenyLevel): DenyLevel {
  return DENY_LEVELS.indexOf(a) >= DENY_LEVELS.indexOf(b) ? a : b;
}

/**
 * The global settings are the strictest any family asks for (keys no Rampart
 * family maps to, such as LDAP and IDOR, inherit them: fail closed); families
 * that are set lower get overrides for exactly their keys.
 */
function renderDenyRules(bundle: Bundle, unmapped: string[]) {
  const keySettings = new Map<AirlockDenyRuleKey, { level: DenyLevel; block: boolean }>();
  for (const key of AIRLOCK_DENY_RULE_KEYS) {
    const families = familiesOfAirlockKey(key);
    if (families.length === 0) continue;
    keySettings.set(key, {
      level: families.map((family) => bundle.denyRules[family].level).reduce(stricterLevel),
      block: families.some((family) => bundle.denyRules[family].mode === "block"),
    });
  }
  const global: KeySettings = {
    level: AIRLOCK_LEVEL[[...keySettings.values()].map((entry) => entry.level).reduce(stricterLevel)],
    threatHandlingMode: [...keySettings.values()].some((entry) => entry.block) ? "Block" : "LogOnly",
  };
  const groups = new Map<string, { settings: KeySettings; keys: AirlockDenyRuleKey[] }>();
  for (const [key, entry] of keySettings) {
    const settings: KeySettings = { level: AIRLOCK_LEVEL[entry.level], threatHandlingMode: entry.block ? "Block" : "LogOnly" };
    if (settings.level === global.level && settings.threatHandlingMode === global.threatHandlingMode) continue;
    const id = `${settings.level}/${settings.threatHandlingMode}`;
    const group = groups.get(id) ?? { settings, keys: [] };
    group.keys.push(key);
    groups.set(id, group);
  }
  const overrides = [...groups.values()]
    .sort((a, b) => (a.keys[0]! < b.keys[0]! ? -1 : 1))
    .map((group) => ({ conditions: { ruleKeys: [...group.keys].sort() }, settings: group.settings }));

  if (bundle.virtualPatches.log4shell === "block" && bundle.denyRules.java.mode === "log-only") {
    unmapped.push(
      "The Log4Shell virtual patch blocks while the java family only logs; Airlock has no separate virtual patch, so EXPLOIT/OGNL/TEMPLATE log only.",
    );
  }

  const exceptions = [
    ...bundle.exceptions.flatMap((exception) => renderException(exception, unmapped)),
    ...renderContentExceptions(bundle, stringMatcher, unmapped),
  ];
  const builtIn: Record<string, unknown> = { settings: global };
  if (overrides.length > 0) builtIn.overrides = overrides;
  if (exceptions.length > 0) builtIn.exceptions = exceptions;
  return { request: { builtIn } };
}

type BundleException = Bundle["exceptions"][number];

function renderException(exception: BundleException, unmapped: string[]) {
  const ruleKeys = [...AIRLOCK_KEYS_BY_FAMILY[exception.family as DenyFamily]].sort();
  if (exception.ruleId !== null) {
    unmapped.push(`Exception "${exception.id}" names rule ${exception.ruleId}; Airlock can only except whole rule groups (${ruleKeys.join(", ")}).`);
  }
  if (exception.part === "cookie") {
    unmapped.push(
      `Exception "${exception.id}" on a cookie cannot be expressed in Airlock DenyRules; it is left out, so Airlock blocks what Rampart would let through.`,
    );
    return [];
  }
  return exception.paths.map((path) => {
    const requestConditions: Record<string, unknown> = { path: { matcher: stringMatcher(path) } };
    if (exception.methods) requestConditions.method = [...exception.methods];
    return { blockedData: blockedDataOf(exception, path), requestConditions, ruleKeys };
  });
}

/** The request element the exception tolerates; cookies are handled (left out) by the caller. */
function blockedDataOf(exception: BundleException, path: PathMatcher): Record<string, unknown> {
  switch (exception.part) {
    case "parameter":
      return { parameter: { name: { matcher: { exact: exception.name!, ignoreCase: false } } } };
    case "header":
      return { header: { name: { matcher: { exact: exception.name! } } } };
    case "path":
      return { path: { matcher: stringMatcher(path) } };
    case "json-pointer":
      return { json: { jsonPath: jsonPathOf(exception.pointer!) } };
    default:
      throw new Error(`no Airlock blockedData for part ${exception.part}`);
  }
}

/** RFC 6901 pointer → JSONPath in bracket notation (keys may contain any character). */
export function jsonPathOf(pointer: string): string {
  const segments = pointer.slice(1).split("/").map(unescapePointerToken);
  return `$${segments.map((segment) => `['${segment.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}']`).join("")}`;
}

/** Rampart's compiled path matcher → Airlock's StringMatcher (RE2 regex where needed). */
export function stringMatcher(matcher: PathMatcher): Record<string, unknown> {
  const ignoreCase = matcher.caseInsensitive;
  if (matcher.kind === "exact") return { exact: matcher.value, ignoreCase };
  // Rampart's prefix means "the path itself or anything below it", not a string prefix.
  if (matcher.kind === "prefix") return { regex: `^${escapeRe2(matcher.value)}(/.*)?$`, ignoreCase };
  return { regex: matcher.source, ignoreCase };
}

function escapeRe2(text: string): string {
  return text.replace(/[\\.^$|?*+()[\]{}]/g, "\\$&");
}

function renderLimits(bundle: Bundle, unmapped: string[]) {
  const limits = bundle.limits;
  unmapped.push(
    `Header limits (${limits.maxHeaderBytes} bytes, ${limits.maxHeaderCount} headers) have no Airlock Limits field; configure them on the Gateway/Envoy listener.`,
  );
  // Airlock's general.bodySize does not cover the bodies its parsers handle: each parser has its own
  // limit with a default of its own (multipart 100Mi), so every one is set, never looser than Rampart.
  return {
    settings: { threatHandlingMode: "Block" },
    request: {
      limited: {
        general: { bodySize: limits.maxBodyBytes, pathLength: limits.maxUrlBytes },
        json: { bodySize: Math.min(limits.maxJsonBytes, limits.maxBodyBytes), nestingDepth: limits.maxJsonDepth },
        parameter: { bodySize: limits.maxBodyBytes, count: limits.maxParameterCount, valueLength: limits.maxParameterBytes },
        multipart: { bodySize: limits.maxBodyBytes },
      },
    },
  };
}

/** Rampart sets exactly its own headers, so Airlock's built-in defaults are switched off and replaced. */
function renderHeaderRewrites(bundle: Bundle) {
  const response: Record<string, unknown> = {
    builtIn: {
      csp: false,
      featurePolicy: false,
      hsts: false,
      hstsPreload: false,
      permissionsPolicy: false,
      referrerPolicy: false,
      xContentTypeOptions: false,
      xFrameOptions: false,
    },
  };
  if (bundle.responseHeaders.length > 0) {
    response.custom = [
      {
        name: "rampart-security-headers",
        mode: "OverwriteOrAdd",
        headers: bundle.responseHeaders.map(([name, value]) => ({ name, value })),
      },
    ];
  }
  return { response: { add: response } };
}

function unmappedSections(bundle: Bundle): string[] {
  const notes: string[] = [];
  if (bundle.ipAllow.length > 0) notes.push("IP allow rules are not exported (Airlock Microgateway has no per-path client-address allow list in these CRDs).");
  if (bundle.geolocation.mode !== "off") notes.push("Geolocation rules are not exported (no Airlock Microgateway counterpart).");
  if (bundle.threatIntel.lists.length > 0 || bundle.threatIntel.denyRanges.v4.length + bundle.threatIntel.denyRanges.v6.length > 0) {
    notes.push("Threat-intelligence lists and blocked networks are not exported.");
  }
  if (bundle.adminBlocking.length > 0) notes.push("Admin-path blocking is not exported; Airlock would need custom deny rules or route restrictions.");
  if (bundle.routes) notes.push("The route allow list is not exported; express it in the HTTPRoute's matches.");
  if (bundle.cors) notes.push("CORS is not exported (Airlock handles CORS only by removing permissive CORS headers).");
  if (bundle.rateLimits.length > 0) notes.push("Rate limits are not exported (Airlock's RateLimitPolicy is not yet rendered by Rampart).");
  if (bundle.methods.length < 7 || bundle.methods.includes("TRACE") || bundle.methods.includes("CONNECT")) {
    notes.push("The allowed-methods list is not exported; restrict methods in the HTTPRoute.");
  }
  return notes;
}

interface AccessControlContext {
  application: string;
  bundle: Bundle;
  metadata: (name: string) => KubernetesResource["metadata"];
  targetRefs: { group: string; kind: string; name: string }[];
  unmapped: string[];
}

/**
 * Token verification → JWKS (one per issuer; inline keys go to a Secret under
 * the key Airlock reads, jwks.json), one JWT accepting any configured issuer,
 * and an AccessControlPolicy whose first-match policies are: public paths
 * (no authorization), claim rules, then everything else.
 */
function renderAccessControl({ application, bundle, metadata, targetRefs, unmapped }: AccessControlContext): KubernetesResource[] {
  const authentication = bundle.authentication;
  if (authentication.issuers.length === 0) {
    if (authentication.required || authentication.rules.length > 0) {
      unmapped.push("Authentication is required but no issuer is configured; nothing could be exported for it.");
    }
    return [];
  }
  const name = resourceName(application);
  const resources: KubernetesResource[] = [];
  const requireAny = authentication.issuers.map((issuer, index) => {
    const jwksName = resourceName(application, `jwks-${index + 1}`);
    let provider: Record<string, unknown>;
    if (issuer.jwksUrl !== null) {
      provider = { remote: { uri: issuer.jwksUrl } };
    } else {
      // Public keys only (the policy schema refuses private members), but Airlock reads local key sets from a Secret.
      // data, not stringData: the server stores stringData into data, so with server-side apply Rampart would own
      // a field that never exists and a changed or removed key would not follow (Kubernetes' documented snag).
      resources.push({
        apiVersion: "v1",
        kind: "Secret",
        metadata: metadata(jwksName),
        type: "Opaque",
        data: { "jwks.json": Buffer.from(JSON.stringify({ keys: issuer.keys ?? [] }), "utf8").toString("base64") },
      });
      provider = { local: { secretRef: { name: jwksName } } };
    }
    resources.push({ apiVersion: AIRLOCK_API_VERSION, kind: "JWKS", metadata: metadata(jwksName), spec: { provider } });
    const entry: Record<string, unknown> = { issuer: issuer.issuer, jwksRef: { name: jwksName } };
    if (issuer.audiences.length > 0) entry.audiences = [...issuer.audiences];
    return entry;
  });
  unmapped.push(
    `Signature algorithms (${[...new Set(authentication.issuers.flatMap((issuer) => issuer.algorithms))].join(", ")}) cannot be restricted in Airlock's JWT; it accepts what the key set allows.`,
  );
  resources.push({
    apiVersion: AIRLOCK_API_VERSION,
    kind: "JWT",
    metadata: metadata(name),
    spec: { expirationRequired: true, clockSkewTolerance: `${authentication.clockSkewSeconds}s`, requireAny },
  });

  const authenticate = { jwt: { jwtRef: { name } } };
  const policies: Record<string, unknown>[] = authentication.publicPaths.map((path) => ({
    requestConditions: { path: { matcher: stringMatcher(path) } },
    authorization: {},
  }));
  for (const rule of authentication.rules) {
    // allOf: one condition per value; anyOf: one condition matching any of the values; neither: the claim must exist.
    const requireAll = rule.claims.flatMap((claim) => {
      const conditions = [
        ...(claim.allOf ?? []).map((value) => claimCondition(claim.name, [value])),
        ...(claim.anyOf ? [claimCondition(claim.name, claim.anyOf)] : []),
      ];
      return conditions.length > 0 ? conditions : [{ jwt: { claim: { name: claim.name } } }];
    });
    for (const path of rule.paths) {
      const requestConditions: Record<string, unknown> = { path: { matcher: stringMatcher(path) } };
      if (rule.methods) requestConditions.method = [...rule.methods];
      policies.push({ requestConditions, authorization: { authentication: authenticate, requireAll } });
    }
  }
  if (authentication.rules.length > 1) {
    unmapped.push(
      "Claim rules: Rampart applies every rule whose paths match, Airlock only the first matching policy; where two rules' paths overlap, only the first rule's claims are checked there.",
    );
  }
  if (authentication.required) {
    policies.push({ authorization: { authentication: authenticate } });
  } else {
    policies.push({ authorization: {} });
    unmapped.push(
      "Authentication is optional: Rampart still verifies a token that is present, Airlock lets requests outside the claim rules through unverified.",
    );
  }
  resources.push({ apiVersion: AIRLOCK_API_VERSION, kind: "AccessControlPolicy", metadata: metadata(name), spec: { targetRefs, policies } });
  return resources;
}

function claimCondition(name: string, values: string[]) {
  return { jwt: { claim: { name, value: { matcher: { regex: claimValueRegex(values) } } } } };
}

/** Matches a claim holding one of the values, as an array element or a word of a space-separated string (scope). */
export function claimValueRegex(values: string[]): string {
  const alternatives = values.map(escapeRe2).join("|");
  return values.length === 1 ? `(^|\\s)${alternatives}(\\s|$)` : `(^|\\s)(${alternatives})(\\s|$)`;
}
