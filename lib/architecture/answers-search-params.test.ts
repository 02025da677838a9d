import { describe, expect, it } from "vitest";
import type { Answers } from "./answers-schema";
import { answersToSearchParams, parseAnswersSearchParams } from "./answers-search-params";

const ANSWERS: Answers = {
  classicWorkloads: true,
  kubernetesWorkloads: "some",
  kubernetesKnowHow: "medium",
  perimeterRequired: true,
  zeroTrust: true,
  sharedResponsibility: true,
  changeFrequency: "moderate",
  bundleWithApplication: false,
  gitOps: true,
};

describe("result links", () => {
  it("round-trips answers through the query string with readable values", () => {
    const params = answersToSearchParams(ANSWERS);
    expect(params.toString()).toBe(
      "classicWorkloads=true&kubernetesWorkloads=some&kubernetesKnowHow=medium&perimeterRequired=true&zeroTrust=true&sharedResponsibility=true&changeFrequency=moderate&bundleWithApplication=false&gitOps=true",
    );
    expect(parseAnswersSearchParams(Object.fromEntries(params))).toEqual({ complete: true, answers: ANSWERS });
  });

  it("ignores keys that are not factors, such as revisit", () => {
    const raw = { ...Object.fromEntries(answersToSearchParams(ANSWERS)), revisit: "x", utm_source: "chat" };
    expect(parseAnswersSearchParams(raw).complete).toBe(true);
  });

  it("reports a missing answer and keeps the rest", () => {
    const raw = Object.fromEntries(answersToSearchParams(ANSWERS));
    delete raw.zeroTrust;
    const parsed = parseAnswersSearchParams(raw);
    expect(parsed.complete).toBe(false);
    if (parsed.complete) return;
    expect(parsed.errors).toEqual([{ path: "answers.zeroTrust", message: "is required" }]);
    expect(parsed.answers).toMatchObject({ classicWorkloads: true, kubernetesWorkloads: "some" });
  });

  it("reports and drops an unknown value instead of guessing", () => {
    const raw = { ...Object.fromEntries(answersToSearchParams(ANSWERS)), kubernetesWorkloads: "lots", zeroTrust: "yes" };
    const parsed = parseAnswersSearchParams(raw);
    expect(parsed.complete).toBe(false);
    if (parsed.complete) return;
    expect(parsed.errors.map((e) => e.path).sort()).toEqual(["answers.kubernetesWorkloads", "answers.zeroTrust"]);
    expect(parsed.answers.kubernetesWorkloads).toBeUndefined();
    expect(parsed.answers.classicWorkloads).toBe(true);
  });
});
