"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ARCHITECTURES, type Answers, type Architecture } from "@/lib/architecture/answers-schema";
import { architectureTitle } from "@/lib/architecture/architecture-names";
import { createDecisionInput, decisionSchema, MIN_RATIONALE_LENGTH } from "@/lib/architecture/architecture-schemas";
import { apiRequest } from "@/lib/query/api-client";
import { ApiForm, useApiForm } from "@/components/forms/api-form";
import { SelectField, TextAreaField, TextField, formValue } from "@/components/forms/fields";
import styles from "./architecture.module.css";

type DecisionRef = { id: string; reference: string; architecture: string } | null;

export type SaveTarget = {
  teamId: string;
  teamName: string;
  teamDecision: DecisionRef;
  applications: { id: string; name: string; slug: string; decision: DecisionRef }[];
};

const FIELDS = ["teamId", "applicationIds", "architecture", "title", "context", "rationale", "supersedesId"] as const;

/**
 * Saves the result as a proposed decision record. The form is validated with the API's
 * own request schema (createDecisionInput), so it refuses exactly what the API refuses.
 */
export function SaveDecisionForm({
  answers,
  recommended,
  targets,
  revisit,
  preselect,
}: {
  answers: Answers;
  recommended: Architecture;
  targets: SaveTarget[];
  revisit: { id: string; reference: string; teamId: string; applicationIds: string[] } | null;
  /** The application the questionnaire was opened for: its team chosen and it ticked. */
  preselect?: string;
}) {
  const router = useRouter();
  const preselectedTeam = targets.find((t) => t.applications.some((a) => a.id === preselect))?.teamId;
  const [teamId, setTeamId] = useState(revisit?.teamId ?? preselectedTeam ?? targets[0]?.teamId ?? "");
  const [scope, setScope] = useState<"applications" | "team">(revisit && revisit.applicationIds.length === 0 ? "team" : "applications");
  const [architecture, setArchitecture] = useState<Architecture>(recommended);
  const team = targets.find((t) => t.teamId === teamId);

  const form = useApiForm({
    fields: FIELDS,
    input: (data, errors) => {
      const title = formValue(data, "title").trim();
      // "At least one application" is a rule of this form's scope choice, not of the API; it is
      // checked the same way so its message lands beside the list of applications.
      const schema =
        scope === "applications"
          ? createDecisionInput.refine((v) => v.applicationIds.length > 0, {
              path: ["applicationIds"],
              message: "choose at least one application, or decide for the whole team",
            })
          : createDecisionInput;
      return errors.validate(schema, {
        teamId: formValue(data, "teamId"),
        applicationIds: scope === "team" ? [] : data.getAll("applicationIds").map(String),
        answers,
        architecture: formValue(data, "architecture") || undefined,
        title: title === "" ? undefined : title,
        context: formValue(data, "context"),
        rationale: formValue(data, "rationale"),
        supersedesId: revisit?.id,
      });
    },
    mutationFn: (input) => apiRequest("/architecture/decisions", { method: "POST", body: input, schema: decisionSchema }),
    onSuccess: (decision) => router.push(`/architecture/decisions/${decision.id}`),
    leavesPage: true,
  });
  const errors = form.errors;

  if (targets.length === 0) {
    return <p>You do not lead a team that Rampart knows of, so there is nothing to save this decision for yet.</p>;
  }

  return (
    <ApiForm form={form} submitLabel="Propose decision record" className="form-stack" aria-labelledby="save-heading">
      {revisit ? (
        <p className="alert alert-info">
          This record revisits <strong>{revisit.reference}</strong>. Once accepted, it supersedes {revisit.reference}.
        </p>
      ) : null}
      <SelectField
        label="Team"
        name="teamId"
        required
        value={teamId}
        onChange={(e) => setTeamId(e.currentTarget.value)}
        options={targets.map((t) => ({ value: t.teamId, label: t.teamName }))}
        error={errors.field("teamId")}
        disabled={Boolean(revisit)}
      />
      {revisit ? <input type="hidden" name="teamId" value={teamId} /> : null}

      <fieldset className="fieldset">
        <legend>The decision is for</legend>
        <label className={styles.choice}>
          <input type="radio" name="scope" value="applications" checked={scope === "applications"} onChange={() => setScope("applications")} />
          <span>Chosen applications of {team?.teamName ?? "the team"}</span>
        </label>
        <label className={styles.choice}>
          <input type="radio" name="scope" value="team" checked={scope === "team"} onChange={() => setScope("team")} />
          <span>
            The whole team: every application without a decision of its own
            {team?.teamDecision ? ` (now ${team.teamDecision.reference}, architecture ${team.teamDecision.architecture})` : ""}
          </span>
        </label>
      </fieldset>

      {scope === "applications" ? (
        <fieldset className="fieldset" aria-describedby={errors.field("applicationIds") ? "applications-error" : undefined}>
          <legend>Applications</legend>
          {team && team.applications.length > 0 ? (
            <ul className={styles.checkboxList}>
              {team.applications.map((app) => (
                <li key={app.id}>
                  <label>
                    <input
                      type="checkbox"
                      name="applicationIds"
                      value={app.id}
                      defaultChecked={revisit ? revisit.applicationIds.includes(app.id) : app.id === preselect}
                      aria-invalid={Boolean(errors.field("applicationIds"))}
                    />
                    <span>
                      {app.name} <span className="muted mono">{app.slug}</span>
                      {app.decision ? (
                        <span className="muted">
                          {" "}
                          — decided: {app.decision.reference}, architecture {app.decision.architecture}
                        </span>
                      ) : null}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">This team has no active applications; decide for the whole team instead.</p>
          )}
          {errors.field("applicationIds") ? (
            <p id="applications-error" className="field-error">
              Applications: {errors.field("applicationIds")}
            </p>
          ) : null}
        </fieldset>
      ) : null}

      <fieldset className="fieldset">
        <legend>Architecture</legend>
        {ARCHITECTURES.map((a) => (
          <label key={a} className={styles.choice}>
            <input type="radio" name="architecture" value={a} checked={architecture === a} onChange={() => setArchitecture(a)} />
            <span>
              {architectureTitle(a)}
              {a === recommended ? <strong> (recommended)</strong> : null}
            </span>
          </label>
        ))}
      </fieldset>
      <TextAreaField
        label="Rationale"
        name="rationale"
        required={architecture !== recommended}
        error={errors.field("rationale")}
        hint={
          architecture !== recommended
            ? `You are deciding against Rampart's recommendation: explain why (at least ${MIN_RATIONALE_LENGTH} characters).`
            : "Optional: anything that made the decision for you."
        }
      />
      <TextAreaField
        label="Context"
        name="context"
        required={false}
        error={errors.field("context")}
        hint="What situation the team is in: deadlines, migrations under way, constraints. Recorded with the answers."
      />
      <TextField
        label="Title"
        name="title"
        required={false}
        maxLength={160}
        error={errors.field("title")}
        hint="Leave empty for a title made from the architecture and the applications."
      />
    </ApiForm>
  );
}
