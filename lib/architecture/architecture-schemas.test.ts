import { describe, expect, it } from "vitest";
import { zodFieldErrors } from "@/lib/shared/zod-field-errors";
import { answersSchema, type Answers } from "./answers-schema";
import { createDecisionInput, evaluateInput } from "./architecture-schemas";

const ANSWERS: Answers = {
  classicWorkloads: true,
  kubernetesWorkloads: "none",
  kubernetesKnowHow: "low",
  perimeterRequired: true,
  zeroTrust: false,
  sharedResponsibility: false,
  changeFrequency: "infrequent",
  bundleWithApplication: false,
};
const TEAM = "5f0c6f8e-52a4-4c55-9a51-2f8f0b5c8e11";

function errorsOf(schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } }, value: unknown) {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : zodFieldErrors(parsed.error as never, "body");
}

describe("the answers schema", () => {
  it("accepts the issue's exact ids and values", () => {
    expect(answersSchema.parse(ANSWERS)).toEqual(ANSWERS);
  });

  it("names each missing required factor", () => {
    const rest: Partial<Answers> = { ...ANSWERS };
    delete rest.zeroTrust;
    delete rest.changeFrequency;
    expect(errorsOf(evaluateInput, { answers: rest })).toEqual([
      { path: "body.answers.zeroTrust", message: "is required" },
      { path: "body.answers.changeFrequency", message: "is required" },
    ]);
  });

  it("refuses unknown values, text booleans and unknown factors with the field path", () => {
    expect(errorsOf(evaluateInput, { answers: { ...ANSWERS, kubernetesWorkloads: "lots" } })).toEqual([
      { path: "body.answers.kubernetesWorkloads", message: "must be one of: none, some, most" },
    ]);
    expect(errorsOf(evaluateInput, { answers: { ...ANSWERS, zeroTrust: "true" } })).toEqual([
      { path: "body.answers.zeroTrust", message: "must be true or false" },
    ]);
    expect(errorsOf(evaluateInput, { answers: { ...ANSWERS, cloudProvider: "aws" } })).toEqual([
      { path: "body.answers.cloudProvider", message: "Unknown field." },
    ]);
    expect(errorsOf(evaluateInput, { answers: ANSWERS, extra: 1 })).toEqual([{ path: "body.extra", message: "Unknown field." }]);
  });

  it("accepts optional factors and refuses bad values for them", () => {
    expect(answersSchema.safeParse({ ...ANSWERS, teamProcess: "devsecops", gitOps: false }).success).toBe(true);
    expect(errorsOf(answersSchema, { ...ANSWERS, teamProcess: "waterfall" })[0]?.path).toBe("body.teamProcess");
  });
});

describe("the decision input", () => {
  it("takes Rampart's recommendation when no architecture is given", () => {
    expect(createDecisionInput.safeParse({ teamId: TEAM, answers: ANSWERS }).success).toBe(true);
  });

  it("asks for a rationale when the team decides against the recommendation", () => {
    expect(errorsOf(createDecisionInput, { teamId: TEAM, answers: ANSWERS, architecture: "A" })).toEqual([
      expect.objectContaining({ path: "body.rationale", message: expect.stringContaining("Rampart recommends C") }),
    ]);
    const withWhy = { teamId: TEAM, answers: ANSWERS, architecture: "A", rationale: "We move the back office to Kubernetes next quarter." };
    expect(createDecisionInput.safeParse(withWhy).success).toBe(true);
  });

  it("refuses an application listed twice", () => {
    const app = "0b0c6f8e-52a4-4c55-9a51-2f8f0b5c8e12";
    expect(errorsOf(createDecisionInput, { teamId: TEAM, answers: ANSWERS, applicationIds: [app, app] })[0]?.path).toBe("body.applicationIds");
  });

  it("reports bad answers without evaluating them", () => {
    const errors = errorsOf(createDecisionInput, { teamId: TEAM, answers: { ...ANSWERS, zeroTrust: 1 }, architecture: "A" });
    expect(errors.map((e) => e.path)).toEqual(["body.answers.zeroTrust"]);
  });
});
