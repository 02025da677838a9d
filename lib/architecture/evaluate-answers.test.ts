import { describe, expect, it } from "vitest";
import { answersSchema, ARCHITECTURES, FACTOR_IDS, type Answers, type Architecture, type FactorId } from "./answers-schema";
import { evaluateAnswers, findFlips } from "./evaluate-answers";
import { factorOf, FACTORS } from "./factors";

// Three contrasting teams, also quoted in the closing note.
const LEDGER: Answers = {
  // A bank's back office: classic servers, no Kubernetes, one security team, rare changes.
  classicWorkloads: true,
  kubernetesWorkloads: "none",
  kubernetesKnowHow: "low",
  perimeterRequired: true,
  zeroTrust: false,
  sharedResponsibility: false,
  changeFrequency: "infrequent",
  bundleWithApplication: false,
};
const STREAMLINE: Answers = {
  // A cloud-native SaaS company: everything on Kubernetes, DevSecOps, releases daily.
  classicWorkloads: false,
  kubernetesWorkloads: "most",
  kubernetesKnowHow: "high",
  perimeterRequired: false,
  zeroTrust: true,
  sharedResponsibility: true,
  changeFrequency: "frequent",
  bundleWithApplication: true,
};
const RETAILER: Answers = {
  // A retailer mid-migration: shop on Kubernetes, ERP and POS backends on VMs, public edge.
  classicWorkloads: true,
  kubernetesWorkloads: "some",
  kubernetesKnowHow: "medium",
  perimeterRequired: true,
  zeroTrust: true,
  sharedResponsibility: true,
  changeFrequency: "moderate",
  bundleWithApplication: false,
};

// A, B and C score the same (1 point each).
const THREE_WAY_TIE: Answers = {
  classicWorkloads: false,
  kubernetesWorkloads: "some",
  kubernetesKnowHow: "low",
  perimeterRequired: false,
  zeroTrust: true,
  sharedResponsibility: false,
  changeFrequency: "moderate",
  bundleWithApplication: false,
};

/** Every combination of the eight required factors (864). */
function allRequiredCombinations(): Answers[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const factor of FACTOR_IDS.filter((f) => factorOf(f).required)) {
    combos = combos.flatMap((c) => factorOf(factor).options.map((o) => ({ ...c, [factor]: o.value })));
  }
  return combos as Answers[];
}
const ALL = allRequiredCombinations();

const sign = (n: number) => (n > 0 ? "+" : n < 0 ? "-" : "0");

describe("evaluateAnswers: three contrasting teams", () => {
  it.each([
    ["a back office on classic servers", LEDGER, "C", { A: -2, B: -17, C: 17 }],
    ["a cloud-native SaaS team", STREAMLINE, "B", { A: 9, B: 18, C: -14 }],
    ["a retailer with a mixed estate", RETAILER, "A", { A: 13, B: -2, C: 2 }],
  ] as const)("recommends the expected architecture for %s", (_name, answers, architecture, scores) => {
    const result = evaluateAnswers(answers);
    expect(result.architecture).toBe(architecture);
    expect(result.scores).toEqual(scores);
    expect(result.ranking[0]).toBe(architecture);
  });

  it("gives one reason per answered factor, and the reasons add up to the scores", () => {
    for (const answers of [LEDGER, STREAMLINE, RETAILER, { ...RETAILER, gitOps: true, teamProcess: "devsecops" } as Answers]) {
      const result = evaluateAnswers(answers);
      expect(result.reasons.map((r) => r.factor)).toEqual(FACTOR_IDS.filter((f) => answers[f] !== undefined));
      for (const architecture of ARCHITECTURES) {
        expect(result.reasons.reduce((sum, r) => sum + r.effects[architecture], 0)).toBe(result.scores[architecture]);
      }
      for (const reason of result.reasons) expect(reason.explanation.length).toBeGreaterThan(20);
    }
  });

  it("is deterministic and does not modify its input", () => {
    const input = structuredClone(RETAILER);
    expect(evaluateAnswers(input)).toEqual(evaluateAnswers(RETAILER));
    expect(input).toEqual(RETAILER);
  });
});

