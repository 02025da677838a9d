import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { DeliveryDashboard } from "@/components/delivery/delivery-dashboard";
import { SigningKeyPanel } from "@/components/delivery/signing-key-panel";
import { PageHeader } from "@/components/page-header";
import { findApplications } from "@/lib/applications/find-applications";
import { can } from "@/lib/auth/actor";
import { currentRequestContext, requirePagePermission } from "@/lib/next/current-actor";
import { rolloutSchema } from "@/lib/delivery/delivery-schemas";
import { getDeliveryRollout } from "@/lib/delivery/get-delivery-rollout";
import { getSigningKeyInfo } from "@/lib/delivery/get-signing-key-info";
import { createQueryClient } from "@/lib/query/create-query-client";
import { queryKeys } from "@/lib/query/query-keys";
import { toWire } from "@/lib/shared/to-wire";

export const metadata: Metadata = { title: "Delivery" };

export default async function DeliveryPage() {
  const actor = await requirePagePermission("delivery:read");
  const ctx = await currentRequestContext();
  const canManage = can(actor, "delivery:manage");
  const queryClient = createQueryClient();
  queryClient.setQueryData(queryKeys.delivery.rollout, toWire(rolloutSchema, await getDeliveryRollout({ ctx })));
  const applications = canManage
    ? (await findApplications({ actor, query: { page: 1, pageSize: 100, archived: "false" } })).items.map((a) => ({
        id: a.id,
        slug: a.slug,
        name: a.name,
        upstreamUrl: a.upstreamUrl,
      }))
    : [];
  let signingKey: ReturnType<typeof getSigningKeyInfo> | null = null;
  try {
    signingKey = getSigningKeyInfo();
  } catch {
    signingKey = null;
  }
  const h = await headers();
  const portalUrl = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000"}`;

  return (
    <>
      <PageHeader
        title="Delivery"
        description="Published policy on its way to every proxy: what each target should run, what each proxy reports it runs, and the targets themselves."
      />
      <HydrationBoundary state={dehydrate(queryClient)}>
        <DeliveryDashboard canManage={canManage} applications={applications} portalUrl={portalUrl} />
      </HydrationBoundary>
      <SigningKeyPanel signingKey={signingKey} />
    </>
  );
}
