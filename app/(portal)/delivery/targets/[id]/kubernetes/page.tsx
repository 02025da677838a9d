import { HydrationBoundary, dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ArchiveLink, GitDeliveryPanel } from "@/components/kubernetes-delivery/git-delivery-panel";
import { KubernetesDeliveryPanel } from "@/components/kubernetes-delivery/kubernetes-delivery-panel";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/actor";
import { currentRequestContext, requirePagePermission } from "@/lib/next/current-actor";
import { getDeliveryTarget } from "@/lib/delivery/get-delivery-target";
import { orNotFound } from "@/lib/next/or-not-found";
import { findGitExports } from "@/lib/kubernetes/delivery/find-git-exports";
import { getKubernetesDelivery } from "@/lib/kubernetes/delivery/get-kubernetes-delivery";
import { gitExportListSchema, kubernetesDeliverySchema } from "@/lib/kubernetes/delivery/kubernetes-delivery-schemas";
import { createQueryClient } from "@/lib/query/create-query-client";
import { kubernetesDeliveryKeys } from "@/lib/query/kubernetes-delivery-queries";
import { toWire } from "@/lib/shared/to-wire";

export const metadata: Metadata = { title: "Kubernetes and GitOps delivery" };

// A Kubernetes target's plan, apply and drift, or a Git target's exports; the ZIP of the
// GitOps tree for either. Another team's target is "not found", like a missing one.
export default async function KubernetesDeliveryPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePagePermission("delivery:read");
  const { id } = await params;
  // ?plan=1 (a policy page's "Plan delivery to …"): start a plan on arrival.
  const planOnArrival = (await searchParams).plan === "1";
  if (!z.uuid().safeParse(id).success) notFound();
  const ctx = await currentRequestContext();
  const target = await orNotFound(getDeliveryTarget({ ctx, id }));
  if (target.kind === "proxy") notFound();
  const canManage = can(actor, "delivery:manage") && target.revokedAt === null;

  const queryClient = createQueryClient();
  if (target.kind === "kubernetes") {
    queryClient.setQueryData(kubernetesDeliveryKeys.status(id), toWire(kubernetesDeliverySchema, await getKubernetesDelivery({ actor, targetId: id })));
  } else {
    queryClient.setQueryData(kubernetesDeliveryKeys.gitExports(id), toWire(gitExportListSchema, await findGitExports({ actor, targetId: id })));
  }

  return (
    <>
      <PageHeader
        title={target.name}
        back={{ href: "/delivery", label: "Delivery" }}
        description={
          target.kind === "kubernetes"
            ? `Kubernetes cluster · namespaces ${target.namespaces.join(", ")} · renders ${target.renders.join(", ")}`
            : `Git repository · ${target.repository} · branch ${target.branch}${target.folder ? ` · folder ${target.folder}` : ""}`
        }
        actions={target.kind === "kubernetes" ? <ArchiveLink targetId={id} /> : undefined}
      />
      {target.revokedAt ? (
        <div className="alert alert-warning" role="alert">
          <p>This target is revoked: nothing is delivered to it any more.</p>
        </div>
      ) : null}
      <HydrationBoundary state={dehydrate(queryClient)}>
        {target.kind === "kubernetes" ? (
          <KubernetesDeliveryPanel targetId={id} canManage={canManage} planOnArrival={planOnArrival && canManage} />
        ) : (
          <GitDeliveryPanel targetId={id} canManage={canManage} repository={target.repository ?? ""} branch={target.branch ?? ""} />
        )}
      </HydrationBoundary>
    </>
  );
}
