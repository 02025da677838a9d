// One resource as the cluster holds it now, or null when it does not exist.

import type { KubernetesObject } from "@kubernetes/client-node";
import { classifyKubeError } from "./cluster-error";
import { toWireObject, type KubeClient } from "./kube-client";
import { refOf, type ClusterResource } from "./resource-ref";
import { retryTransient, type RetryOptions } from "./retry-transient";

export async function readLiveObject(
  client: KubeClient,
  resource: ClusterResource,
  retry: RetryOptions,
): Promise<{ object: Record<string, unknown> | null; attempts: number }> {
  const ref = refOf(resource);
  const { value, attempts } = await retryTransient(
    async () => {
      try {
        const header = {
          apiVersion: resource.apiVersion,
          kind: resource.kind,
          metadata: { name: resource.metadata.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
        };
        return await client.objects.read<KubernetesObject>(header);
      } catch (error) {
        const classified = classifyKubeError(error, { ref, server: client.server });
        if (classified.kind === "not-found") return null;
        throw classified;
      }
    },
    { ...retry, ref, server: client.server },
  );
  return { object: value === null ? null : toWireObject(value), attempts };
}
