// The RampartPolicy CustomResourceDefinition. Its spec schema is generated from
// lib/policy-spec's bundle schema (the same zod schema the proxy validates
// with), so the cluster refuses a malformed bundle at admission instead of the
// proxy discovering it later. The proxy still validates and re-hashes every
// bundle it reads: the API server's schema is a first line, not the only one.

import { z } from "zod";
import { bundleSchema } from "@/lib/policy-spec";
import { rampartLabels, RAMPART_GROUP, type KubernetesResource } from "./kubernetes-resource";
import { toStructuralSchema, type JsonSchema } from "./to-structural-schema";

export const RAMPART_POLICY = {
  group: RAMPART_GROUP,
  version: "v1alpha1",
  apiVersion: `${RAMPART_GROUP}/v1alpha1`,
  kind: "RampartPolicy",
  listKind: "RampartPolicyList",
  plural: "rampartpolicies",
  singular: "rampartpolicy",
  shortNames: ["rpol"],
  crdName: `rampartpolicies.${RAMPART_GROUP}`,
} as const;

/** The bundle as an OpenAPI v3 structural schema. */
export function bundleStructuralSchema(): JsonSchema {
  const jsonSchema = z.toJSONSchema(bundleSchema, { io: "output", target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  return {
    description:
      "The compiled policy bundle (rampart.bundle/v1) as lib/policy-spec's bundleSchema, with the nulls of nullable fields left out (Kubernetes tools drop nulls); readers put them back, and the proxy recomputes contentHash and refuses a mismatch.",
    ...nullableOptional(toStructuralSchema(jsonSchema)),
  };
}

/** A nullable field may be absent (its null left out, or dropped by kubectl's client-side apply): not required. */
function nullableOptional(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (out.properties && typeof out.properties === "object") {
    const properties = out.properties as Record<string, JsonSchema>;
    out.properties = Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, nullableOptional(child)]));
    if (Array.isArray(out.required)) {
      const required = (out.required as string[]).filter((key) => properties[key]?.nullable !== true);
      if (required.length > 0) out.required = required;
      else delete out.required;
    }
  }
  for (const key of ["items", "additionalProperties"]) {
    if (out[key] && typeof out[key] === "object" && !Array.isArray(out[key])) out[key] = nullableOptional(out[key] as JsonSchema);
  }
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    if (Array.isArray(out[key])) out[key] = (out[key] as JsonSchema[]).map(nullableOptional);
  }
  return out;
}

export function rampartPolicySchema(): JsonSchema {
  return {
    description: "Compiled Rampart policy for one application, enforced by Rampart proxies that read policy from Kubernetes.",
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      spec: {
        type: "object",
        properties: {
          applicationId: { description: "The portal's id of the application.", type: "string", minLength: 1 },
          application: {
            description: "The application's name (slug).",
            type: "string",
            pattern: "^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$",
          },
          bundle: bundleStructuralSchema(),
        },
        required: ["applicationId", "application", "bundle"],
      },
      status: {
        type: "object",
        properties: {
          observedHash: { description: "contentHash of the bundle the proxies enforce.", type: "string" },
          conditions: {
            type: "array",
            items: {
              type: "object",
              properties: {
                type: { type: "string" },
                status: { type: "string", enum: ["True", "False", "Unknown"] },
                reason: { type: "string" },
                message: { type: "string" },
                lastTransitionTime: { type: "string", format: "date-time" },
                observedGeneration: { type: "integer", format: "int64" },
              },
              required: ["type", "status"],
            },
          },
        },
      },
    },
    required: ["spec"],
  };
}

export function rampartPolicyCrd(): KubernetesResource {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: {
      name: RAMPART_POLICY.crdName,
      labels: rampartLabels({ "app.kubernetes.io/part-of": "rampart" }),
      annotations: {},
    },
    spec: {
      group: RAMPART_POLICY.group,
      names: {
        kind: RAMPART_POLICY.kind,
        listKind: RAMPART_POLICY.listKind,
        plural: RAMPART_POLICY.plural,
        singular: RAMPART_POLICY.singular,
        shortNames: [...RAMPART_POLICY.shortNames],
        categories: ["rampart"],
      },
      scope: "Namespaced",
      versions: [
        {
          name: RAMPART_POLICY.version,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: "Application", type: "string", jsonPath: ".spec.application" },
            { name: "Hash", type: "string", jsonPath: ".spec.bundle.contentHash", priority: 1 },
            { name: "Observed", type: "string", jsonPath: ".status.observedHash", priority: 1 },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          schema: { openAPIV3Schema: rampartPolicySchema() },
        },
      ],
    },
  };
}
