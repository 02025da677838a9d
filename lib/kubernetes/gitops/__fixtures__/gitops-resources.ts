// Rendered resources as lib/kubernetes/render produces them (CRD, Gatekeeper, Kyverno,
// RampartPolicy per application, an Airlock resource), built from the golden bundle.

import standardPaymentsApi from "@/lib/policy-spec/__golden__/standard-payments-api.json";
import type { KubernetesResource } from "../kubernetes-resource";

const managed = { "app.kubernetes.io/managed-by": "rampart" };

export function rampartPolicy(application: string, namespace: string, applicationVersion = "3.2.0"): KubernetesResource {
  const bundle = structuredClone(standardPaymentsApi) as Record<string, unknown> & { sources: { application: { application: string; applicationVersion: string } | null } };
  if (bundle.sources.application) {
    bundle.sources.application.application = application;
    bundle.sources.application.applicationVersion = applicationVersion;
  }
  return {
    apiVersion: "rampart.dev/v1alpha1",
    kind: "RampartPolicy",
    metadata: { name: application, namespace, labels: { ...managed, "rampart.dev/application": application }, annotations: {} },
    spec: { applicationId: `app-${application}`, application, bundle },
  };
}

export const crd: KubernetesResource = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "rampartpolicies.rampart.dev", labels: managed, annotations: {} },
  spec: {
    group: "rampart.dev",
    names: { kind: "RampartPolicy", plural: "rampartpolicies", singular: "rampartpolicy", shortNames: ["rpol"], listKind: "RampartPolicyList" },
    scope: "Namespaced",
    versions: [{ name: "v1alpha1", served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
  },
};

export const constraintTemplate: KubernetesResource = {
  apiVersion: "templates.gatekeeper.sh/v1",
  kind: "ConstraintTemplate",
  metadata: { name: "rampartbaselinefloor", labels: managed, annotations: {} },
  spec: {
    crd: { spec: { names: { kind: "RampartBaselineFloor" } } },
    targets: [{ target: "admission.k8s.gatekeeper.sh", rego: "package rampartbaselinefloor\n\nviolation[{\"msg\": msg}] {\n  input.review.object.spec.bundle.denyRules.sqli.mode == \"log-only\"\n  msg := \"sqli must block\"\n}\n" }],
  },
};

export const constraint: KubernetesResource = {
  apiVersion: "constraints.gatekeeper.sh/v1beta1",
  kind: "RampartBaselineFloor",
  metadata: { name: "baseline-floor", labels: managed, annotations: {} },
  spec: { match: { kinds: [{ apiGroups: ["rampart.dev"], kinds: ["RampartPolicy"] }] } },
};

export const kyvernoPolicy: KubernetesResource = {
  apiVersion: "kyverno.io/v1",
  kind: "ClusterPolicy",
  metadata: { name: "rampart-baseline", labels: managed, annotations: { "policies.kyverno.io/title": "Rampart baseline" } },
  spec: { validationFailureAction: "Enforce", background: false, rules: [{ name: "deny-log-only", match: { any: [{ resources: { kinds: ["RampartPolicy"] } }] } }] },
};

export function airlockLimits(application: string, namespace: string): KubernetesResource {
  return {
    apiVersion: "microgateway.airlock.com/v1alpha1",
    kind: "Limits",
    metadata: { name: `${application}-limits`, namespace, labels: { ...managed, "rampart.dev/application": application }, annotations: {} },
    spec: { request: { limited: { body: { maxSize: "1Mi" } } } },
  };
}

/** Two applications in two namespaces plus the shared resources, deliberately out of order. */
export function sampleResources(): KubernetesResource[] {
  return [
    rampartPolicy("storefront-web", "storefront", "1.4.0"),
    kyvernoPolicy,
    airlockLimits("payments-api", "payments"),
    rampartPolicy("payments-api", "payments"),
    constraint,
    crd,
    constraintTemplate,
  ];
}
