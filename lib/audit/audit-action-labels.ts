// The audit trail's actions in words, for people reading the Audit page or its CSV. The
// action keys stay the stable, filterable vocabulary; this only says what each one means.
// Pure: the page, the CSV export and the search use it alike.

const LABELS: Record<string, string> = {
  "application.create": "Register an application",
  "application.update": "Change an application",
  "application.archive": "Archive an application",
  "architecture-decision.propose": "Propose an architecture decision",
  "architecture-decision.accept": "Accept an architecture decision",
  "architecture-decision.supersede": "Supersede an architecture decision",
  "auth.login": "Sign in",
  "auth.logout": "Sign out",
  "delivery.git.export": "Export policy to Git",
  "delivery.kubernetes.apply": "Apply policy to a cluster",
  "delivery.kubernetes.drift-check": "Check a cluster for drift",
  "delivery.kubernetes.plan": "Plan delivery to a cluster",
  "delivery.kubernetes.reapply": "Re-apply policy to a cluster",
  "delivery.target.create": "Register a delivery target",
  "delivery.target.update": "Change a delivery target",
  "delivery.target.revoke": "Revoke a delivery target",
  "delivery.target.rotate-token": "Rotate a delivery target's token",
  "delivery.target.remove-instance": "Remove a stale proxy instance",
  "membership.add": "Add a team member",
  "membership.remove": "Remove a team member",
  "policy.change-request.create": "Request a policy change",
  "policy.change-request.approve": "Approve a policy change request",
  "policy.change-request.reject": "Reject a policy change request",
  "policy.create": "Create a policy",
  "policy.draft.create": "Start a policy draft",
  "policy.draft.update": "Edit a policy draft",
  "policy.exception.expiry-notice": "Warn of an expiring exception",
  "policy.version.submit": "Submit a policy version for review",
  "policy.version.approve": "Approve a policy version",
  "policy.version.reject": "Reject a policy version",
  "policy.version.request-changes": "Request changes to a policy version",
  "policy.version.publish": "Publish a policy version",
  "policy.version.rollback": "Roll a policy back",
  "policy.version.comment": "Comment on a policy version",
  "risk-acceptance.create": "Accept a risk",
  "risk-acceptance.revoke": "Revoke a risk acceptance",
  "team.create": "Create a team",
  "team.update": "Change a team",
  "team.webhook-secret.rotate": "Rotate a team's webhook secret",
  "token.create": "Create an API token",
  "token.revoke": "Revoke an API token",
  "user.create": "Create a user",
  "user.update": "Change a user",
  "user.disable": "Disable a user",
  "user.enable": "Enable a user",
  "user.change-password": "Change a password",
  "user.reset-password": "Reset a user's password",
};

/** "approvePolicyVersion" → "approve policy version". */
function words(operationId: string): string {
  return operationId.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

/**
 * What an action is, in words ("Approve a policy version"); the outcome column says
 * whether it happened. Refusals the API layer records name the operation tried.
 */
export function auditActionLabel(action: string): string {
  if (action.startsWith("api.")) {
    const tried = words(action.slice(4));
    return tried.charAt(0).toUpperCase() + tried.slice(1);
  }
  return LABELS[action] ?? action;
}

/** The actions whose label mentions `text`: a search for "approve" finds `policy.version.approve`. */
export function actionsLabelled(text: string): string[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [];
  return Object.entries(LABELS)
    .filter(([, label]) => label.toLowerCase().includes(needle))
    .map(([action]) => action);
}
