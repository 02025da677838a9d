// The compiled bundle: the wire format the proxy loads and validates. Every
// field is explicit (null rather than absent) so there is one canonical
// serialisation and the content hash is stable. Matchers and IP sets are
// precompiled so the proxy does no policy interpretation at request time.

import { z } from "zod";
import { ipRangeSetSchema, type IpRangeSet } from "./cidr";
import { policySourcesSchema } from "./effective-policy-schema";
import { pathMatcherSchema, type PathMatcher } from "./path-pattern";
import { DENY_FAMILIES, VIRTUAL_PATCH_MODES, denyLevelSchema } from "./sections/deny-rules";
import { REQUEST_PARTS } from "./sections/exceptions";
import { PARAMETER_LOCATIONS, PARAMETER_STYLES } from "./sections/openapi";
import { ENFORCEMENT_MODES, HTTP_METHODS, TLS_VERSIONS } from "./sections/policy-fields";
import { RATE_LIMIT_KEYS } from "./sections/rate-limits";
import { CONTENT_ENCODING_MODES, XML_DOCTYPE_MODES } from "./sections/request-bodies";
import { UNINSPECTED_MODES } from "./sections/request-limits";

// The precompiled matchers are defined beside the code that builds them; the bundle carries them.
export { ipRangeSetSchema, pathMatcherSchema, type IpRangeSet, type PathMatcher };

export const BUNDLE_FORMAT = "rampart.bundle/v1";

const mode = z.enum(ENFORCEMENT_MODES);
const method = z.enum(HTTP_METHODS);
const sha256Ref = z.string().regex(/^sha256:[0-9a-f]{64}$/);

const optionalMethods = z.array(method).nullable(); // null: every method

