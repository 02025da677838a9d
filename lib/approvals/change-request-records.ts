import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";

const userRef = { select: { id: true, name: true, email: true } } as const;

export const changeRequestSelect = {
  id: true,
  application: { select: { id: true, slug: true, name: true, teamId: true } },
  title: true,
  rationale: true,
  proposedContent: true,
  status: true,
  author: userRef,
  decidedBy: userRef,
  decidedAt: true,
  decisionNote: true,
  versionId: true,
  createdAt: true,
  version: true,
} as const satisfies Prisma.PolicyChangeRequestSelect;
