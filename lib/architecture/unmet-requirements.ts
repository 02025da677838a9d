import type { Answers, Architecture, FactorId } from "./answers-schema";
import type { Warning } from "./warning";

// Requirements the answers state outright ("we want an edge layer") and the
// architectures that would leave them unmet. The evaluation reports the recommended
// architecture's unmet requirements, and on a tie prefers the one leaving fewer unmet.

type Requirement = { factor: FactorId; applies: (a: Answers) => boolean; unmetBy: Partial<Record<Architecture, string>> };

const REQUIREMENTS: readonly Requirement[] = [
  {
    factor: "perimeterRequired",
    applies: (a) => a.perimeterRequired,
    unmetBy: { B: "You want an edge layer, but B has no gateway. Public TLS, IP and geolocation rules would have to live in every microgateway or elsewhere." },
  },
  {
    factor: "zeroTrust",
    applies: (a) => a.zeroTrust,
    unmetBy: { C: "You want zero trust, but C checks requests only once, at the gateway. Traffic inside the cluster is not checked again." },
  },
  {
    factor: "sharedResponsibility",
    applies: (a) => a.sharedResponsibility,
    unmetBy: { C: "You want teams to maintain part of the security configuration, but in C only security officers edit policy; teams file change requests." },
  },
  {
    factor: "bundleWithApplication",
    applies: (a) => a.bundleWithApplication,
    unmetBy: { C: "You want policy to ship with each application version, but C has one shared gateway configuration for all applications." },
  },
  {
    factor: "classicWorkloads",
    applies: (a) => a.classicWorkloads,
    unmetBy: { B: "You have applications outside Kubernetes, and B cannot protect them." },
  },
  {
    factor: "gitOps",
    applies: (a) => a.gitOps === true,
    unmetBy: { C: "You want GitOps, but a gateway supports it only partly, through scripts against its REST API." },
  },
  {
    factor: "regulatoryPerimeter",
    applies: (a) => a.regulatoryPerimeter === true,
    unmetBy: { B: "A central control point is required, but B enforces access in many microgateways and admission policies." },
  },
];

/** What an architecture leaves unmet of the answers' stated requirements. */
export function unmetRequirements(answers: Answers, architecture: Architecture): Warning[] {
  return REQUIREMENTS.filter((r) => r.applies(answers) && r.unmetBy[architecture]).map((r) => ({
    code: `unmet-${r.factor}`,
    kind: "unmet-requirement" as const,
    factors: [r.factor],
    message: r.unmetBy[architecture]!,
  }));
}
