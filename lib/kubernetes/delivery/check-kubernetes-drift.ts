import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { loadDeliveryTarget } from "./load-delivery-target";
import { runDriftCheck } from "./run-drift-check";

/**
 * Checks a Kubernetes target for drift now (the periodic sweep does the same on its
 * own). It only reads the cluster, but it uses the target's credentials and records the
 * result, so it takes the same permission as planning.
 */
export async function checkKubernetesDrift({ ctx, targetId }: { ctx: RequestContext; targetId: string }) {
  const actor = requirePermission(ctx, "delivery:manage");
  const target = await loadDeliveryTarget({ actor, id: targetId, kinds: ["kubernetes"], live: true });
  return runDriftCheck({ targetId: target.id, trigger: "manual", checkedById: actor.user.id, ctx });
}