describe("evaluateAnswers: each factor's direction", () => {
  // Changing one answer, everything else equal, moves each score the documented way.
  it.each<[FactorId, unknown, unknown, Record<Architecture, "+" | "-" | "0">]>([
    ["classicWorkloads", false, true, { A: "+", B: "-", C: "+" }],
    ["kubernetesWorkloads", "none", "some", { A: "+", B: "+", C: "-" }],
    ["kubernetesWorkloads", "some", "most", { A: "-", B: "+", C: "-" }],
    ["kubernetesKnowHow", "low", "medium", { A: "+", B: "+", C: "-" }],
    ["kubernetesKnowHow", "medium", "high", { A: "0", B: "+", C: "-" }],
    ["perimeterRequired", false, true, { A: "+", B: "-", C: "+" }],
    ["zeroTrust", false, true, { A: "+", B: "+", C: "-" }],
    ["sharedResponsibility", false, true, { A: "+", B: "+", C: "-" }],
    ["changeFrequency", "infrequent", "moderate", { A: "0", B: "+", C: "-" }],
    ["changeFrequency", "moderate", "frequent", { A: "+", B: "+", C: "-" }],
    ["bundleWithApplication", false, true, { A: "+", B: "+", C: "-" }],
    ["securityKnowHow", "centralised", "spread", { A: "+", B: "+", C: "-" }],
    ["teamProcess", "ticketing", "devsecops", { A: "+", B: "+", C: "-" }],
    ["gitOps", false, true, { A: "0", B: "+", C: "-" }],
    ["regulatoryPerimeter", false, true, { A: "+", B: "-", C: "+" }],
  ])("%s: %s → %s moves the scores %j", (factor, from, to, expected) => {
    for (const base of [LEDGER, STREAMLINE, RETAILER]) {
      const before = evaluateAnswers({ ...base, [factor]: from } as Answers).scores;
      const after = evaluateAnswers({ ...base, [factor]: to } as Answers).scores;
      const moved = Object.fromEntries(ARCHITECTURES.map((a) => [a, sign(after[a] - before[a])]));
      expect(moved).toEqual(expected);
    }
  });

  it("moves no score for optional factors left unanswered or answered neutrally", () => {
    const base = evaluateAnswers(RETAILER).scores;
    expect(evaluateAnswers({ ...RETAILER, gitOps: false, regulatoryPerimeter: false }).scores).toEqual(base);
    expect(evaluateAnswers({ ...RETAILER, changeFrequency: "moderate" }).scores).toEqual(base);
  });

  it("moves the recommendation towards the architecture an answer favours", () => {
    // A team on the fence between B and C: zero trust tips it to B, no zero trust keeps C.
    const fence: Answers = {
      ...STREAMLINE,
      kubernetesKnowHow: "low",
      sharedResponsibility: false,
      changeFrequency: "infrequent",
      bundleWithApplication: false,
      perimeterRequired: false,
    };
    expect(evaluateAnswers({ ...fence, zeroTrust: false }).architecture).toBe("C");
    expect(evaluateAnswers({ ...fence, zeroTrust: true }).architecture).toBe("B");
  });
});

describe("evaluateAnswers: what cannot work is ruled out", () => {
  it("never recommends B when classic applications need protection", () => {
    for (const answers of ALL.filter((a) => a.classicWorkloads)) {
      const result = evaluateAnswers(answers);
      expect(result.architecture).not.toBe("B");
      expect(result.ruledOut).toContainEqual(expect.objectContaining({ architecture: "B", factor: "classicWorkloads" }));
    }
  });

  it("always recommends C when nothing runs in Kubernetes", () => {
    for (const answers of ALL.filter((a) => a.kubernetesWorkloads === "none")) {
      expect(evaluateAnswers(answers).architecture).toBe("C");
    }
  });

  it("says so when a ruled-out architecture scored higher than the recommendation", () => {
    const result = evaluateAnswers({ ...STREAMLINE, classicWorkloads: true, kubernetesWorkloads: "none" });
    expect(result.architecture).toBe("C");
    expect(result.scores.B).toBeGreaterThan(result.scores.C);
    expect(result.margin).toBeNull();
    expect(result.ranking).toEqual(["C", "B", "A"]);
    expect(result.warnings.map((w) => w.code)).toContain("ruled-out-scored-higher");
  });

  it("recommends an architecture that is not ruled out for every combination of answers", () => {
    for (const answers of ALL) {
      const result = evaluateAnswers(answers);
      expect(result.ruledOut.map((r) => r.architecture)).not.toContain(result.architecture);
    }
  });
});

