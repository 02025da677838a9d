import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { AcceptDecision } from "@/components/architecture/accept-decision";
import { DecisionRecord } from "@/components/architecture/decision-record";
import { PrintButton } from "@/components/architecture/print-button";
import { decisionSchema } from "@/lib/architecture/architecture-schemas";
import { resultPathFor } from "@/lib/architecture/evaluate-architecture-request";
import { getArchitectureDecision } from "@/lib/architecture/get-architecture-decision";
import { canForTeam } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { orNotFound } from "@/lib/next/or-not-found";
import { toWire } from "@/lib/shared/to-wire";

export const metadata: Metadata = { title: "Decision record" };

export default async function DecisionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("architecture:read");
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  // Scoped by team: another team's record is "not found", exactly like a missing one.
  const found = await orNotFound(getArchitectureDecision({ actor, id }));
  const decision = toWire(decisionSchema, found);
  const canAccept = decision.status === "proposed" && canForTeam(actor, "architecture:accept", found.teamId) && found.authorId !== actor.user.id;
  const canRevisit = decision.status === "accepted" && canForTeam(actor, "architecture:propose", found.teamId);

  return (
    <>
      <DecisionRecord
        decision={decision}
        resultHref={resultPathFor(decision.answers)}
        actions={
          <>
            <a className="button button-secondary" href={`/api/v1/architecture/decisions/${decision.id}/markdown`} download>
              Download Markdown
            </a>
            <PrintButton />
            {canRevisit ? (
              <Link className="button button-secondary" href={`/architecture/questionnaire?revisit=${decision.id}`}>
                Revisit this decision
              </Link>
            ) : null}
          </>
        }
      />
      {canAccept ? (
        <AcceptDecision id={decision.id} version={decision.version} reference={decision.reference} supersedes={decision.supersedes?.reference ?? null} />
      ) : decision.status === "proposed" && found.authorId === actor.user.id ? (
        <p className="alert alert-info">You proposed this record; a security officer other than you accepts it.</p>
      ) : null}
    </>
  );
}
