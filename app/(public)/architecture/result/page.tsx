import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { QuestionnaireShell } from "@/components/architecture/questionnaire-shell";
import { ResultView } from "@/components/architecture/result-view";
import { SaveDecisionForm } from "@/components/architecture/save-decision-form";
import { answersToSearchParams, parseAnswersSearchParams, type RawSearchParams } from "@/lib/architecture/answers-search-params";
import { evaluateAnswers } from "@/lib/architecture/evaluate-answers";
import { findDecisionTargets } from "@/lib/architecture/find-decision-targets";
import { getArchitectureDecision } from "@/lib/architecture/get-architecture-decision";
import { can, canForTeam, type Actor } from "@/lib/auth/actor";
import { currentActor } from "@/lib/next/current-actor";
import { isAppError } from "@/lib/errors/app-error";

export const metadata: Metadata = { title: "Architecture recommendation" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

// Public and stateless: the answers are in the link, so the link is the shareable result.
export default async function ResultPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const raw = await searchParams;
  const actor = await currentActor();
  const parsed = parseAnswersSearchParams(raw);
  const revisitId = first(raw.revisit);
  const params = answersToSearchParams(parsed.answers);
  if (revisitId) params.set("revisit", revisitId);
  const applicationId = first(raw.application);
  const preselect = z.uuid().safeParse(applicationId).success ? applicationId : undefined;
  if (preselect) params.set("application", preselect);
  const here = `/architecture/result?${params}`;
  const changeAnswersHref = `/architecture/questionnaire?${params}`;

  if (!parsed.complete) {
    return (
      <QuestionnaireShell signedInAs={actor?.user.name ?? null} returnTo={here}>
        <PageHeader title="This result link is incomplete" />
        <div className="alert alert-warning" role="alert">
          <p>Some answers are missing or not understood, so Rampart cannot recommend an architecture yet:</p>
          <ul>
            {parsed.errors.map((e) => (
              <li key={e.path}>
                {e.path.replace(/^answers\./, "")}: {e.message}
              </li>
            ))}
          </ul>
        </div>
        <p>
          <Link className="button" href={changeAnswersHref}>
            Complete the questionnaire
          </Link>
        </p>
      </QuestionnaireShell>
    );
  }

  const evaluation = evaluateAnswers(parsed.answers);
  return (
    <QuestionnaireShell signedInAs={actor?.user.name ?? null} returnTo={here}>
      <PageHeader
        title="Your architecture recommendation"
        description="Based on your answers. The link of this page carries them: share it, bookmark it or print the page."
      />
      <ResultView
        answers={parsed.answers}
        evaluation={evaluation}
        changeAnswersHref={changeAnswersHref}
        saveSection={await saveSection(actor, here, parsed.answers, evaluation.architecture, revisitId, preselect)}
      />
    </QuestionnaireShell>
  );
}

async function saveSection(
  actor: Actor | null,
  here: string,
  answers: Parameters<typeof SaveDecisionForm>[0]["answers"],
  recommended: Parameters<typeof SaveDecisionForm>[0]["recommended"],
  revisitId: string | undefined,
  preselect: string | undefined,
) {
  if (!actor) {
    return (
      <>
        <p>
          Saving the result as an architecture decision record, for one or more applications or a whole team, needs an account. The record keeps these answers,
          the decision, its consequences and the alternatives, and once accepted by a security officer it decides who edits which policy and where it is
          delivered.
        </p>
        <p>
          <Link className="button" href={`/sign-in?next=${encodeURIComponent(here)}`}>
            Sign in to save this result
          </Link>
        </p>
      </>
    );
  }
  if (!can(actor, "architecture:propose")) {
    return (
      <p>
        Your role cannot propose decision records. Send the link of this page to your project lead or a security officer; they can save it for your
        applications.
      </p>
    );
  }
  let revisit: { id: string; reference: string; teamId: string; applicationIds: string[] } | null = null;
  if (revisitId && z.uuid().safeParse(revisitId).success) {
    try {
      const d = await getArchitectureDecision({ actor, id: revisitId });
      if (d.status === "accepted" && canForTeam(actor, "architecture:propose", d.teamId)) {
        revisit = { id: d.id, reference: d.reference, teamId: d.teamId, applicationIds: d.applications.map((a) => a.id) };
      }
    } catch (error) {
      if (!isAppError(error) || error.code !== "NOT_FOUND") throw error;
    }
  }
  const targets = await findDecisionTargets({ actor });
  return <SaveDecisionForm answers={answers} recommended={recommended} targets={targets} revisit={revisit} preselect={preselect} />;
}
