import "server-only";
import { db, type DbTransaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import type { ApplicationPolicy } from "@/lib/policy-spec";
import { hasFineGrainedRules } from "./has-fine-grained-rules";
import { riskAcceptanceInclude, toRiskAcceptanceView } from "./risk-acceptance-view";

// The seed's warning, as a rule: an application exposed to the internet must not go live
// protected by the baseline alone. A version is publishable (and a bundle deliverable)
// only if the application policy in use has rules of its own, or a security officer has
// accepted the risk until a date that has not passed.

type Application = { id: string; slug: string; exposure: "internet" | "internal" };

export async function evaluateFineGrainedRequirement({
  tx,
  application,
  document,
  now,
}: {
  tx?: DbTransaction;
  application: Application;
  document: ApplicationPolicy | null;
  now: Date;
}) {
  const required = application.exposure === "internet";
  const satisfied = hasFineGrainedRules(document);
  const acceptance =
    required && !satisfied
      ? await (tx ?? db).riskAcceptance.findFirst({
          where: { applicationId: application.id, revokedAt: null, expiresAt: { gt: now } },
          include: riskAcceptanceInclude,
          orderBy: { expiresAt: "desc" },
        })
      : null;
  const met = !required || satisfied || acceptance !== null;
  let message: string | null = null;
  if (!met) {
    message = `${application.slug} is exposed to the internet and has no fine-grained policy: publish an application policy with rules of its own, or have a security officer record a risk acceptance.`;
  } else if (acceptance) {
    message = `${application.slug} is exposed to the internet without fine-grained policy; ${acceptance.acceptedBy.name} accepted the risk until ${acceptance.expiresAt.toISOString()}.`;
  }
  return {
    required,
    satisfied,
    riskAcceptance: acceptance ? toRiskAcceptanceView(acceptance, now) : null,
    met,
    message,
  };
}

export type FineGrainedRequirement = Awaited<ReturnType<typeof evaluateFineGrainedRequirement>>;

export function requireFineGrainedRequirementMet(requirement: FineGrainedRequirement, applicationId: string) {
  if (requirement.met) return;
  throw new AppError("CONFLICT", requirement.message ?? "The application needs fine-grained policy.", {
    details: { rule: "internet-exposure-needs-fine-grained-policy", applicationId },
  });
}
