// The Gateway API HTTPRoutes that rendered policies attach to (Airlock's
// ContentSecurityPolicy and AccessControlPolicy `targetRefs`). Rampart does not
// render the route — it belongs to the application's deployment — so a plan
// asks the cluster whether each one exists: a policy attached to a missing
// route, or on a cluster without the Gateway API, protects nothing.
import "server-only";
import { ClusterError, classifyKubeError } from "./cluster-error";
import { createKubeClient } from "./kube-client";
import { readLiveObject } from "./read-live-object";
import type { ClusterResource } from "./resource-ref";
import { RetriesExhausted, type RetryOptions } from "./retry-transient";

export const GATEWAY_API_GROUP = "gateway.networking.k8s.io";
const HTTP_ROUTE_API_VERSION = `${GATEWAY_API_GROUP}/v1`;

export interface RouteTarget {
  namespace: string;
  name: string;
  /** The rendered resources that attach to it ("ContentSecurityPolicy payments-api"). */
  attachedBy: string[];
  /** The application label of those resources (null: none). */
  application: string | null;
}

export type RouteState = "present" | "missing" | "gateway-api-missing" | "unknown";

export interface RouteAttachment extends RouteTarget {
  state: RouteState;
  /** For the person reading the plan; null when the route is there. */
  message: string | null;
}

/** Every HTTPRoute named in a rendered resource's spec.targetRefs, once per namespace/name. */
export function routeTargetsOf(resources: readonly ClusterResource[]): RouteTarget[] {
  const byKey = new Map<string, RouteTarget>();
  for (const resource of resources) {
    const refs = (resource.spec as { targetRefs?: unknown } | undefined)?.targetRefs;
    if (!Array.isArray(refs)) continue;
    for (const ref of refs as Array<{ group?: unknown; kind?: unknown; name?: unknown; namespace?: unknown }>) {
      if (ref.group !== GATEWAY_API_GROUP || ref.kind !== "HTTPRoute" || typeof ref.name !== "string") continue;
      // A policy's targetRef names a route in the policy's own namespace (Gateway API LocalPolicyTargetReference).
      const namespace = resource.metadata.namespace ?? "default";
      const key = `${namespace}/${ref.name}`;
      let target = byKey.get(key);
      if (!target)
        byKey.set(key, (target = { namespace, name: ref.name, attachedBy: [], application: resource.metadata.labels?.["rampart.dev/application"] ?? null }));
      target.attachedBy.push(`${resource.kind} ${resource.metadata.name}`);
    }
  }
  return [...byKey.values()];
}

/** Asks the cluster for each route; never throws for a route it cannot read (that is reported as "unknown"). */
export async function checkRouteAttachments(input: {
  kubeconfig: string;
  resources: readonly ClusterResource[];
  retry?: RetryOptions;
}): Promise<RouteAttachment[]> {
  const targets = routeTargetsOf(input.resources);
  if (targets.length === 0) return [];
  const client = createKubeClient(input.kubeconfig);
  const results: RouteAttachment[] = [];
  for (const target of targets) {
    const route = `HTTPRoute ${target.namespace}/${target.name}`;
    const by = target.attachedBy.join(", ");
    const header: ClusterResource = { apiVersion: HTTP_ROUTE_API_VERSION, kind: "HTTPRoute", metadata: { name: target.name, namespace: target.namespace } };
    try {
      const live = await readLiveObject(client, header, input.retry ?? {});
      if (live.object !== null) results.push({ ...target, state: "present", message: null });
      else
        results.push({
          ...target,
          state: "missing",
          message: `${route} does not exist: ${by} attach to it and protect nothing until the application's HTTPRoute is created.`,
        });
    } catch (raw) {
      const error = raw instanceof RetriesExhausted ? raw.error : raw instanceof ClusterError ? raw : classifyKubeError(raw, { server: client.server });
      if (error.kind === "missing-kind") {
        results.push({
          ...target,
          state: "gateway-api-missing",
          message: `The cluster does not serve HTTPRoute (${HTTP_ROUTE_API_VERSION}): the Gateway API CRDs are not installed, so ${by} cannot attach to ${route}.`,
        });
      } else {
        results.push({ ...target, state: "unknown", message: `Could not check that ${route} exists (${error.message}); ${by} attach to it.` });
      }
    }
  }
  return results;
}
