import type { Architecture } from "./answers-schema";

// What each architecture is and what choosing it means for the rest of Rampart.
// Pure data: the result page, the decision record, its Markdown export and
// get-effective-architecture.ts all read it.

export type Component = "gateway" | "microgateway";
/** Where policy is delivered: the gateway, each application's microgateway, or the cluster itself (admission policies, access rules). */
export type DeliveryTarget = "gateway" | "microgateway" | "cluster";
export type PolicyEditor = "security-officer" | "project-lead" | "developer";

export type ArchitectureProfile = {
  architecture: Architecture;
  summary: string;
  components: Component[];
  fitsWhen: string[];
  /** Where the baseline (organisation-wide) policy is enforced. */
  baselineEnforcement: { where: "gateway" | "microgateways"; how: string };
  /** Where the fine-grained (per-application) policy runs. */
  fineGrainedAt: Component;
  editing: {
    baseline: PolicyEditor[];
    fineGrained: PolicyEditor[];
    /** Who approves fine-grained changes made by others; empty when the editors are the approvers. */
    fineGrainedApprovedBy: PolicyEditor[];
    /** Who may publish an approved fine-grained version (the security team always may). */
    fineGrainedPublishedBy: PolicyEditor[];
    /** Whether project teams file change requests instead of editing. */
    changeRequests: boolean;
    summary: string;
  };
  deliveryTargets: DeliveryTarget[];
  consequences: string[];
};

export const ARCHITECTURE_PROFILES: Record<Architecture, ArchitectureProfile> = {
  A: {
    architecture: "A",
    summary:
      "A gateway forms the perimeter in front of every workload, classic and Kubernetes. Inside the cluster, each application has its own microgateway. The baseline sits at the gateway, where only the security team can change it; fine-grained rules sit in each microgateway, ship with the application and are maintained together by the security team and the project team. A request that passed the gateway is still checked again by the application's microgateway (zero trust).",
    components: ["gateway", "microgateway"],
    fitsWhen: [
      "a mix of classic and Kubernetes workloads",
      "an edge layer and zero trust are both wanted",
      "security work is shared between the security team and project teams",
    ],
    baselineEnforcement: {
      where: "gateway",
      how: "at the gateway, which only security officers can change",
    },
    fineGrainedAt: "microgateway",
    editing: {
      baseline: ["security-officer"],
      fineGrained: ["project-lead", "developer"],
      fineGrainedApprovedBy: ["security-officer"],
      fineGrainedPublishedBy: ["security-officer", "project-lead"],
      changeRequests: false,
      summary:
        "Security officers edit the baseline. Project leads and developers edit their applications' fine-grained policy; a security officer approves each change.",
    },
    deliveryTargets: ["gateway", "microgateway"],
    consequences: [
      "Two components to run: the gateway (run by the security team) and one microgateway per Kubernetes application.",
      "The baseline is enforced at the gateway; only security officers can change it, so it cannot be weakened by an application team.",
      "Project teams maintain their applications' fine-grained policy, which ships with each application version; security officers approve the changes.",
      "Requests are checked twice: at the edge and again in front of each service.",
      "Classic applications are protected by the gateway only; they get no microgateway.",
    ],
  },
  B: {
    architecture: "B",
    summary:
      "Only Kubernetes workloads, protected by one microgateway per application and no gateway in front. Baseline and fine-grained rules both live in the microgateways and ship with each application. The baseline is kept in force by the cluster itself: admission policies refuse workloads whose microgateway does not carry it, and access rules on the policy resources keep teams from editing it.",
    components: ["microgateway"],
    fitsWhen: [
      "everything to protect runs in Kubernetes",
      "no edge layer is needed",
      "zero trust, short release cycles and policy shipped with each application",
      "teams with strong Kubernetes know-how",
    ],
    baselineEnforcement: {
      where: "microgateways",
      how: "in every microgateway, kept in force by admission policies and access rules in the cluster that Rampart generates",
    },
    fineGrainedAt: "microgateway",
    editing: {
      baseline: ["security-officer"],
      fineGrained: ["project-lead", "developer"],
      fineGrainedApprovedBy: ["security-officer"],
      fineGrainedPublishedBy: ["security-officer", "project-lead"],
      changeRequests: false,
      summary:
        "Security officers edit the baseline, which Rampart turns into admission policies. Project leads and developers edit their applications' fine-grained policy; a security officer approves each change.",
    },
    deliveryTargets: ["microgateway", "cluster"],
    consequences: [
      "One component to run: a microgateway per application, inside Kubernetes. There is no edge layer.",
      "The baseline travels in every microgateway; admission policies and access rules in the cluster make sure it is present and unchanged.",
      "Project teams maintain their applications' fine-grained policy, which ships with each application version; security officers approve the changes.",
      "Every service checks every request (zero trust).",
      "Applications outside Kubernetes cannot be protected.",
    ],
  },
  C: {
    architecture: "C",
    summary:
      "One gateway in front of all applications and no microgateways. One security team writes and maintains every policy, baseline and fine-grained, through the gateway's interface and API. Requests are checked once, at the edge; there is no zero trust inside the network.",
    components: ["gateway"],
    fitsWhen: [
      "little or no Kubernetes workload or know-how",
      "classic workloads to protect",
      "one security team maintains all policy",
      "no need for zero trust",
    ],
    baselineEnforcement: {
      where: "gateway",
      how: "at the gateway, which only security officers can change",
    },
    fineGrainedAt: "gateway",
    editing: {
      baseline: ["security-officer"],
      fineGrained: ["security-officer"],
      fineGrainedApprovedBy: [],
      fineGrainedPublishedBy: ["security-officer"],
      changeRequests: true,
      summary: "Only security officers edit policy, baseline and fine-grained. Project teams file change requests.",
    },
    deliveryTargets: ["gateway"],
    consequences: [
      "One component to run: the gateway, operated by the security team.",
      "Only security officers edit policy; project teams ask for changes through change requests.",
      "All applications share one gateway configuration and version; policy does not ship with the application.",
      "Requests are checked once, at the edge. Traffic between services is not checked.",
    ],
  },
};

