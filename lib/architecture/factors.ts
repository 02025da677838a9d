import type { Answers, Architecture, AnswerValue, FactorId } from "./answers-schema";
import { FACTOR_IDS } from "./factor-ids";

// The questionnaire as data: every question, its answers, and what each answer does
// to the score of each architecture, with the reason in plain words. The evaluation
// (evaluate-answers.ts), the questionnaire screens and the decision record all read
// this one table, so the advice shown, the advice computed and the advice recorded
// cannot drift apart.
//
// Points are small integers (−3 … +3): +3 means "this answer is a strong reason for
// this architecture", −3 "a strong reason against". `rulesOut` is for what an
// architecture physically cannot do (microgateways only run inside Kubernetes); a
// ruled-out architecture is never recommended, whatever it scores.

export type Effects = Record<Architecture, number>;

export type FactorOption<K extends FactorId = FactorId> = {
  value: NonNullable<Answers[K]>;
  label: string;
  effects: Effects;
  explanation: string;
  rulesOut?: Partial<Record<Architecture, string>>;
};

export type Factor<K extends FactorId = FactorId> = {
  id: K;
  required: boolean;
  /** The screen the question appears on. */
  topic: Topic;
  /** A short name for lists and tables ("Zero trust"). */
  title: string;
  question: string;
  help: string;
  options: readonly FactorOption<K>[];
};

export const TOPICS = [
  { id: "workloads", title: "Your workloads", intro: "What Rampart has to protect, and where it runs." },
  { id: "security", title: "Your security model", intro: "Where requests should be checked, and what must sit at the edge." },
  { id: "ownership", title: "Who maintains security", intro: "Who writes and changes policy, and how your teams work." },
  { id: "delivery", title: "How you release", intro: "How often policy changes, and whether it ships with the application." },
] as const;
export type Topic = (typeof TOPICS)[number]["id"];

const NO_EFFECT: Effects = { A: 0, B: 0, C: 0 };

