import type { Prisma } from "@/lib/generated/prisma/client";

const userRef = { select: { id: true, name: true, email: true } } as const;

export const riskAcceptanceInclude = { acceptedBy: userRef, revokedBy: userRef } as const satisfies Prisma.RiskAcceptanceInclude;

type RiskAcceptanceRecord = Prisma.RiskAcceptanceGetPayload<{ include: typeof riskAcceptanceInclude }>;

export function isActiveRiskAcceptance(acceptance: { revokedAt: Date | null; expiresAt: Date }, now: Date): boolean {
  return acceptance.revokedAt === null && acceptance.expiresAt.getTime() > now.getTime();
}

export function toRiskAcceptanceView(acceptance: RiskAcceptanceRecord, now: Date) {
  return {
    id: acceptance.id,
    applicationId: acceptance.applicationId,
    reason: acceptance.reason,
    expiresAt: acceptance.expiresAt,
    acceptedBy: acceptance.acceptedBy,
    createdAt: acceptance.createdAt,
    revokedAt: acceptance.revokedAt,
    revokedBy: acceptance.revokedBy,
    active: isActiveRiskAcceptance(acceptance, now),
  };
}
