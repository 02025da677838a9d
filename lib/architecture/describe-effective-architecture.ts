import type { Architecture } from "./answers-schema";
import { ARCHITECTURE_PROFILES, type ArchitectureProfile, type DeliveryTarget } from "./architecture-profiles";

// What an accepted architecture means for one application: where its baseline is
// enforced, who edits which policy, and where its policy must be delivered. Later
// parts of Rampart (policy editing rights, delivery) read this instead of branching
// on A/B/C themselves.

export type ArchitectureConsequences = {
  architecture: Architecture | null;
  baselineEnforcement: ArchitectureProfile["baselineEnforcement"] | null;
  editing: ArchitectureProfile["editing"];
  deliveryTargets: DeliveryTarget[];
};

// Without an accepted decision the policy model's default applies (issue: "without one:
// baseline by security officers, fine-grained by the owning team's project lead and
// developers"), with the security team approving every change. Delivery stays empty:
// nobody has decided where the policy runs, so nothing is delivered until someone does.
const UNDECIDED_EDITING: ArchitectureProfile["editing"] = {
  baseline: ["security-officer"],
  fineGrained: ["project-lead", "developer"],
  fineGrainedApprovedBy: ["security-officer"],
  // Without a decision nobody has agreed to share publishing: the security team publishes.
  fineGrainedPublishedBy: ["security-officer"],
  changeRequests: false,
  summary:
    "No architecture has been accepted yet: security officers edit the baseline, the owning team's project lead and developers edit its application policy, and the security team approves. Accepting a decision record can change this.",
};

export function describeEffectiveArchitecture(architecture: Architecture | null): ArchitectureConsequences {
  if (!architecture) return { architecture: null, baselineEnforcement: null, editing: UNDECIDED_EDITING, deliveryTargets: [] };
  const profile = ARCHITECTURE_PROFILES[architecture];
  return {
    architecture,
    baselineEnforcement: profile.baselineEnforcement,
    editing: profile.editing,
    deliveryTargets: profile.deliveryTargets,
  };
}
