import type { Answers, Architecture, FactorId } from "./answers-schema";
import { ARCHITECTURE_NAMES } from "./architecture-names";
import { unmetRequirements } from "./unmet-requirements";
import type { Warning } from "./warning";

// What the evaluation points out instead of silently resolving:
//   contradiction     — answers that cannot both hold as given;
//   caution           — answers that fit together badly and make the result riskier;
//   unmet-requirement — something you asked for that the recommended architecture does not do;
//   close-call        — the recommendation won by a tie or by little, or a ruled-out
//                       architecture scored higher than the one recommended.

type Rule = {
  code: string;
  kind: "contradiction" | "caution";
  factors: FactorId[];
  applies: (a: Answers) => boolean;
  message: string;
};

const ANSWER_RULES: readonly Rule[] = [
  {
    code: "zero-trust-without-kubernetes",
    kind: "contradiction",
    factors: ["kubernetesWorkloads", "zeroTrust"],
    applies: (a) => a.kubernetesWorkloads === "none" && a.zeroTrust,
    message:
      "You ask for zero trust between services but have no Kubernetes workloads. In Rampart, zero trust is delivered by microgateways inside Kubernetes, so with these answers it cannot be met. Either some workloads move to Kubernetes, or checking at the edge has to be enough.",
  },
  {
    code: "nothing-to-protect",
    kind: "contradiction",
    factors: ["classicWorkloads", "kubernetesWorkloads"],
    applies: (a) => !a.classicWorkloads && a.kubernetesWorkloads === "none",
    message: "You say no applications run outside Kubernetes and none run in it, which leaves nothing to protect. Check the two workload answers.",
  },
  {
    code: "bundle-without-kubernetes",
    kind: "contradiction",
    factors: ["kubernetesWorkloads", "bundleWithApplication"],
    applies: (a) => a.kubernetesWorkloads === "none" && a.bundleWithApplication,
    message: "You want policy to ship with each application version, which only a microgateway in Kubernetes can do, but you have no Kubernetes workloads.",
  },
  {
    code: "bundle-without-shared-responsibility",
    kind: "contradiction",
    factors: ["bundleWithApplication", "sharedResponsibility"],
    applies: (a) => a.bundleWithApplication && !a.sharedResponsibility,
    message:
      "Policy that ships with each application version is released by the team that builds the application, yet you want the security team alone to maintain policy. The security team would have to take part in every release of every application.",
  },
  {
    code: "bundle-with-rare-changes",
    kind: "caution",
    factors: ["bundleWithApplication", "changeFrequency"],
    applies: (a) => a.bundleWithApplication && a.changeFrequency === "infrequent",
    message:
      "Shipping policy with each application version pays off for short release cycles, but you expect policy to change rarely. Check whether bundling is really needed.",
  },
  {
    code: "zero-trust-without-shared-responsibility",
    kind: "caution",
    factors: ["zeroTrust", "sharedResponsibility"],
    applies: (a) => a.zeroTrust && !a.sharedResponsibility,
    message:
      "Zero trust puts a policy in front of every service. If only the security team maintains policy, it has to write and keep current the rules of every application, which tends to become a bottleneck.",
  },
  {
    code: "kubernetes-heavy-low-know-how",
    kind: "caution",
    factors: ["kubernetesWorkloads", "kubernetesKnowHow"],
    applies: (a) => a.kubernetesWorkloads === "most" && a.kubernetesKnowHow === "low",
    message:
      "Most of your applications run in Kubernetes, but Kubernetes know-how is low. Whatever you choose, plan training: microgateways are configured through Kubernetes resources.",
  },
  {
    code: "some-kubernetes-no-classic",
    kind: "caution",
    factors: ["classicWorkloads", "kubernetesWorkloads"],
    applies: (a) => !a.classicWorkloads && a.kubernetesWorkloads === "some",
    message:
      "Only some applications run in Kubernetes, yet none outside it need protection. If the rest needs no protection, “most or all” describes what Rampart protects more accurately.",
  },
  {
    code: "shared-responsibility-with-ticketing",
    kind: "caution",
    factors: ["sharedResponsibility", "teamProcess"],
    applies: (a) => a.sharedResponsibility && a.teamProcess === "ticketing",
    message:
      "Teams are to maintain part of the security configuration, but changes reach production through tickets and maintenance windows. Shared responsibility works best when teams can deploy their own changes.",
  },
  {
    code: "shared-responsibility-central-know-how",
    kind: "caution",
    factors: ["sharedResponsibility", "securityKnowHow"],
    applies: (a) => a.sharedResponsibility && a.securityKnowHow === "centralised",
    message:
      "Teams are to maintain security configuration, but the know-how sits with one security team. Plan templates, guidelines and training before handing policy to the teams.",
  },
  {
    code: "frequent-changes-with-ticketing",
    kind: "caution",
    factors: ["changeFrequency", "teamProcess"],
    applies: (a) => a.changeFrequency === "frequent" && a.teamProcess === "ticketing",
    message: "Policy is to change with most releases, but changes go through tickets and maintenance windows. Expect a queue.",
  },
];

/** A lead of this many points or fewer is called close. */
export const CLOSE_MARGIN = 2;

type Outcome = {
  architecture: Architecture;
  scores: Record<Architecture, number>;
  ranking: Architecture[];
  margin: number | null;
  ruledOut: { architecture: Architecture }[];
};

export function findWarnings(answers: Answers, outcome: Outcome): Warning[] {
  const warnings: Warning[] = ANSWER_RULES.filter((r) => r.applies(answers)).map(({ code, kind, factors, message }) => ({
    code,
    kind,
    factors: [...factors],
    message,
  }));
  warnings.push(...unmetRequirements(answers, outcome.architecture));

  const chosen = outcome.architecture;
  const name = (a: Architecture) => `${a} (${ARCHITECTURE_NAMES[a]})`;
  const runnerUp = outcome.ranking[1];
  const isRuledOut = (a: Architecture) => outcome.ruledOut.some((r) => r.architecture === a);
  if (outcome.margin === 0 && runnerUp) {
    const tieReason =
      unmetRequirements(answers, chosen).length < unmetRequirements(answers, runnerUp).length
        ? "it leaves fewer of your requirements unmet"
        : "it has fewer parts to run";
    warnings.push({
      code: "tie",
      kind: "close-call",
      factors: [],
      message: `${name(chosen)} and ${name(runnerUp)} score the same. Rampart recommends ${chosen} because ${tieReason}; the changes listed below show which answer would decide it.`,
    });
  } else if (outcome.margin !== null && outcome.margin <= CLOSE_MARGIN && runnerUp) {
    warnings.push({
      code: "close-call",
      kind: "close-call",
      factors: [],
      message: `${name(chosen)} leads ${name(runnerUp)} by only ${outcome.margin} point${outcome.margin === 1 ? "" : "s"}. Review the answers that decide it before committing.`,
    });
  }
  const higher = outcome.ranking.filter((a) => isRuledOut(a) && outcome.scores[a] > outcome.scores[chosen]);
  if (higher.length > 0) {
    warnings.push({
      code: "ruled-out-scored-higher",
      kind: "close-call",
      factors: [],
      message: `${higher.map(name).join(" and ")} scored higher than ${chosen} but cannot work with your workloads (see “ruled out”). Your other answers point away from ${chosen}; check the contradictions above.`,
    });
  }
  return warnings;
}
