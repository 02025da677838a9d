import "server-only";
import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import { PolicyDeliverySection } from "@/components/policies/policy-delivery-section";
import { can, canForTeam, type Actor } from "@/lib/auth/actor";
import { currentRequestContext } from "@/lib/next/current-actor";
import { rolloutSchema } from "@/lib/delivery/delivery-schemas";
import { findDeliveryTargets } from "@/lib/delivery/find-delivery-targets";
import { getDeliveryRollout } from "@/lib/delivery/get-delivery-rollout";
import { createQueryClient } from "@/lib/query/create-query-client";
import { queryKeys } from "@/lib/query/query-keys";
import { toWire } from "@/lib/shared/to-wire";

// The Delivery section of a policy page (the policy and its version in force), composed
// from the delivery domain: the targets of the application (a baseline: every target the
// reader may see) and, when some are proxies, the rollout view they report into. A reader
// without delivery:read for the application's team gets no section at all.
export async function PolicyDelivery({ actor, application }: { actor: Actor; application: { id: string; teamId: string } | null }) {
  if (application ? !canForTeam(actor, "delivery:read", application.teamId) : !can(actor, "delivery:read")) return null;
  const ctx = await currentRequestContext();
  const { items } = await findDeliveryTargets({ ctx, query: { revoked: "false", ...(application ? { applicationId: application.id } : {}) } });
  const queryClient = createQueryClient();
  if (items.some((t) => t.kind === "proxy")) {
    queryClient.setQueryData(queryKeys.delivery.rollout, toWire(rolloutSchema, await getDeliveryRollout({ ctx })));
  }
  const targets = items.map(({ id, kind, name, mode, namespaces, branch }) => ({ id, kind, name, mode, namespaces, branch }));
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PolicyDeliverySection targets={targets} applicationId={application?.id ?? null} canManage={can(actor, "delivery:manage")} />
    </HydrationBoundary>
  );
}
