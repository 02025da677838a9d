// The RampartPolicy resource of one application in one namespace: the
// compiled bundle exactly as the portal signed off on it. The proxy's
// Kubernetes source reads spec.bundle, validates it with bundleSchema and
// recomputes contentHash before enforcing it.

import type { Bundle } from "@/lib/policy-spec";
import { rampartLabels, resourceName, type KubernetesResource } from "./kubernetes-resource";
import { RAMPART_POLICY } from "./render-crd";

export interface RenderRampartPolicyOptions {
  applicationId: string;
  /** The application's slug; also the resource name. */
  application: string;
  namespace: string;
  bundle: Bundle;
}

export const APPLICATION_LABEL = "rampart.dev/application";
export const CONTENT_HASH_ANNOTATION = "rampart.dev/content-hash";

export function renderRampartPolicy({ applicationId, application, namespace, bundle }: RenderRampartPolicyOptions): KubernetesResource {
  return {
    apiVersion: RAMPART_POLICY.apiVersion,
    kind: RAMPART_POLICY.kind,
    metadata: {
      name: resourceName(application),
      namespace,
      labels: rampartLabels({ [APPLICATION_LABEL]: application }),
      annotations: { [CONTENT_HASH_ANNOTATION]: bundle.contentHash },
    },
    spec: { applicationId, application, bundle },
  };
}
