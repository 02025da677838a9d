import type { Permission } from "@/lib/auth/permissions";
import type { PolicyVersionState } from "./policy-schemas";

// The life of a policy version: draft → submitted → approved | rejected, or back to
// draft when a reviewer requests changes (with a comment); approved → published →
// superseded (when a later version is published). Only a draft's content changes; a
// rejected version stays as a record, and its content can be restored into a new draft.
// This table is the one place the graph is written down: the domain checks
// it, the UI offers what it allows, and lib/policies/transition-policy-version.ts adds
// each transition's rules (the approval queue adds its review rules there).

export const POLICY_TRANSITIONS = {
  submit: { from: ["draft"], to: "submitted", permission: "policies:edit", label: "Submit for review", done: "submitted" },
  approve: { from: ["submitted"], to: "approved", permission: "policies:review", label: "Approve", done: "approved" },
  "request-changes": { from: ["submitted"], to: "draft", permission: "policies:review", label: "Request changes", done: "sent back for changes" },
  reject: { from: ["submitted"], to: "rejected", permission: "policies:review", label: "Reject", done: "rejected" },
  publish: { from: ["approved"], to: "published", permission: "policies:publish", label: "Publish", done: "published" },
} as const satisfies Record<string, { from: readonly PolicyVersionState[]; to: PolicyVersionState; permission: Permission; label: string; done: string }>;

export type PolicyTransition = keyof typeof POLICY_TRANSITIONS;
export const POLICY_TRANSITION_NAMES = Object.keys(POLICY_TRANSITIONS) as PolicyTransition[];

export function canTransition(state: PolicyVersionState, transition: PolicyTransition): boolean {
  return (POLICY_TRANSITIONS[transition].from as readonly PolicyVersionState[]).includes(state);
}

/** The transitions a version in this state can take. */
export function transitionsFrom(state: PolicyVersionState): PolicyTransition[] {
  return POLICY_TRANSITION_NAMES.filter((name) => canTransition(state, name));
}

/** Why a transition is refused in a state, in a sentence. */
export function refusedTransitionMessage(number: number, state: PolicyVersionState, transition: PolicyTransition): string {
  const from = POLICY_TRANSITIONS[transition].from.join(" or ");
  const frozen = state === "draft" ? "" : " Its content is frozen; restore it as a new draft to change it.";
  const article = /^[aeiou]/.test(from) ? "an" : "a";
  return `Version ${number} is ${state}; only ${article} ${from} version can be ${POLICY_TRANSITIONS[transition].done}.${frozen}`;
}