export const DELIVERY_TARGET_LABELS: Record<DeliveryTarget, string> = {
  gateway: "Gateway",
  microgateway: "Microgateway (one per application)",
  cluster: "Cluster (admission policies and access rules)",
};

export const EDITOR_LABELS: Record<PolicyEditor, string> = {
  "security-officer": "Security officers",
  "project-lead": "Project leads",
  developer: "Developers",
};

/** The side-by-side comparison of the two components. */
export const CHARACTERISTICS: readonly { aspect: string; gateway: string; microgateway: string }[] = [
  { aspect: "Form", gateway: "A hardened appliance", microgateway: "A container per application, with restricted images and permissions" },
  {
    aspect: "High availability",
    gateway: "Built in: load balancing, failover, self-healing",
    microgateway: "Kubernetes' own: replicas, readiness and liveness probes",
  },
  { aspect: "Configuration", gateway: "Web interface and REST API", microgateway: "Kubernetes custom resources, with any Kubernetes tooling" },
  { aspect: "GitOps", gateway: "Partly, through scripts against the REST API", microgateway: "Fully" },
  { aspect: "Security model", gateway: "Perimeter: checks once, at the edge", microgateway: "Zero trust: checks in front of every service" },
  { aspect: "Change frequency it suits", gateway: "Moderate to rare", microgateway: "Any, including frequent" },
  { aspect: "Version", gateway: "One shared version for all applications", microgateway: "Each application picks its own" },
  { aspect: "Ships with the application", gateway: "No", microgateway: "Yes" },
  { aspect: "Maintained by", gateway: "The security team", microgateway: "Security team, project team and developers together" },
  {
    aspect: "Keeping the baseline in force",
    gateway: "Only the security team has access to the gateway",
    microgateway: "Admission policies and access rules on the custom resources",
  },
  {
    aspect: "Security know-how",
    gateway: "Centralised in the security team",
    microgateway: "Spread across teams, enabled by templates, guidelines and training",
  },
  { aspect: "Process", gateway: "Tickets and maintenance windows", microgateway: "DevSecOps: security checks early, in each team's pipeline" },
];

export type PolicyLayer = "baseline" | "fine-grained";

/**
 * Which settings belong to the baseline (the same for every application, owned by the
 * security team) and which are fine-grained (per application). `section` names the
 * section of the policy documents in lib/policy-spec.
 */
export const POLICY_SPLIT: readonly { setting: string; section: string; layer: PolicyLayer; why: string }[] = [
  { setting: "Public TLS: certificates, protocol versions, ciphers", section: "tls", layer: "baseline", why: "One standard for every public endpoint." },
  {
    setting: "IP allow and deny lists",
    section: "ipAllow",
    layer: "baseline",
    why: "Known-bad networks are blocked for everyone; applications may only narrow further.",
  },
  { setting: "Geolocation rules", section: "geolocation", layer: "baseline", why: "Country rules follow from company policy, not from one application." },
  { setting: "Threat-intelligence feeds", section: "threatIntel", layer: "baseline", why: "One subscription protects every application." },
  {
    setting: "Attack signatures and virtual patches",
    section: "denyRules, virtualPatches",
    layer: "baseline",
    why: "Injection, Log4Shell and similar are blocked everywhere at once.",
  },
  { setting: "Blocking of admin paths", section: "adminBlocking", layer: "baseline", why: "Management interfaces never face the outside by accident." },
  { setting: "Security headers", section: "securityHeaders", layer: "baseline", why: "The same browser protections on every response." },
  {
    setting: "Allowed HTTP methods and request size limits",
    section: "methods, limits",
    layer: "baseline",
    why: "Sane defaults; an application may only tighten them.",
  },
  { setting: "Identity provider and sign-in", section: "authentication", layer: "baseline", why: "One way to authenticate across the organisation." },
  {
    setting: "Which exceptions may be granted",
    section: "exceptionPolicy",
    layer: "baseline",
    why: "The security team decides how far an application may deviate.",
  },
  {
    setting: "API description: which paths, methods and parameters exist",
    section: "openapi",
    layer: "fine-grained",
    why: "Only the team that builds the application knows its API.",
  },
  {
    setting: "Routes and who may call them",
    section: "allow, tokenVerification",
    layer: "fine-grained",
    why: "Authorisation per endpoint changes with the application's features.",
  },
  { setting: "Rate limits per endpoint", section: "rateLimits", layer: "fine-grained", why: "Depends on what each endpoint costs." },
  { setting: "CORS", section: "cors", layer: "fine-grained", why: "Which web front ends may call this application." },
  { setting: "TLS to the application's own backend", section: "upstreamTls", layer: "fine-grained", why: "Depends on how the application is deployed." },
  {
    setting: "Approved exceptions to the baseline",
    section: "exceptions",
    layer: "fine-grained",
    why: "A documented, approved deviation for one application only.",
  },
];

/** Where each layer of policy lives under an architecture. */
export function whereLayerLives(architecture: Architecture, layer: PolicyLayer): string {
  const profile = ARCHITECTURE_PROFILES[architecture];
  if (layer === "baseline") return profile.baselineEnforcement.where === "gateway" ? "Gateway" : "Every microgateway, kept in force by the cluster";
  return profile.fineGrainedAt === "gateway" ? "Gateway" : "The application's microgateway";
}
