import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { grantOf } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";
import type {
  ApplyResultView,
  DeliverySource,
  GitExportView,
  KubernetesApplyView,
  KubernetesDriftCheckView,
  KubernetesPlanView,
  PlanChange,
} from "./kubernetes-delivery-schemas";

// How plans, applies, drift checks and exports are read and shown. The JSON columns
// were written by this folder's own code from validated values; the views only reshape.

const person = { select: { id: true, name: true, email: true } } as const;

export const planSelect = {
  id: true,
  targetId: true,
  renderedHash: true,
  sources: true,
  excluded: true,
  notes: true,
  changes: true,
  createdAt: true,
  createdBy: person,
} as const satisfies Prisma.KubernetesPlanSelect;

export const applySelect = {
  id: true,
  targetId: true,
  planId: true,
  kind: true,
  outcome: true,
  results: true,
  createdAt: true,
  appliedBy: person,
} as const satisfies Prisma.KubernetesApplySelect;

export const driftCheckSelect = {
  id: true,
  targetId: true,
  applyId: true,
  trigger: true,
  state: true,
  results: true,
  error: true,
  createdAt: true,
  checkedBy: person,
} as const satisfies Prisma.KubernetesDriftCheckSelect;

export const gitExportSelect = {
  id: true,
  targetId: true,
  commit: true,
  branch: true,
  changed: true,
  files: true,
  added: true,
  modified: true,
  removed: true,
  sources: true,
  renderedHash: true,
  createdAt: true,
  author: person,
} as const satisfies Prisma.GitExportSelect;

type PlanRecord = Prisma.KubernetesPlanGetPayload<{ select: typeof planSelect }>;
type ApplyRecord = Prisma.KubernetesApplyGetPayload<{ select: typeof applySelect }>;
type DriftCheckRecord = Prisma.KubernetesDriftCheckGetPayload<{ select: typeof driftCheckSelect }>;
type GitExportRecord = Prisma.GitExportGetPayload<{ select: typeof gitExportSelect }>;

/**
 * The targets an actor may read, as for lib/delivery: org readers all of them, a team's
 * readers those delivering at least one of their applications.
 */
export function kubernetesTargetReadScope(actor: Actor): Prisma.DeliveryTargetWhereInput {
  const grant = grantOf(actor.grants, "delivery:read");
  if (grant.org) return {};
  return { applications: { some: { application: { teamId: { in: [...grant.teamIds] } } } } };
}

export function toPlanView(record: PlanRecord, current: boolean | null = null): KubernetesPlanView {
  const changes = record.changes as PlanChange[];
  return {
    id: record.id,
    targetId: record.targetId,
    renderedHash: record.renderedHash,
    sources: record.sources as DeliverySource[],
    excluded: record.excluded as KubernetesPlanView["excluded"],
    notes: record.notes as KubernetesPlanView["notes"],
    changes,
    summary: {
      create: changes.filter((c) => c.change === "create").length,
      update: changes.filter((c) => c.change === "update").length,
      unchanged: changes.filter((c) => c.change === "unchanged").length,
    },
    createdBy: record.createdBy,
    createdAt: record.createdAt.toISOString(),
    current,
  };
}

export function toApplyView(record: ApplyRecord): KubernetesApplyView {
  return {
    id: record.id,
    targetId: record.targetId,
    planId: record.planId,
    kind: record.kind as KubernetesApplyView["kind"],
    outcome: record.outcome as KubernetesApplyView["outcome"],
    results: record.results as ApplyResultView[],
    appliedBy: record.appliedBy,
    createdAt: record.createdAt.toISOString(),
  };
}

export function toDriftCheckView(record: DriftCheckRecord): KubernetesDriftCheckView {
  return {
    id: record.id,
    targetId: record.targetId,
    applyId: record.applyId,
    trigger: record.trigger as KubernetesDriftCheckView["trigger"],
    state: record.state as KubernetesDriftCheckView["state"],
    results: record.results as KubernetesDriftCheckView["results"],
    error: record.error,
    checkedBy: record.checkedBy,
    createdAt: record.createdAt.toISOString(),
  };
}

export function toGitExportView(record: GitExportRecord): GitExportView {
  return {
    id: record.id,
    targetId: record.targetId,
    commit: record.commit,
    branch: record.branch,
    changed: record.changed,
    files: record.files as string[],
    added: record.added as string[],
    modified: record.modified as string[],
    removed: record.removed as string[],
    sources: record.sources as DeliverySource[],
    renderedHash: record.renderedHash,
    author: record.author,
    createdAt: record.createdAt.toISOString(),
  };
}

/** What the audit trail keeps of a source: the versions, not the bundle. */
export function auditSources(sources: readonly DeliverySource[]) {
  return sources.map((s) => ({
    application: s.slug,
    baselineVersion: s.baseline.number,
    baselineVersionId: s.baseline.id,
    applicationVersion: s.applicationVersion?.number ?? null,
    applicationVersionId: s.applicationVersion?.id ?? null,
    contentHash: s.contentHash,
  }));
}
