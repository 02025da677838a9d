// The rendered resource type is lib/kubernetes/render's; the export only adds what it
// needs to read one.

import type { KubernetesResource } from "@/lib/kubernetes/render/kubernetes-resource";

export type { KubernetesResource };
