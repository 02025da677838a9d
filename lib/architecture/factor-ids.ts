// The questionnaire's vocabulary as plain constants: architecture names, the values of
// each factor, which factors are required. No zod here, so the questionnaire page ships
// none of it to the browser (its first-load budget, issue 17); answers-schema.ts builds the
// schemas from these lists and infers the types from them.

export const ARCHITECTURES = ["A", "B", "C"] as const;

export const KUBERNETES_WORKLOADS = ["none", "some", "most"] as const;
export const KUBERNETES_KNOW_HOW = ["low", "medium", "high"] as const;
export const CHANGE_FREQUENCIES = ["frequent", "moderate", "infrequent"] as const;
export const SECURITY_KNOW_HOW = ["centralised", "spread"] as const;
export const TEAM_PROCESSES = ["ticketing", "devsecops"] as const;

export const REQUIRED_FACTORS = [
  "classicWorkloads",
  "kubernetesWorkloads",
  "kubernetesKnowHow",
  "perimeterRequired",
  "zeroTrust",
  "sharedResponsibility",
  "changeFrequency",
  "bundleWithApplication",
] as const;
// Optional factors sharpen the advice; leaving them out moves no score.
export const OPTIONAL_FACTORS = ["securityKnowHow", "teamProcess", "gitOps", "regulatoryPerimeter"] as const;
export const FACTOR_IDS = [...REQUIRED_FACTORS, ...OPTIONAL_FACTORS] as const;

/** A result link's query string: each answered factor as text. */
export function answersToSearchParams(answers: Partial<Record<(typeof FACTOR_IDS)[number], string | boolean>>): URLSearchParams {
  const params = new URLSearchParams();
  for (const factor of FACTOR_IDS) {
    const value = answers[factor];
    if (value !== undefined) params.set(factor, String(value));
  }
  return params;
}
