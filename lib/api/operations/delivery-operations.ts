import { z } from "zod";
import {
  createDeliveryTargetInput,
  deliveryBundleQuery,
  deliveryTargetListSchema,
  deliveryTargetSchema,
  deliveryTargetWithTokenSchema,
  listDeliveryTargetsQuery,
  rolloutSchema,
  signingKeySchema,
  proxyInstanceParams,
  updateDeliveryTargetInput,
} from "@/lib/delivery/delivery-schemas";
import { noteSchema, policyVersionParams, policyVersionSchema } from "@/lib/policies/policy-schemas";
import { proxyStatusReportSchema, signedBundleSchema } from "@/lib/policy-spec";
import { defineOperation, emptyResponse, idParams } from "../operation";

// Delivery (lib/delivery): the targets registry (security officers), the rollout view, the
// signing key operators pin, and the two endpoints proxies call with their target's token
// (the wire contract is lib/policy-spec/delivery-schema.ts). Rollback lives here too: it
// is how the security team takes a bad publication back out of the proxies.

export const listDeliveryTargetsOperation = defineOperation({
  id: "listDeliveryTargets",
  method: "GET",
  path: "/delivery/targets",
  summary: "List delivery targets (a team sees the targets of its applications); never their secrets",
  tag: "delivery",
  access: "delivery:read",
  query: listDeliveryTargetsQuery,
  response: deliveryTargetListSchema,
});

export const createDeliveryTargetOperation = defineOperation({
  id: "createDeliveryTarget",
  method: "POST",
  path: "/delivery/targets",
  summary: "Register a proxy, Kubernetes or Git target; a proxy target's token is in this response only",
  tag: "delivery",
  access: "delivery:manage",
  body: createDeliveryTargetInput,
  response: deliveryTargetWithTokenSchema,
  successStatus: 201,
});

export const getDeliveryTargetOperation = defineOperation({
  id: "getDeliveryTarget",
  method: "GET",
  path: "/delivery/targets/{id}",
  summary: "One delivery target (whether a kubeconfig or credentials are stored, never the secret)",
  tag: "delivery",
  access: "delivery:read",
  params: idParams,
  response: deliveryTargetSchema,
});

export const updateDeliveryTargetOperation = defineOperation({
  id: "updateDeliveryTarget",
  method: "PATCH",
  path: "/delivery/targets/{id}",
  summary: "Change a target's name, scope or settings; a new kubeconfig or credentials replace the stored ones",
  tag: "delivery",
  access: "delivery:manage",
  params: idParams,
  body: updateDeliveryTargetInput,
  response: deliveryTargetSchema,
  ifMatch: true,
});

export const rotateDeliveryTokenOperation = defineOperation({
  id: "rotateDeliveryToken",
  method: "POST",
  path: "/delivery/targets/{id}/rotate-token",
  summary: "Issue a new token for a proxy target (in this response only); the old one stops working at once",
  tag: "delivery",
  access: "delivery:manage",
  params: idParams,
  response: deliveryTargetWithTokenSchema,
  ifMatch: true,
});

export const revokeDeliveryTargetOperation = defineOperation({
  id: "revokeDeliveryTarget",
  method: "POST",
  path: "/delivery/targets/{id}/revoke",
  summary: "Revoke a target: its token stops working and nothing more is delivered to it",
  tag: "delivery",
  access: "delivery:manage",
  params: idParams,
  response: deliveryTargetSchema,
  ifMatch: true,
});

export const removeProxyInstanceOperation = defineOperation({
  id: "removeProxyInstance",
  method: "DELETE",
  path: "/delivery/targets/{id}/instances/{instanceId}",
  summary: "Remove a stale proxy instance (no heartbeat for the stale period) from the rollout view; a live one is refused (409)",
  tag: "delivery",
  access: "delivery:manage",
  params: proxyInstanceParams,
  response: emptyResponse,
  successStatus: 204,
});

export const getDeliverySigningKeyPemOperation = defineOperation({
  id: "getDeliverySigningKeyPem",
  method: "GET",
  path: "/delivery/signing-key.pem",
  summary: "The same public key as a PEM file to download and pass to the proxy's --portal-key; 503 when none is configured",
  tag: "delivery",
  access: "public",
  response: z.string().describe("SPKI PEM"),
  rawResponse: { mediaType: "application/x-pem-file" },
});

export const getDeliveryRolloutOperation = defineOperation({
  id: "getDeliveryRollout",
  method: "GET",
  path: "/delivery/rollout",
  summary: "Desired versus running per target, application and proxy instance, with in-sync / rolling-out / stale / failing flags",
  tag: "delivery",
  access: "delivery:read",
  response: rolloutSchema,
});

export const getDeliverySigningKeyOperation = defineOperation({
  id: "getDeliverySigningKey",
  method: "GET",
  path: "/delivery/signing-key",
  summary: "The public key that verifies delivery sets (PEM and key id), to pin in proxies; 503 when none is configured",
  tag: "delivery",
  access: "public",
  response: signingKeySchema,
});

export const getDeliveryBundleOperation = defineOperation({
  id: "getDeliveryBundle",
  method: "GET",
  path: "/delivery/bundle",
  summary:
    "The signed delivery set of the calling proxy's target (ETag: its content hash). With `hash` equal to the current one, waits up to `wait` seconds for a change: 200 with the new set, or 304",
  tag: "delivery",
  access: "delivery-target",
  query: deliveryBundleQuery,
  response: signedBundleSchema,
  rawResponse: { mediaType: "application/json" },
});

export const reportDeliveryStatusOperation = defineOperation({
  id: "reportDeliveryStatus",
  method: "POST",
  path: "/delivery/status",
  summary: "A proxy instance's heartbeat: the set and bundles it runs, reload errors, counters",
  tag: "delivery",
  access: "delivery-target",
  body: proxyStatusReportSchema,
  response: emptyResponse,
  successStatus: 204,
});

export const rollbackPolicyVersionOperation = defineOperation({
  id: "rollbackPolicyVersion",
  method: "POST",
  path: "/policies/{id}/versions/{versionId}/rollback",
  summary: "Put an earlier published version back in force as a new version, published at once (If-Match: the policy's version)",
  tag: "policies",
  access: "policies:publish",
  params: policyVersionParams,
  body: z.strictObject({ note: noteSchema.optional() }).default({}),
  response: policyVersionSchema,
  successStatus: 201,
  ifMatch: true,
});