export const bundleBodySchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  /** The policy documents and versions this bundle was compiled from. */
  sources: policySourcesSchema,
  tls: z.strictObject({
    minVersion: z.enum(TLS_VERSIONS),
    cipherSuites: z.array(z.string()).min(1),
    certificates: z.array(z.strictObject({ ref: z.string(), hosts: z.array(z.string()) })),
  }),
  upstreamTls: z
    .strictObject({
      /** false: plain HTTP to the upstream. */
      enabled: z.boolean(),
      verify: z.boolean(),
      minVersion: z.enum(TLS_VERSIONS),
      serverName: z.string().nullable(),
      caRef: z.string().nullable(),
      clientCertificate: z.string().nullable(),
    })
    .nullable(),
  methods: z.array(method).min(1),
  /** null: no route restriction beyond the method list. */
  routes: z.array(z.strictObject({ path: pathMatcherSchema, methods: z.array(method).min(1) })).nullable(),
  /** Every rule whose paths match must admit the client address. */
  ipAllow: z.array(z.strictObject({ paths: z.array(pathMatcherSchema).min(1), ranges: ipRangeSetSchema })),
  geolocation: z.strictObject({ mode: z.enum(["off", "allow", "deny"]), countries: z.array(z.string()) }),
  threatIntel: z.strictObject({
    lists: z.array(z.strictObject({ name: z.string(), mode })),
    denyRanges: ipRangeSetSchema,
  }),
  adminBlocking: z.array(pathMatcherSchema),
  denyRules: z.strictObject(
    Object.fromEntries(DENY_FAMILIES.map((family) => [family, z.strictObject({ level: denyLevelSchema, mode })])) as Record<
      (typeof DENY_FAMILIES)[number],
      z.ZodObject<{ level: typeof denyLevelSchema; mode: typeof mode }, z.core.$strict>
    >,
  ),
  virtualPatches: z.strictObject({ log4shell: z.enum(VIRTUAL_PATCH_MODES) }),
  /** Families whose rules give way, on the content fields of the OpenAPI operations, to the field's profile (empty: none). */
  contentProfiles: z.strictObject({ allowRelax: z.array(z.enum(DENY_FAMILIES)) }),
  exceptions: z.array(
    z.strictObject({
      id: z.string(),
      family: z.enum(DENY_FAMILIES),
      /** null: the whole family. */
      ruleId: z.string().nullable(),
      part: z.enum(REQUEST_PARTS),
      /** Header names are lower-cased; null for path and json-pointer. */
      name: z.string().nullable(),
      pointer: z.string().nullable(),
      paths: z.array(pathMatcherSchema).min(1),
      methods: optionalMethods,
      /** Exclusive instant (the start of the day after the expiry date, UTC); the proxy stops honouring it then. */
      expiresAt: z.iso.datetime(),
    }),
  ),
  /** Response headers to set, sorted by lower-cased name. */
  responseHeaders: z.array(z.tuple([z.string(), z.string()])),
  cors: z
    .strictObject({
      allowOrigins: z.array(z.string()),
      allowMethods: z.array(method),
      allowHeaders: z.array(z.string()),
      exposeHeaders: z.array(z.string()),
      allowCredentials: z.boolean(),
      maxAgeSeconds: z.int(),
    })
    .nullable(),
  authentication: z.strictObject({
    required: z.boolean(),
    issuers: z.array(
      z.strictObject({
        issuer: z.string(),
        audiences: z.array(z.string()),
        jwksUrl: z.string().nullable(),
        keys: z.array(z.record(z.string(), z.string())).nullable(),
        algorithms: z.array(z.string()).min(1),
      }),
    ),
    publicPaths: z.array(pathMatcherSchema),
    rules: z.array(
      z.strictObject({
        paths: z.array(pathMatcherSchema).min(1),
        methods: optionalMethods,
        claims: z.array(z.strictObject({ name: z.string(), allOf: z.array(z.string()).nullable(), anyOf: z.array(z.string()).nullable() })),
      }),
    ),
    clockSkewSeconds: z.int().min(0),
  }),
  limits: z.strictObject({
    maxBodyBytes: z.int(),
    maxHeaderBytes: z.int(),
    maxHeaderCount: z.int(),
    maxUrlBytes: z.int(),
    maxParameterCount: z.int(),
    maxParameterBytes: z.int(),
    maxJsonDepth: z.int(),
    maxJsonBytes: z.int(),
    /** Anything beyond an inspection cap: refused, or forwarded and logged. */
    uninspected: z.enum(UNINSPECTED_MODES),
  }),
  bodies: z.strictObject({
    /** Compressed request bodies: decoded (bounded by maxBodyBytes) and inspected, or refused. */
    contentEncoding: z.enum(CONTENT_ENCODING_MODES),
    /** XML DOCTYPE with an internal subset or external identifier: refused unless the application allows it. */
    xmlDoctype: z.enum(XML_DOCTYPE_MODES),
    /** Uploads whose file name has one of these extensions (lower case, no dot) anywhere after its first dot are refused. */
    blockedUploadExtensions: z.array(z.string()),
  }),
  rateLimits: z.array(
    z.strictObject({
      id: z.string(),
      key: z.enum(RATE_LIMIT_KEYS),
      requests: z.int(),
      windowSeconds: z.int(),
      burst: z.int(),
      paths: z.array(pathMatcherSchema).min(1),
      methods: optionalMethods,
      mode,
    }),
  ),
  openapi: z
    .strictObject({
      mode,
      operations: z.array(
        z.strictObject({
          method,
          /** The OpenAPI path template, for logs. */
          template: z.string(),
          path: pathMatcherSchema,
          operationId: z.string().nullable(),
          parameters: z.array(
            z.strictObject({
              name: z.string(),
              in: z.enum(PARAMETER_LOCATIONS),
              required: z.boolean(),
              /** OpenAPI's serialisation, defaults filled in (query/cookie: form, exploded; path/header: simple). */
              style: z.enum(PARAMETER_STYLES),
              explode: z.boolean(),
              schema: z.record(z.string(), z.unknown()).nullable(),
            }),
          ),
          requestBody: z
            .strictObject({
              required: z.boolean(),
              content: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()),
            })
            .nullable(),
        }),
      ),
      /** The spec's components, for resolving $ref inside schemas. */
      components: z.record(z.string(), z.unknown()).nullable(),
    })
    .nullable(),
});
export type BundleBody = z.output<typeof bundleBodySchema>;

export const bundleSchema = bundleBodySchema.extend({
  /** sha256 of the canonical JSON of every other field. */
  contentHash: sha256Ref,
});
export type Bundle = z.output<typeof bundleSchema>;

/**
 * How a bundle travels to a proxy. The payload is the canonical JSON text
 * itself, not an object, so the signature is checked over the exact bytes that
 * were signed (re-serialising could differ).
 */
export const signedBundleSchema = z.strictObject({
  payload: z.string().min(2),
  contentHash: sha256Ref,
  signature: z.strictObject({
    algorithm: z.literal("ed25519"),
    /** Which signing key, so keys can be rotated. */
    keyId: z.string().min(1).max(200),
    /** The 64-byte Ed25519 signature over the UTF-8 payload, base64. */
    value: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, "must be a base64 Ed25519 signature (64 bytes)"),
  }),
});
export type SignedBundle = z.output<typeof signedBundleSchema>;
