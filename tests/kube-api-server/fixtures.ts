// Objects for tests against the test API server: a small CRD of any shape,
// the RampartPolicy CRD and resource as lib/kubernetes/render renders them,
// and compiled bundles built the way the portal builds them.

import type { Bundle } from "@/lib/policy-spec";
import { rampartPolicyCrd } from "@/lib/kubernetes/render/render-crd";
import { renderRampartPolicy } from "@/lib/kubernetes/render/render-rampart-policy";
import { buildBundle } from "@/proxy/test-support/bundle-fixtures";

export { rampartPolicyCrd };

/** A compiled bundle; `blockPath` (an admin path to block) varies its content (and so its contentHash). */
export function testBundle(options: { blockPath?: string } = {}): Bundle {
  return buildBundle(options.blockPath ? { adminBlocking: { enabled: true, paths: [options.blockPath] } } : {});
}

export function rampartPolicy(options: { namespace?: string; application?: string; bundle?: Bundle } = {}) {
  return renderRampartPolicy({
    applicationId: "app_0001",
    application: options.application ?? "payments-api",
    namespace: options.namespace ?? "payments",
    bundle: options.bundle ?? testBundle(),
  });
}

export function namespace(name: string) {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "app.kubernetes.io/managed-by": "rampart" }, annotations: {} } };
}

/** A CRD with a hand-written schema (group example.com), namespaced or cluster-scoped. */
export function widgetCrd(scope: "Namespaced" | "Cluster" = "Namespaced") {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com", labels: {}, annotations: {} },
    spec: {
      group: "example.com",
      names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
      scope,
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  required: ["size"],
                  properties: {
                    size: { type: "integer", minimum: 1, maximum: 10 },
                    colour: { type: "string", enum: ["red", "green"] },
                    tags: { type: "array", items: { type: "string" } },
                    settings: { type: "object", additionalProperties: { type: "string" } },
                    free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                  },
                },
                status: { type: "object", properties: { ready: { type: "boolean" } } },
              },
            },
          },
        },
      ],
    },
  };
}

/**
 * The Gateway API's HTTPRoute CRD as a cluster with the Gateway API installed has it
 * (group gateway.networking.k8s.io, v1 stored, v1beta1 served), its schema cut down to
 * the top-level fields: Rampart only reads whether a route exists, never writes one.
 */
export function httpRouteCrd() {
  const schema = {
    openAPIV3Schema: {
      type: "object",
      properties: {
        spec: {
          type: "object",
          properties: {
            parentRefs: {
              type: "array",
              maxItems: 32,
              items: {
                type: "object",
                required: ["name"],
                properties: {
                  group: { type: "string" },
                  kind: { type: "string" },
                  namespace: { type: "string" },
                  name: { type: "string" },
                  sectionName: { type: "string" },
                  port: { type: "integer" },
                },
              },
            },
            hostnames: { type: "array", maxItems: 16, items: { type: "string" } },
            rules: { type: "array", maxItems: 16, items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        },
        status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      },
    },
  };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "httproutes.gateway.networking.k8s.io", labels: {}, annotations: {} },
    spec: {
      group: "gateway.networking.k8s.io",
      names: { kind: "HTTPRoute", listKind: "HTTPRouteList", plural: "httproutes", singular: "httproute", categories: ["gateway-api"] },
      scope: "Namespaced",
      versions: [
        { name: "v1", served: true, storage: true, subresources: { status: {} }, schema },
        { name: "v1beta1", served: true, storage: false, subresources: { status: {} }, schema },
      ],
    },
  };
}
