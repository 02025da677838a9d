// Connected mode's "config" step: a verified DeliverySet plus how this proxy
// routes (one --upstream, or a gateway config whose routes name applications)
// → the BundleSet the runtime compiles. A route whose application is not in
// the set fails closed (503) while the others keep serving; a set the routing
// cannot place at all is refused like any invalid policy.

import path from "node:path";
import type { DeliverySet } from "@/lib/policy-spec";
import { bundleSetOf, readGatewayConfig, type BundleSet, type RouteSource, type UnavailableRouteSource } from "./load-bundle-set.js";
import { failLoad } from "./policy-load-error.js";

export type DeliveryRouting =
  /** --upstream: one application; `application` picks it by id or name when the set holds several. */
  | { kind: "microgateway"; upstream: string; application: string | null }
  /** --config: each route's `application` names an application of the set by id or name. */
  | { kind: "gateway"; configFile: string };

type DeliveredApplication = DeliverySet["applications"][number];

export interface RoutedDelivery {
  bundleSet: BundleSet;
  /** The applications some route enforces, for the status report. */
  served: Array<{ applicationId: string; contentHash: string }>;
}

export function routeDeliverySet(set: DeliverySet, routing: DeliveryRouting, source: string): RoutedDelivery {
  const routes: RouteSource[] = [];
  const unavailable: UnavailableRouteSource[] = [];
  const servedIds = new Set<string>();
  const place = (name: string, host: string | null, pathPrefix: string, upstream: string, wanted: string | null) => {
    const found = wanted === null ? onlyApplication(set, source) : findApplication(set, wanted);
    if (typeof found === "string") unavailable.push({ name, host, pathPrefix, reason: found });
    else {
      routes.push({ name, host, pathPrefix, upstream, bundle: found.bundle, applicationId: found.applicationId });
      servedIds.add(found.applicationId);
    }
  };
  let watchFiles: string[] = [];
  if (routing.kind === "microgateway") {
    place("default", null, "/", routing.upstream, routing.application);
  } else {
    const config = readGatewayConfig(routing.configFile);
    config.routes.forEach((route, index) => {
      if (route.application === undefined) {
        failLoad(
          routing.configFile,
          "in connected mode every route names its application (by portal id or name); policy and bundle files are for local mode",
          `$.routes.${index}`,
        );
      }
      place(route.name, route.host ?? null, route.path, route.upstream, route.application);
    });
    watchFiles = [path.resolve(routing.configFile)];
  }
  const served = set.applications
    .filter((a) => servedIds.has(a.applicationId))
    .map((a) => ({ applicationId: a.applicationId, contentHash: a.bundle.contentHash }));
  return { bundleSet: bundleSetOf(routes, watchFiles, unavailable), served };
}

/** Without a selector the set must hold exactly one application (a microgateway target). */
function onlyApplication(set: DeliverySet, source: string): DeliveredApplication | string {
  if (set.applications.length === 1) return set.applications[0]!;
  if (set.applications.length === 0) return `target ${set.target.name} has no application in its delivered set`;
  return failLoad(
    source,
    `target ${set.target.name} delivers ${set.applications.length} applications (${set.applications.map((a) => a.name).join(", ")}); name one with --application or route them with --config`,
    "$.payload.applications",
  );
}

/** By id first, then by name; a miss (or an ambiguous name) is the reason the route is unavailable. */
function findApplication(set: DeliverySet, wanted: string): DeliveredApplication | string {
  const byId = set.applications.find((a) => a.applicationId === wanted);
  if (byId) return byId;
  const byName = set.applications.filter((a) => a.name === wanted);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1) return `application name "${wanted}" is ambiguous in the delivered set; use its id`;
  return `application "${wanted}" is not in the set delivered to target ${set.target.name}`;
}