describe("evaluateAnswers: ties", () => {
  it("breaks a tie in favour of the architecture that leaves fewer requirements unmet", () => {
    // A and C score 9 each; C would leave shared responsibility unmet.
    const answers: Answers = { ...RETAILER, zeroTrust: false, changeFrequency: "infrequent" };
    const result = evaluateAnswers(answers);
    expect(result.scores.A).toBe(result.scores.C);
    expect(result.margin).toBe(0);
    expect(result.architecture).toBe("A");
    const tie = result.warnings.find((w) => w.code === "tie");
    expect(tie?.message).toContain("fewer of your requirements unmet");
  });

  it("breaks a tie with equal requirements in favour of fewer components (C, then B, then A)", () => {
    // A, B and C all score 1; C leaves zero trust unmet, A and B leave nothing unmet: B has fewer parts than A.
    const result = evaluateAnswers(THREE_WAY_TIE);
    expect(result.scores).toEqual({ A: 1, B: 1, C: 1 });
    expect(result.architecture).toBe("B");
    expect(result.ranking).toEqual(["B", "A", "C"]);
    expect(result.warnings.find((w) => w.code === "tie")?.message).toContain("fewer parts to run");
  });

  it("reports every tie as a warning, and only ties with margin 0", () => {
    for (const answers of ALL) {
      const result = evaluateAnswers(answers);
      const hasTie = result.warnings.some((w) => w.code === "tie");
      expect(hasTie).toBe(result.margin === 0);
    }
  });

  it("flags a close call when the lead is small", () => {
    const result = evaluateAnswers({ ...RETAILER, zeroTrust: false, changeFrequency: "moderate" });
    expect(result.margin).toBeGreaterThan(0);
    expect(result.margin).toBeLessThanOrEqual(2);
    expect(result.warnings.map((w) => w.code)).toContain("close-call");
  });
});

describe("evaluateAnswers: contradictions are pointed out, not resolved", () => {
  it.each<[string, Partial<Answers>, Answers]>([
    ["zero-trust-without-kubernetes", { kubernetesWorkloads: "none", zeroTrust: true }, LEDGER],
    ["nothing-to-protect", { classicWorkloads: false, kubernetesWorkloads: "none" }, LEDGER],
    ["bundle-without-kubernetes", { kubernetesWorkloads: "none", bundleWithApplication: true }, LEDGER],
    ["bundle-without-shared-responsibility", { bundleWithApplication: true, sharedResponsibility: false }, STREAMLINE],
    ["bundle-with-rare-changes", { bundleWithApplication: true, changeFrequency: "infrequent" }, STREAMLINE],
    ["zero-trust-without-shared-responsibility", { zeroTrust: true, sharedResponsibility: false }, STREAMLINE],
    ["kubernetes-heavy-low-know-how", { kubernetesWorkloads: "most", kubernetesKnowHow: "low" }, STREAMLINE],
    ["some-kubernetes-no-classic", { classicWorkloads: false, kubernetesWorkloads: "some" }, STREAMLINE],
    ["shared-responsibility-with-ticketing", { sharedResponsibility: true, teamProcess: "ticketing" }, STREAMLINE],
    ["shared-responsibility-central-know-how", { sharedResponsibility: true, securityKnowHow: "centralised" }, STREAMLINE],
    ["frequent-changes-with-ticketing", { changeFrequency: "frequent", teamProcess: "ticketing" }, STREAMLINE],
  ])("%s", (code, change, base) => {
    expect(evaluateAnswers(base).warnings.map((w) => w.code)).not.toContain(code);
    const warning = evaluateAnswers({ ...base, ...change } as Answers).warnings.find((w) => w.code === code);
    expect(warning).toBeDefined();
    expect(warning!.factors.sort()).toEqual(Object.keys(change).sort());
    expect(warning!.message.length).toBeGreaterThan(40);
  });

  it("keeps recommending while pointing out zero trust without Kubernetes", () => {
    const result = evaluateAnswers({ ...LEDGER, zeroTrust: true });
    expect(result.architecture).toBe("C");
    expect(result.warnings.map((w) => [w.code, w.kind])).toEqual(
      expect.arrayContaining([
        ["zero-trust-without-kubernetes", "contradiction"],
        ["unmet-zeroTrust", "unmet-requirement"],
      ]),
    );
  });

  it("has no warnings for consistent answers with a clear winner", () => {
    expect(evaluateAnswers(LEDGER).warnings).toEqual([]);
    expect(evaluateAnswers(STREAMLINE).warnings).toEqual([]);
    expect(evaluateAnswers(RETAILER).warnings).toEqual([]);
  });

  it("names the requirements the recommended architecture leaves unmet", () => {
    // Wants an edge layer but everything else points to B; B still wins on points.
    const result = evaluateAnswers({ ...STREAMLINE, perimeterRequired: true, zeroTrust: true, kubernetesWorkloads: "most", gitOps: true });
    expect(result.architecture).toBe("B");
    expect(result.warnings.find((w) => w.code === "unmet-perimeterRequired")?.kind).toBe("unmet-requirement");
  });
});

