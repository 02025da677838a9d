import { AppError, type ErrorCode, type FieldError } from "@/lib/errors/app-error";
import type { ClusterErrorInfo } from "@/lib/kubernetes/cluster/cluster-error";
import { describeObject, type ObjectLabel } from "@/lib/kubernetes/cluster/cluster-error";

// A cluster's answer → the portal's one error type. None of these is the caller's own
// authentication or authorization (a 401 from the cluster is the *target's* expired
// credentials, not the user's session), so none maps to 401/403: those would send the
// browser to the sign-in page or be audited as a denied request.
const CODES: Record<string, ErrorCode> = {
  "invalid-kubeconfig": "VALIDATION_FAILED",
  "egress-refused": "CONFLICT",
  unreachable: "SERVICE_UNAVAILABLE",
  tls: "SERVICE_UNAVAILABLE",
  transient: "SERVICE_UNAVAILABLE",
  unauthorized: "CONFLICT",
  forbidden: "CONFLICT",
  "missing-kind": "CONFLICT",
  "not-found": "CONFLICT",
  conflict: "CONFLICT",
  invalid: "VALIDATION_FAILED",
  "policy-rejected": "CONFLICT",
  rejected: "CONFLICT",
};

const ADVICE: Record<string, string> = {
  "invalid-kubeconfig": "Update the target with a working kubeconfig.",
  "egress-refused": "Point the kubeconfig at an address outside the portal's own network, or have the operator allow it (RAMPART_EGRESS_ALLOW).",
  unreachable: "Check that the cluster is up and reachable from the portal, then try again.",
  tls: "Check the certificate authority in the target's kubeconfig.",
  transient: "The cluster is busy or failing; try again shortly.",
  unauthorized: "Update the target's kubeconfig with valid credentials.",
  forbidden: "Grant Rampart's credentials access to the namespace (see the RBAC suggestions), or change the target's namespaces.",
  "missing-kind": "Install the CustomResourceDefinition (or the admission controller) the resource needs, or stop rendering that format.",
  conflict: "Another field manager owns fields Rampart sets; check drift and re-apply (force) to take them back.",
  "not-found": "Create the namespaces the target names (Rampart does not create namespaces), or change the target's namespaces.",
  invalid: "The cluster refused the rendered resource.",
  "policy-rejected":
    "An admission policy of the cluster (Kyverno, Gatekeeper) refused the resource, for the reason it gives: publish policy that meets it, or have the cluster's policy changed.",
  rejected: "",
};

/** Which resource failed, as `ref`, and its index among the resources sent (for field paths). */
export function clusterFailure(error: ClusterErrorInfo, context: { ref?: ObjectLabel; index?: number; action: string; failures?: unknown }): AppError {
  const code = CODES[error.kind] ?? "CONFLICT";
  const fieldErrors: FieldError[] =
    error.kind === "invalid-kubeconfig"
      ? [{ path: "kubeconfig", message: error.message }]
      : error.kind === "invalid"
        ? (error.causes.length > 0 ? error.causes : [{ field: null, message: error.message }]).map((cause) => ({
            path: ["resources", context.index ?? 0, ...(cause.field ? [cause.field] : [])].join("."),
            message: `${context.ref ? `${describeObject(context.ref)}: ` : ""}${cause.message}`,
          }))
        : [];
  const advice = ADVICE[error.kind];
  return new AppError(code, `${context.action} failed: ${error.message}.${advice ? ` ${advice}` : ""}`, {
    fieldErrors,
    details: {
      reason: `cluster-${error.kind}`,
      clusterStatus: error.status,
      ...(context.ref ? { resource: context.ref } : {}),
      ...(context.failures ? { failures: context.failures } : {}),
    },
  });
}
