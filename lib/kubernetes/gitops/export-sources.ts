// What an export was rendered from, per application: named in every file header, in
// the kustomization and in the commit message, so a reader of the Git history can tell
// which policy versions a commit delivered without opening the bundles.

import { z } from "zod";
import { restoreBundleNulls } from "@/lib/policy-spec";
import { policySourcesSchema } from "@/lib/policy-spec/effective-policy-schema";
import { RAMPART_POLICY } from "@/lib/kubernetes/render/render-crd";
import { APPLICATION_LABEL } from "@/lib/kubernetes/render/render-rampart-policy";
import type { KubernetesResource } from "./kubernetes-resource";

const RAMPART_POLICY_API_VERSION = RAMPART_POLICY.apiVersion;
const RAMPART_POLICY_KIND = RAMPART_POLICY.kind;

export const exportSourceSchema = z.strictObject({
  applicationId: z.string().nullable(),
  /** The application's slug. */
  application: z.string().min(1),
  /** The application policy's version as the portal shows it; null when the baseline alone applies. */
  policyVersion: z.string().min(1).nullable(),
  baseline: z.strictObject({
    name: z.string().min(1),
    version: z.string().min(1).nullable(),
    contentHash: z.string().nullable(),
  }),
  /** The compiled bundle's content hash. */
  contentHash: z.string().min(1),
});
export type ExportSource = z.output<typeof exportSourceSchema>;

const rampartPolicySpecSchema = z.object({
  applicationId: z.string(),
  application: z.string().min(1),
  bundle: z.object({ contentHash: z.string(), sources: policySourcesSchema }),
});

/**
 * The sources named by the RampartPolicy resources of an export, sorted by application.
 * The portal knows more (its own version numbers) and may pass its own list instead;
 * this is what the resources alone can tell.
 */
export function exportSourcesOf(resources: readonly KubernetesResource[]): ExportSource[] {
  const sources: ExportSource[] = [];
  for (const resource of resources) {
    if (resource.apiVersion !== RAMPART_POLICY_API_VERSION || resource.kind !== RAMPART_POLICY_KIND) continue;
    // The resource carries the bundle without its nulls (lib/policy-spec/bundle-nulls.ts).
    const raw = resource.spec as { bundle?: unknown } | undefined;
    const spec = rampartPolicySpecSchema.safeParse(raw && raw.bundle !== undefined ? { ...raw, bundle: restoreBundleNulls(raw.bundle) } : raw);
    if (!spec.success) continue;
    const { applicationId, application, bundle } = spec.data;
    sources.push({
      applicationId,
      application,
      policyVersion: bundle.sources.application?.applicationVersion ?? null,
      baseline: {
        name: bundle.sources.baseline.environment ? `${bundle.sources.baseline.name} (${bundle.sources.baseline.environment})` : bundle.sources.baseline.name,
        version: null,
        contentHash: bundle.sources.baseline.contentHash,
      },
      contentHash: bundle.contentHash,
    });
  }
  return sources.sort((a, b) => compareStrings(a.application, b.application));
}

/** The application a resource belongs to, or null for resources shared by all (CRD, admission policies). */
export function applicationOf(resource: KubernetesResource): string | null {
  if (resource.apiVersion === RAMPART_POLICY_API_VERSION && resource.kind === RAMPART_POLICY_KIND) {
    const application = (resource.spec as { application?: unknown } | undefined)?.application;
    if (typeof application === "string") return application;
  }
  return resource.metadata.labels?.[APPLICATION_LABEL] ?? null;
}

/** Code-unit order: the same in every locale, so output never depends on the server's. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