describe("evaluateAnswers: the single change that would flip the recommendation", () => {
  it("lists the flips of the SaaS team exactly", () => {
    expect(evaluateAnswers(STREAMLINE).flips).toEqual([
      { factor: "classicWorkloads", from: false, to: true, architecture: "A" },
      { factor: "kubernetesWorkloads", from: "most", to: "none", architecture: "C" },
      { factor: "perimeterRequired", from: false, to: true, architecture: "A" },
    ]);
  });

  it("lists unanswered optional factors as possible flips, with from = null", () => {
    const flips = evaluateAnswers(THREE_WAY_TIE).flips;
    expect(flips).toContainEqual({ factor: "teamProcess", from: null, to: "ticketing", architecture: "C" });
    expect(flips.every((f) => f.from !== null || !(f.factor in THREE_WAY_TIE))).toBe(true);
  });

  it("finds no flip when the recommendation is robust", () => {
    expect(evaluateAnswers(LEDGER).flips).toEqual([]);
  });

  it("lists exactly the single changes that change the recommendation (all 864 combinations)", () => {
    for (const answers of ALL) {
      const { architecture, flips } = evaluateAnswers(answers);
      const listed = new Set(flips.map((f) => `${f.factor}=${String(f.to)}`));
      for (const factor of FACTOR_IDS) {
        for (const option of factorOf(factor).options) {
          if (option.value === answers[factor]) continue;
          const changed = evaluateAnswers({ ...answers, [factor]: option.value } as Answers).architecture;
          expect(listed.has(`${factor}=${String(option.value)}`)).toBe(changed !== architecture);
        }
      }
    }
  });

  it("agrees with the flips evaluateAnswers reports", () => {
    expect(findFlips(RETAILER)).toEqual(evaluateAnswers(RETAILER).flips);
  });
});

describe("the factor table", () => {
  it("has exactly one scoring row for every value the schema accepts", () => {
    for (const factor of FACTOR_IDS) {
      const values = factorOf(factor).options.map((o) => o.value);
      expect(new Set(values).size).toBe(values.length);
      for (const value of values) {
        expect(answersSchema.shape[factor].safeParse(value).success, `${factor}=${String(value)}`).toBe(true);
      }
      // Nothing the schema accepts lacks a row: booleans have two, enums list their options.
      const field = answersSchema.shape[factor] as unknown as { unwrap?: () => { options?: unknown[] }; options?: unknown[] };
      const accepted = (field.unwrap ? field.unwrap() : field).options ?? [true, false];
      expect([...values].sort()).toEqual([...accepted].sort());
    }
  });

  it("keeps points within −3…+3 and words every question", () => {
    for (const factor of Object.values(FACTORS)) {
      expect(factor.question.endsWith("?")).toBe(true);
      for (const option of factor.options) {
        for (const points of Object.values(option.effects)) expect(Math.abs(points)).toBeLessThanOrEqual(3);
      }
    }
  });
});
