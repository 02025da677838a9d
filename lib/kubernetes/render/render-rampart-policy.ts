// The RampartPolicy resource of one application in one namespace: the
// compiled bundle exactly as the portal signed off on it, less the nulls of
// its nullable fields (lib/policy-spec/bundle-nulls.ts: kubectl's client-side
// apply would delete them on update, and the CRD would then refuse the
// object). The proxy's Kubernetes source reads spec.bundle, puts the nulls
// back, validates it with bundleSchema and recomputes contentHash before
// enforcing it.

import { omitBundleNulls, type Bundle } from "@/lib/policy-spec";
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
    spec: { applicationId, application, bundle: omitBundleNulls(bundle) },
  };
}
