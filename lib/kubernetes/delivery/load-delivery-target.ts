import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { grantOf } from "@/lib/auth/permissions";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { applicationOf } from "@/lib/kubernetes/gitops/export-sources";
import { kubernetesTargetReadScope } from "./kubernetes-delivery-records";
import type { ResourceRefView } from "./kubernetes-delivery-schemas";

const select = {
  id: true,
  kind: true,
  name: true,
  namespaces: true,
  repository: true,
  branch: true,
  folder: true,
  revokedAt: true,
  applications: { select: { application: { select: { slug: true, teamId: true } } } },
} as const;

export type LoadedTarget = NonNullable<Awaited<ReturnType<typeof findTarget>>> & {
  /** Whether a resource of this application may be shown to the actor (shared resources always may). */
  shows: (application: string | null) => boolean;
};

function findTarget(where: object) {
  return db.deliveryTarget.findFirst({ where, select });
}

/**
 * A Kubernetes or Git target the actor may read (`delivery:read`, team-scoped like
 * lib/delivery: another team's target is "not found") or manage. A team reader sees only
 * their own applications' resources of it: `shows` tells which.
 */
export async function loadDeliveryTarget({
  actor,
  id,
  kinds,
  live = false,
}: {
  actor: Actor;
  id: string;
  kinds: readonly ("kubernetes" | "git")[];
  /** Refuse a revoked target: nothing is delivered to it any more. */
  live?: boolean;
}): Promise<LoadedTarget> {
  const target = await findTarget({ AND: [{ id }, kubernetesTargetReadScope(actor)] });
  if (!target) throw new AppError("NOT_FOUND", "No such delivery target.");
  if (!(kinds as readonly string[]).includes(target.kind)) {
    throw new AppError("CONFLICT", `This is a ${target.kind} target; it has no ${kinds.join(" or ")} delivery.`);
  }
  if (live && target.revokedAt) throw new AppError("CONFLICT", "The target is revoked; nothing is delivered to it any more.");
  const grant = grantOf(actor.grants, "delivery:read");
  const own = new Set(target.applications.filter((a) => grant.org || grant.teamIds.has(a.application.teamId)).map((a) => a.application.slug));
  return { ...target, shows: (application) => grant.org || application === null || own.has(application) };
}

/** A rendered resource's reference as views show it. */
export function refOfResource(
  resource: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>,
): ResourceRefView {
  return {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    namespace: resource.metadata.namespace ?? null,
    name: resource.metadata.name,
    application: applicationOf(resource as Parameters<typeof applicationOf>[0]),
  };
}

export function refKey(ref: { apiVersion: string; kind: string; namespace: string | null; name: string }): string {
  return `${ref.apiVersion}/${ref.kind}/${ref.namespace ?? ""}/${ref.name}`;
}
