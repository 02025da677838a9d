// Bundle → the compiled policy of one route: the middleware chain in phase
// order, the response header rules and the upstream. This is the "compile"
// step of config → compile → evaluate → forward. Everything that can fail
// (unknown rule ids, unsupported schemas, missing operator files) fails here,
// when the policy loads, never on a request.

import type { Bundle, IpRangeSet } from "@/lib/policy-spec";
import { newAdminBlocking } from "../middleware/admin-blocking/new-admin-blocking.js";
import { newCors, type Cors } from "../middleware/cors/new-cors.js";
import { newDenyRules } from "../middleware/deny-rules/new-deny-rules.js";
import { newIpFilter } from "../middleware/ip-filter/new-ip-filter.js";
import { newMethodRoute } from "../middleware/method-route/new-method-route.js";
import { newOpenApiValidation } from "../middleware/openapi/new-openapi-validation.js";
import { newRateLimit } from "../middleware/rate-limit/new-rate-limit.js";
import { newRequestLimits } from "../middleware/request-limits/new-request-limits.js";
import { newRequestReading } from "../middleware/request-reading/new-request-reading.js";
import { newResponseHeaders, type ResponseHeaders } from "../middleware/response-headers/new-response-headers.js";
import { newTlsPolicy } from "../middleware/tls-policy/new-tls-policy.js";
import { newTokenVerification } from "../middleware/token-verification/new-token-verification.js";
import { loadCountryDatabase } from "../resources/country-database.js";
import { loadThreatList } from "../resources/threat-lists.js";
import type { Middleware } from "./middleware.js";
import type { RuntimeOptions } from "./runtime-options.js";
import { acquireUpstream, type Upstream } from "./upstream-pool.js";

export interface CompiledRoute {
  readonly name: string;
  readonly host: string | null;
  readonly pathPrefix: string;
  readonly bundle: Bundle;
  /** The portal's application id (connected mode), for security events; null for local policy files. */
  readonly applicationId: string | null;
  /** onRequest middlewares, in order. */
  readonly head: ReadonlyArray<NonNullable<Middleware["onRequest"]>>;
  /** onBody middlewares, in order. */
  readonly body: ReadonlyArray<NonNullable<Middleware["onBody"]>>;
  readonly limits: Bundle["limits"];
  readonly responseHeaders: ResponseHeaders;
  readonly cors: Cors | null;
  readonly upstream: Upstream;
}

export interface RouteSourceLike {
  name: string;
  host: string | null;
  pathPrefix: string;
  upstream: string;
  bundle: Bundle;
  applicationId?: string;
}

export function compileRoute(source: RouteSourceLike, options: RuntimeOptions): CompiledRoute {
  const bundle = source.bundle;
  const threatLists = new Map<string, IpRangeSet>();
  for (const list of bundle.threatIntel.lists) threatLists.set(list.name, loadThreatList(options.threatIntelDir, list.name).ranges);
  const countries = bundle.geolocation.mode !== "off" && options.geoDb !== null ? loadCountryDatabase(options.geoDb) : null;
  const cors = bundle.cors ? newCors(bundle.cors) : null;

  // Cheap refusals first; the deny rules (the costliest step) run on what is left.
  const chain: Array<Middleware | null> = [
    newTlsPolicy(bundle.tls),
    newIpFilter({ ipAllow: bundle.ipAllow, threatIntel: bundle.threatIntel, geolocation: bundle.geolocation }, { threatLists, countries }),
    newRequestLimits(bundle.limits),
    newRequestReading({ limits: bundle.limits, bodies: bundle.bodies }, { maxInspectBytes: options.maxInspectBytes }),
    cors?.preflight ?? null,
    newMethodRoute({ methods: bundle.methods, routes: bundle.routes }),
    newAdminBlocking(bundle.adminBlocking),
    newTokenVerification(bundle.authentication, { tokenCookie: options.tokenCookie, jwks: options.jwks }),
    newRateLimit(bundle.rateLimits, source.name),
    bundle.openapi ? newOpenApiValidation(bundle.openapi) : null,
    newDenyRules(
      {
        denyRules: bundle.denyRules,
        uninspected: bundle.limits.uninspected,
        virtualPatches: bundle.virtualPatches,
        exceptions: bundle.exceptions,
        contentFields: { openapi: bundle.openapi, contentProfiles: bundle.contentProfiles },
      },
      { maxInspectBytes: options.maxInspectBytes },
    ),
  ];
  const active = chain.filter((m): m is Middleware => m !== null);
  // Deny rules inspect the body before the schema is checked: an attack is reported as an attack, not as a schema error.
  const bodyOrder = [...active].sort((a, b) => bodyRank(a.name) - bodyRank(b.name));
  return {
    name: source.name,
    host: source.host,
    pathPrefix: source.pathPrefix,
    bundle,
    applicationId: source.applicationId ?? null,
    head: active.flatMap((m) => (m.onRequest ? [m.onRequest] : [])),
    body: bodyOrder.flatMap((m) => (m.onBody ? [m.onBody] : [])),
    limits: bundle.limits,
    responseHeaders: newResponseHeaders({ responseHeaders: bundle.responseHeaders, cors: bundle.cors }),
    cors,
    upstream: acquireUpstream(source.upstream, bundle.upstreamTls, options),
  };
}

/** Body phase: decode and read the body first (everything after sees the decoded content), then limits, deny rules, OpenAPI. */
function bodyRank(name: string): number {
  return name === "request-reading" ? -1 : name === "request-limits" ? 0 : name === "deny-rules" ? 1 : 2;
}
