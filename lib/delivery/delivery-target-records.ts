import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { grantOf } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { DeliveryTargetView } from "./delivery-schemas";
import { FINGERPRINT_PREFIX } from "./secret-box";

// How targets are read: what a view needs (never the token hash or the ciphertext), and
// the scope that lets a team see only the targets, and the applications of them, that are
// its own.

export const deliveryTargetSelect = {
  id: true,
  kind: true,
  name: true,
  description: true,
  environment: true,
  mode: true,
  tokenPrefix: true,
  tokenIssuedAt: true,
  namespaces: true,
  renders: true,
  repository: true,
  branch: true,
  folder: true,
  secretFingerprint: true,
  revokedAt: true,
  lastSeenAt: true,
  createdAt: true,
  updatedAt: true,
  version: true,
  applications: {
    select: { application: { select: { id: true, slug: true, name: true, teamId: true } } },
    orderBy: { application: { slug: "asc" } },
  },
} as const satisfies Prisma.DeliveryTargetSelect;

export type DeliveryTargetRecord = Prisma.DeliveryTargetGetPayload<{ select: typeof deliveryTargetSelect }>;

/** Team readers: targets delivering at least one of their teams' applications. */
export function deliveryTargetReadScope(actor: Actor): Prisma.DeliveryTargetWhereInput {
  const grant = grantOf(actor.grants, "delivery:read");
  if (grant.org) return {};
  return { applications: { some: { application: { teamId: { in: [...grant.teamIds] } } } } };
}

/** Which applications of a target the actor sees: all for org readers, their teams' otherwise. */
export function visibleApplicationFilter(actor: Actor): (application: { teamId: string }) => boolean {
  const grant = grantOf(actor.grants, "delivery:read");
  return (application) => grant.org || grant.teamIds.has(application.teamId);
}

export function toDeliveryTargetView(record: DeliveryTargetRecord, actor: Actor): DeliveryTargetView {
  const visible = visibleApplicationFilter(actor);
  const { secretFingerprint, applications, ...rest } = record;
  // Which secret is stored is for those who manage delivery; a reader learns only that one is.
  // A fingerprint from before the HMAC (a plain hash, retired by migration) is not shown.
  const showsFingerprint = grantOf(actor.grants, "delivery:manage").org && secretFingerprint?.startsWith(FINGERPRINT_PREFIX);
  return {
    ...rest,
    mode: rest.mode as DeliveryTargetView["mode"],
    tokenIssuedAt: rest.tokenIssuedAt?.toISOString() ?? null,
    revokedAt: rest.revokedAt?.toISOString() ?? null,
    lastSeenAt: rest.lastSeenAt?.toISOString() ?? null,
    createdAt: rest.createdAt.toISOString(),
    updatedAt: rest.updatedAt.toISOString(),
    secret: { present: secretFingerprint !== null, fingerprint: showsFingerprint ? secretFingerprint : null },
    applications: applications.map((a) => a.application).filter(visible),
  };
}

/** What the audit trail records of a target: never a secret, only that one changed. */
export function deliveryTargetAuditView(record: DeliveryTargetRecord) {
  return {
    kind: record.kind,
    name: record.name,
    environment: record.environment,
    mode: record.mode,
    tokenPrefix: record.tokenPrefix,
    namespaces: record.namespaces,
    renders: record.renders,
    repository: record.repository,
    branch: record.branch,
    folder: record.folder,
    // Whether a secret is stored, never which: the audit trail is read by more people than manage delivery.
    secretStored: record.secretFingerprint !== null,
    applications: record.applications.map((a) => a.application.slug),
    revokedAt: record.revokedAt?.toISOString() ?? null,
  };
}