export const FACTORS: { [K in FactorId]: Factor<K> } = {
  classicWorkloads: {
    id: "classicWorkloads",
    required: true,
    topic: "workloads",
    title: "Classic workloads",
    question: "Do applications outside Kubernetes need protection?",
    help: "Classic workloads are applications on virtual machines, physical servers or platforms other than Kubernetes.",
    options: [
      {
        value: true,
        label: "Yes, some applications run outside Kubernetes",
        effects: { A: 2, B: -3, C: 2 },
        explanation:
          "Applications outside Kubernetes can only be protected by a gateway in front of them. A and C have one; B has none, so it cannot protect them.",
        rulesOut: { B: "B has no gateway, and microgateways only run inside Kubernetes: your classic applications would be left unprotected." },
      },
      {
        value: false,
        label: "No, everything to protect runs in Kubernetes",
        effects: { A: 0, B: 2, C: -1 },
        explanation:
          "Everything to protect runs in Kubernetes, so no gateway is needed just to reach classic applications. This favours B; C loses one of its main reasons.",
      },
    ],
  },
  kubernetesWorkloads: {
    id: "kubernetesWorkloads",
    required: true,
    topic: "workloads",
    title: "Kubernetes workloads",
    question: "How many of the applications to protect run in Kubernetes?",
    help: "Microgateways run as a container next to each application inside Kubernetes, so this decides where they can be used at all.",
    options: [
      {
        value: "none",
        label: "None",
        effects: { A: -3, B: -3, C: 3 },
        explanation:
          "Microgateways run inside Kubernetes. With no Kubernetes workloads there is nothing for them to protect, so A and B are ruled out and C remains.",
        rulesOut: {
          A: "A needs Kubernetes for its microgateways; without Kubernetes workloads it is C with an extra part.",
          B: "B consists only of microgateways, which need Kubernetes workloads to protect.",
        },
      },
      {
        value: "some",
        label: "Some of them",
        effects: { A: 2, B: 0, C: 1 },
        explanation:
          "A mixed estate: microgateways can protect the Kubernetes part while a gateway covers everything. A fits this best; C also works by treating the cluster as one more backend behind the gateway.",
      },
      {
        value: "most",
        label: "Most or all of them",
        effects: { A: 1, B: 2, C: -1 },
        explanation:
          "Most applications run in Kubernetes, where a microgateway can sit next to each one. B and A make use of that; C only protects the cluster from the outside.",
      },
    ],
  },
  kubernetesKnowHow: {
    id: "kubernetesKnowHow",
    required: true,
    topic: "workloads",
    title: "Kubernetes know-how",
    question: "How much Kubernetes know-how do the teams that would run it have?",
    help: "Microgateways are configured through Kubernetes resources. In B, the baseline is also enforced with Kubernetes admission policies and access rules.",
    options: [
      {
        value: "low",
        label: "Low: we are starting out",
        effects: { A: -2, B: -3, C: 2 },
        explanation:
          "With little Kubernetes know-how, a gateway managed through a web interface and a REST API (C) is the safe choice. A still needs microgateways in the cluster; B is the riskiest, because even the baseline depends on cluster configuration.",
      },
      {
        value: "medium",
        label: "Medium: we run our own workloads on it",
        effects: { A: 1, B: 0, C: 1 },
        explanation:
          "Enough to run microgateways from templates while the security team keeps the baseline on the gateway (A). Enforcing the baseline inside the cluster (B) asks for more.",
      },
      {
        value: "high",
        label: "High: we operate clusters, admission policies and access rules",
        effects: { A: 1, B: 2, C: 0 },
        explanation: "The teams can operate admission policies and access rules on custom resources, which B needs to enforce the baseline without a gateway.",
      },
    ],
  },
  perimeterRequired: {
    id: "perimeterRequired",
    required: true,
    topic: "security",
    title: "Edge layer",
    question: "Do you want an edge layer in front of all applications?",
    help: "One place for public TLS certificates, IP and geolocation rules, and threat-intelligence feeds, before traffic reaches any application.",
    options: [
      {
        value: true,
        label: "Yes, we want one edge layer",
        effects: { A: 3, B: -3, C: 3 },
        explanation: "A gateway is that edge layer. A and C provide it; B has no edge layer, so the requirement would go unmet.",
      },
      {
        value: false,
        label: "No, we do not need one",
        effects: { A: -1, B: 2, C: -1 },
        explanation: "No edge layer is wanted, so a gateway would be an extra component to run for little gain. This favours B.",
      },
    ],
  },
  zeroTrust: {
    id: "zeroTrust",
    required: true,
    topic: "security",
    title: "Zero trust",
    question: "Must every service check every request, even inside the cluster (zero trust)?",
    help: "With zero trust, passing the edge grants nothing: each application checks again that the caller is authorised.",
    options: [
      {
        value: true,
        label: "Yes, every service checks every request",
        effects: { A: 3, B: 3, C: -3 },
        explanation:
          "Microgateways check requests in front of every application (A and B). A gateway checks only once at the edge, so C cannot deliver zero trust.",
      },
      {
        value: false,
        label: "No, checking at the edge is enough",
        effects: { A: -1, B: -1, C: 2 },
        explanation:
          "Checking requests once at the edge is enough. C does exactly that; the per-service checks of A and B are effort without a requirement behind it.",
      },
    ],
  },
  sharedResponsibility: {
    id: "sharedResponsibility",
    required: true,
    topic: "ownership",
    title: "Shared responsibility",
    question: "Will project teams and developers maintain part of the security configuration?",
    help: "Shared responsibility (DevSecOps): the security team sets the baseline, and the teams that build an application maintain its fine-grained rules.",
    options: [
      {
        value: true,
        label: "Yes, teams maintain their applications' rules",
        effects: { A: 2, B: 2, C: -3 },
        explanation:
          "Shared maintenance needs policy that lives with each application, as in A and B. In C, only the security team edits policy and everyone else files change requests.",
      },
      {
        value: false,
        label: "No, the security team maintains all policy",
        effects: { A: -1, B: -2, C: 2 },
        explanation:
          "C is built for one security team that writes every policy. In A and B every application's microgateway needs policy work, and all of it would land on the security team (in B, the baseline too).",
      },
    ],
  },
  changeFrequency: {
    id: "changeFrequency",
    required: true,
    topic: "delivery",
    title: "Change frequency",
    question: "How often does security policy need to change?",
    help: "Think of new endpoints, changed roles, new rate limits: how often would someone have to touch the rules?",
    options: [
      {
        value: "frequent",
        label: "Frequently: with most releases",
        effects: { A: 1, B: 2, C: -2 },
        explanation:
          "Frequent changes suit microgateways, which are released together with the application. Gateway changes usually go through tickets and maintenance windows, which slows frequent changes down.",
      },
      {
        value: "moderate",
        label: "Moderately: a few times a quarter",
        effects: NO_EFFECT,
        explanation: "Moderate change suits a gateway and microgateways alike; this answer moves no score.",
      },
      {
        value: "infrequent",
        label: "Rarely",
        effects: { A: 0, B: -1, C: 2 },
        explanation: "Rare changes fit the gateway's rhythm of tickets and maintenance windows. Shipping policy with every release (B) brings little benefit.",
      },
    ],
  },
  bundleWithApplication: {
    id: "bundleWithApplication",
    required: true,
    topic: "delivery",
    title: "Policy ships with the application",
    question: "Must security policy ship with each version of an application?",
    help: "For short life cycles: the policy is versioned, tested and deployed together with the application it protects.",
    options: [
      {
        value: true,
        label: "Yes, policy is part of each application version",
        effects: { A: 2, B: 3, C: -3 },
        explanation:
          "Only a microgateway can ship its policy with each application version. A gateway has one shared configuration and one version for all applications.",
      },
      {
        value: false,
        label: "No, policy can be managed separately",
        effects: { A: 0, B: -1, C: 1 },
        explanation: "Policy does not have to ship with the application, so one shared gateway configuration is acceptable.",
      },
    ],
  },
  securityKnowHow: {
    id: "securityKnowHow",
    required: false,
    topic: "ownership",
    title: "Security know-how",
    question: "Where does security know-how sit today?",
    help: "Optional. Microgateways with shared responsibility work when teams can be enabled through templates, guidelines and training.",
    options: [
      {
        value: "centralised",
        label: "With one security team",
        effects: { A: 0, B: -2, C: 2 },
        explanation: "Security know-how sits with one team. C keeps all policy there; B would need it in every team that runs a microgateway.",
      },
      {
        value: "spread",
        label: "Spread across the teams",
        effects: { A: 1, B: 2, C: -1 },
        explanation:
          "Teams already have security know-how of their own, which microgateways with shared responsibility (B, and A's fine-grained part) rely on.",
      },
    ],
  },
  teamProcess: {
    id: "teamProcess",
    required: false,
    topic: "ownership",
    title: "Team process",
    question: "How do changes to infrastructure reach production today?",
    help: "Optional. Ticketing means requests to another team and planned maintenance windows; DevSecOps means the team changes and deploys itself, with security checks early in the pipeline.",
    options: [
      {
        value: "ticketing",
        label: "Tickets and maintenance windows",
        effects: { A: 0, B: -2, C: 2 },
        explanation: "A ticket-based process matches how a gateway is run by one team (C). B assumes teams deploy their own policy.",
      },
      {
        value: "devsecops",
        label: "DevSecOps: teams change and deploy themselves",
        effects: { A: 1, B: 2, C: -2 },
        explanation:
          "Teams that deploy themselves can own their microgateways (B, and A's fine-grained part); routing every change through a central team (C) would slow them down.",
      },
    ],
  },
  gitOps: {
    id: "gitOps",
    required: false,
    topic: "delivery",
    title: "GitOps",
    question: "Must all configuration, including security policy, be managed through Git (GitOps)?",
    help: "Optional. Microgateways are configured with Kubernetes resources and fit GitOps fully; a gateway only partly, through scripts against its REST API.",
    options: [
      {
        value: true,
        label: "Yes, everything through Git",
        effects: { A: 0, B: 2, C: -1 },
        explanation: "Microgateways fit GitOps fully; the gateway in A and C only partly, through scripts against its REST API.",
      },
      {
        value: false,
        label: "No",
        effects: NO_EFFECT,
        explanation: "GitOps is not required; this answer moves no score.",
      },
    ],
  },
  regulatoryPerimeter: {
    id: "regulatoryPerimeter",
    required: false,
    topic: "security",
    title: "Central control point",
    question: "Does a regulator or auditor require one central point where access is enforced?",
    help: "Optional. Some regulations ask for a single, centrally controlled enforcement point that can be inspected.",
    options: [
      {
        value: true,
        label: "Yes",
        effects: { A: 2, B: -2, C: 2 },
        explanation:
          "A gateway is one central, restricted enforcement point that auditors can inspect (A and C). In B, enforcement is spread over the cluster's admission policies.",
      },
      {
        value: false,
        label: "No",
        effects: NO_EFFECT,
        explanation: "No central control point is required; this answer moves no score.",
      },
    ],
  },
};

/** The questionnaire's order: required factors first within each topic. */
export const FACTOR_ORDER: readonly FactorId[] = FACTOR_IDS;

export function factorOf(id: FactorId): Factor {
  return FACTORS[id] as unknown as Factor;
}

export function optionOf(id: FactorId, value: AnswerValue | string | boolean): FactorOption | undefined {
  return factorOf(id).options.find((o) => o.value === value);
}

/** The label of an answer as the questionnaire shows it. */
export function answerLabel(id: FactorId, value: AnswerValue | string | boolean | null | undefined): string {
  if (value === undefined || value === null) return "Not answered";
  return optionOf(id, value)?.label ?? String(value);
}

export function factorsOfTopic(topic: Topic): Factor[] {
  return FACTOR_ORDER.map(factorOf).filter((f) => f.topic === topic);
}
