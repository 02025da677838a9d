// BundleSet → Snapshot: every route compiled, plus what the listeners need
// (TLS settings, SNI certificates, header limits). A snapshot is immutable; a
// reload compiles a whole new one and swaps the reference (see
// policy-runtime.ts), so a request that started on one snapshot finishes on it.

import { createSecureContext, DEFAULT_CIPHERS, type SecureContext } from "node:tls";
import type { BundleSet } from "../policy/load-bundle-set.js";
import { readRef } from "../resources/read-ref.js";
import { compileRoute, type CompiledRoute } from "./compile-route.js";
import type { RuntimeOptions } from "./runtime-options.js";
import { releaseUpstream } from "./upstream-pool.js";

export interface ListenerTls {
  minVersion: "TLSv1.2" | "TLSv1.3";
  /** OpenSSL cipher list (TLS 1.2 and 1.3 names). */
  ciphers: string;
}

/** A route that fails closed (503): connected mode, its application is not in the delivered set. */
export interface UnavailableRoute {
  readonly name: string;
  readonly host: string | null;
  readonly pathPrefix: string;
  readonly unavailable: string;
}

export interface Snapshot {
  readonly generation: number;
  readonly fingerprint: string;
  readonly loadedAt: number;
  /** The compiled routes (what holds upstream pools and policies). */
  readonly routes: readonly CompiledRoute[];
  /** Every route, compiled or unavailable, in selection order: what selectRoute walks. */
  readonly lookup: ReadonlyArray<CompiledRoute | UnavailableRoute>;
  /** The loosest TLS any route accepts; each route enforces its own floor on top. */
  readonly listenerTls: ListenerTls;
  /** SNI certificates from the policies' tls.certificates. */
  readonly certificates: ReadonlyArray<{ hosts: readonly string[]; context: SecureContext }>;
  /** The largest header count any route allows (Node's parser is told to keep one more). */
  readonly maxHeaderCount: number;
  readonly maxHeaderBytes: number;
  readonly maxUrlBytes: number;
}

export function compileSnapshot(set: BundleSet, options: RuntimeOptions, generation: number): Snapshot {
  const routes: CompiledRoute[] = [];
  try {
    for (const source of set.routes) routes.push(compileRoute(source, options));
  } catch (error) {
    for (const route of routes) releaseUpstream(route.upstream);
    throw error;
  }
  routes.sort(routeOrder);
  const unavailable: UnavailableRoute[] = set.unavailable.map((r) => ({ name: r.name, host: r.host, pathPrefix: r.pathPrefix, unavailable: r.reason }));
  const lookup = unavailable.length === 0 ? routes : [...routes, ...unavailable].sort(routeOrder);
  const listenerTls = loosestTls(routes);
  const certificates: Array<{ hosts: readonly string[]; context: SecureContext }> = [];
  const seen = new Set<string>();
  for (const route of routes) {
    for (const certificate of route.bundle.tls.certificates) {
      if (seen.has(certificate.ref)) continue;
      seen.add(certificate.ref);
      const pem = readRef(certificate.ref, { secretsDir: options.secretsDir, baseDir: process.cwd() });
      certificates.push({
        hosts: certificate.hosts,
        context: createSecureContext({ cert: pem, key: pem, minVersion: listenerTls.minVersion, ciphers: listenerTls.ciphers }),
      });
    }
  }
  return {
    generation,
    fingerprint: set.fingerprint,
    loadedAt: Date.now(),
    routes,
    lookup,
    listenerTls,
    certificates,
    // With no compiled route (every application missing) the listeners still need bounds; every request then gets 503.
    maxHeaderCount: Math.max(100, ...routes.map((r) => r.limits.maxHeaderCount)),
    maxHeaderBytes: Math.max(routes.length === 0 ? 16 * 1024 : 0, ...routes.map((r) => r.limits.maxHeaderBytes)),
    maxUrlBytes: Math.max(routes.length === 0 ? 8 * 1024 : 0, ...routes.map((r) => r.limits.maxUrlBytes)),
  };
}

/** Releases what only this snapshot held (upstream pools), once it is no longer current. */
export function retireSnapshot(snapshot: Snapshot): void {
  for (const route of snapshot.routes) releaseUpstream(route.upstream);
}

/** Host-specific routes before wildcard hosts before any host; longer path prefixes first. */
function routeOrder(a: RoutePlace, b: RoutePlace): number {
  const rank = (r: RoutePlace) => (r.host === null ? 2 : r.host.startsWith("*.") ? 1 : 0);
  return rank(a) - rank(b) || b.pathPrefix.length - a.pathPrefix.length;
}

type RoutePlace = Pick<CompiledRoute, "host" | "pathPrefix">;

export function isUnavailable(route: CompiledRoute | UnavailableRoute): route is UnavailableRoute {
  return "unavailable" in route;
}

/** The route serving host and normalised path, or null. */
export function selectRoute(snapshot: Snapshot, host: string, path: string): CompiledRoute | UnavailableRoute | null {
  const routes = snapshot.lookup;
  if (routes.length === 1) {
    const only = routes[0]!;
    return only.host === null && only.pathPrefix === "/" ? only : matches(only, host, path) ? only : null;
  }
  for (const route of routes) if (matches(route, host, path)) return route;
  return null;
}

function matches(route: RoutePlace, host: string, path: string): boolean {
  if (route.host !== null) {
    if (route.host.startsWith("*.")) {
      if (!host.endsWith(route.host.slice(1)) || host.length <= route.host.length - 1) return false;
    } else if (host !== route.host) return false;
  }
  const prefix = route.pathPrefix;
  return prefix === "/" || path === prefix || path.startsWith(`${prefix}/`);
}

function loosestTls(routes: readonly CompiledRoute[]): ListenerTls {
  const minVersion = routes.some((r) => r.bundle.tls.minVersion === "1.2") ? "TLSv1.2" : "TLSv1.3";
  const ciphers: string[] = [];
  for (const route of routes) for (const cipher of route.bundle.tls.cipherSuites) if (!ciphers.includes(cipher)) ciphers.push(cipher);
  return { minVersion, ciphers: ciphers.length > 0 ? ciphers.join(":") : DEFAULT_CIPHERS };
}
