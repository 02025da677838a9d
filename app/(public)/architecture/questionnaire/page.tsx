import type { Metadata } from "next";
import { z } from "zod";
import { PageHeader } from "@/components/page-header";
import { Questionnaire } from "@/components/architecture/questionnaire";
import { QuestionnaireShell } from "@/components/architecture/questionnaire-shell";
import type { PartialAnswers } from "@/lib/architecture/answers-schema";
import { parseAnswersSearchParams, type RawSearchParams } from "@/lib/architecture/answers-search-params";
import { getArchitectureDecision } from "@/lib/architecture/get-architecture-decision";
import { getArchitectureDraft } from "@/lib/architecture/get-architecture-draft";
import { getApplication } from "@/lib/applications/get-application";
import { currentActor } from "@/lib/next/current-actor";
import { isAppError } from "@/lib/errors/app-error";

export const metadata: Metadata = { title: "Architecture questionnaire" };

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const isUuid = (v: string | undefined): v is string => z.uuid().safeParse(v).success;

// Public: a team may answer before it has accounts. Answers come from a draft (?draft=),
// from a result link being changed (?classicWorkloads=…), or from the record being revisited.
export default async function QuestionnairePage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const raw = await searchParams;
  const actor = await currentActor();
  let answers: PartialAnswers = {};
  let step = 0;
  let draft: { id: string; version: number } | null = null;
  let notice: string | null = null;

  const draftId = first(raw.draft);
  if (draftId !== undefined) {
    try {
      if (!isUuid(draftId)) throw new Error("not a draft id");
      const found = await getArchitectureDraft({ id: draftId });
      answers = found.answers;
      step = found.step;
      draft = { id: found.id, version: found.version };
    } catch (error) {
      if (isAppError(error) && error.code !== "NOT_FOUND") throw error;
      notice = "That draft no longer exists (drafts without an account are kept for 30 days). Start again below.";
    }
  } else {
    answers = parseAnswersSearchParams(raw).answers;
  }

  // Revisiting needs the record, so it needs a signed-in reader; without one the
  // questionnaire simply starts fresh.
  let revisit: { id: string; reference: string } | null = null;
  const revisitId = first(raw.revisit);
  if (actor && isUuid(revisitId)) {
    try {
      const decision = await getArchitectureDecision({ actor, id: revisitId });
      revisit = { id: decision.id, reference: decision.reference };
      if (!draft && Object.keys(answers).length === 0) answers = decision.answers;
    } catch (error) {
      if (!isAppError(error) || error.code !== "NOT_FOUND") throw error;
    }
  }

  // Opened from an application's page: carried to the result, where saving pre-selects it.
  // Its name is shown only to whoever may read it.
  let forApplication: { id: string; name: string | null } | null = null;
  const applicationId = first(raw.application);
  if (isUuid(applicationId)) {
    forApplication = { id: applicationId, name: null };
    if (actor) {
      try {
        forApplication.name = (await getApplication({ actor, id: applicationId })).name;
      } catch (error) {
        if (!isAppError(error) || error.code !== "NOT_FOUND") throw error;
        forApplication = null;
      }
    }
  }

  const here = `/architecture/questionnaire${draft ? `?draft=${draft.id}` : ""}`;
  return (
    <QuestionnaireShell signedInAs={actor?.user.name ?? null} returnTo={here}>
      <PageHeader
        title="Which architecture fits your applications?"
        description="Answer a few questions about your workloads, your security model, who maintains security and how you release. Rampart recommends an architecture, explains why, and shows what would change its mind. No account is needed."
      />
      {notice ? (
        <p className="alert alert-info" role="status">
          {notice}
        </p>
      ) : null}
      <Questionnaire initialAnswers={answers} initialStep={step} draft={draft} revisit={revisit} forApplication={forApplication} />
    </QuestionnaireShell>
  );
}
