import { z } from "zod";
import {
  applyPlanResponseSchema,
  gitExportListSchema,
  gitExportSchema,
  kubernetesDeliverySchema,
  kubernetesDriftCheckSchema,
  kubernetesPlanDetailSchema,
  kubernetesPlanSchema,
  planParams,
  reapplyResponseSchema,
  targetParams,
} from "@/lib/kubernetes/delivery/kubernetes-delivery-schemas";
import { defineOperation } from "../operation";

// Kubernetes and GitOps delivery (lib/kubernetes/delivery): for a Kubernetes target, plan
// (render the published policy, server-side dry-run diff), apply a plan with server-side
// apply, check drift and re-apply; for a Git target, export as a commit; for either, the
// GitOps tree as a ZIP. Cluster failures are problem+json with `reason` (cluster-unreachable,
// cluster-unauthorized, cluster-missing-kind, cluster-forbidden, cluster-invalid, …).

export const getKubernetesDeliveryOperation = defineOperation({
  id: "getKubernetesDelivery",
  method: "GET",
  path: "/delivery/targets/{id}/kubernetes",
  summary: "A Kubernetes target's latest plan (with its dry-run diff), latest apply (per-resource results) and latest drift check",
  tag: "delivery",
  access: "delivery:read",
  params: targetParams,
  response: kubernetesDeliverySchema,
});

export const planKubernetesDeliveryOperation = defineOperation({
  id: "planKubernetesDelivery",
  method: "POST",
  path: "/delivery/targets/{id}/kubernetes/plans",
  summary:
    "Render the target's published policy and diff it against the cluster with a server-side dry run; stores the plan (nothing is stored when the dry run fails)",
  tag: "delivery",
  access: "delivery:manage",
  params: targetParams,
  response: kubernetesPlanSchema,
  successStatus: 201,
});

export const getKubernetesPlanOperation = defineOperation({
  id: "getKubernetesPlan",
  method: "GET",
  path: "/delivery/targets/{id}/kubernetes/plans/{planId}",
  summary: "One plan with the resources it applies, and whether the published policy still renders to them",
  tag: "delivery",
  access: "delivery:read",
  params: planParams,
  response: kubernetesPlanDetailSchema,
});

export const applyKubernetesPlanOperation = defineOperation({
  id: "applyKubernetesPlan",
  method: "POST",
  path: "/delivery/targets/{id}/kubernetes/plans/{planId}/apply",
  summary:
    "Apply a plan with server-side apply (field manager rampart); per-resource results. 409 when the published policy changed since the plan (plan again)",
  tag: "delivery",
  access: "delivery:manage",
  params: planParams,
  response: applyPlanResponseSchema,
  successStatus: 201,
});

export const checkKubernetesDriftOperation = defineOperation({
  id: "checkKubernetesDrift",
  method: "POST",
  path: "/delivery/targets/{id}/kubernetes/drift-checks",
  summary: "Read back what Rampart applied last and compare it with the cluster: per resource in-sync, drifted (with the diff) or missing",
  tag: "delivery",
  access: "delivery:manage",
  params: targetParams,
  response: kubernetesDriftCheckSchema,
  successStatus: 201,
});

export const reapplyKubernetesDeliveryOperation = defineOperation({
  id: "reapplyKubernetesDelivery",
  method: "POST",
  path: "/delivery/targets/{id}/kubernetes/reapply",
  summary: "Re-apply what Rampart applied last with force (takes back fields changed out of band), then check drift again",
  tag: "delivery",
  access: "delivery:manage",
  params: targetParams,
  response: reapplyResponseSchema,
  successStatus: 201,
});

export const exportGitDeliveryOperation = defineOperation({
  id: "exportGitDelivery",
  method: "POST",
  path: "/delivery/targets/{id}/git/exports",
  summary: "Commit the rendered resources (one file each, with a kustomization.yaml) to the Git target's branch and folder, authored by the caller, and push",
  tag: "delivery",
  access: "delivery:manage",
  params: targetParams,
  response: gitExportSchema,
  successStatus: 201,
});

export const listGitExportsOperation = defineOperation({
  id: "listGitExports",
  method: "GET",
  path: "/delivery/targets/{id}/git/exports",
  summary: "A Git target's latest exports (commit, branch, changed files), newest first",
  tag: "delivery",
  access: "delivery:read",
  params: targetParams,
  response: gitExportListSchema,
});

export const downloadDeliveryArchiveOperation = defineOperation({
  id: "downloadDeliveryArchive",
  method: "GET",
  path: "/delivery/targets/{id}/git/archive",
  summary: "The GitOps tree of a Kubernetes or Git target (what an export commits) as a ZIP, rendered from the published policy now",
  tag: "delivery",
  access: "delivery:read",
  params: targetParams,
  response: z.string().describe("A ZIP archive"),
  rawResponse: { mediaType: "application/zip" },
});
