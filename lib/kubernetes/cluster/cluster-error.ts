// What went wrong talking to a cluster, in the words an operator acts on:
// every failure from @kubernetes/client-node (ApiException with a Status
// body, discovery misses, undici network errors) becomes one ClusterError
// with a kind, the HTTP status and, for 409/422, the server's causes with
// their field paths. An admission webhook's denial (Kyverno answers 400,
// Gatekeeper 403) is a policy rejection with the webhook's message, never an
// RBAC refusal; a field the cluster's schema does not declare (server-side
// apply answers 500 for it) is an invalid resource, never worth a retry.

import { outboundRefusalOf } from "@/lib/outbound/outbound-refused";

export type ClusterErrorKind =
  | "invalid-kubeconfig"
  /** The outbound guard refused the API server's address or a redirect (lib/outbound). */
  | "egress-refused"
  | "unreachable"
  | "tls"
  | "unauthorized"
  | "forbidden"
  | "missing-kind"
  | "not-found"
  | "invalid"
  | "conflict"
  | "policy-rejected"
  | "transient"
  | "rejected";

export interface ClusterErrorCause {
  field: string | null;
  reason: string | null;
  message: string;
}

/** The plain form carried in results (and stored or shown by the portal). */
export interface ClusterErrorInfo {
  kind: ClusterErrorKind;
  status: number | null;
  message: string;
  causes: ClusterErrorCause[];
}

export class ClusterError extends Error {
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly causes: ClusterErrorCause[] = [],
    /** Seconds the server asked us to wait (429/503 Retry-After). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "ClusterError";
  }

  /** Worth retrying with backoff: the server or the path to it failed, not the request. */
  get transient(): boolean {
    return this.kind === "transient" || (this.kind === "unreachable" && this.status === null);
  }

  toInfo(): ClusterErrorInfo {
    return { kind: this.kind, status: this.status, message: this.message, causes: this.causes };
  }
}

const TRANSIENT_NETWORK = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|DEPTH_ZERO/;

export interface ObjectLabel {
  kind: string;
  apiVersion: string;
  namespace: string | null;
  name: string;
}

export const describeObject = (ref: ObjectLabel) => `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;

/** Classifies anything client-node throws; `ref` names the object in messages, `server` the cluster. */
export function classifyKubeError(error: unknown, context: { ref?: ObjectLabel; server?: string } = {}): ClusterError {
  if (error instanceof ClusterError) return error;
  const what = context.ref ? describeObject(context.ref) : "the request";
  const where = context.server ?? "the cluster";
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);

  if (typeof code === "number" && code >= 100) {
    const body = parseBody((error as { body?: unknown }).body);
    const headers = ((error as { headers?: Record<string, string> }).headers ?? {}) as Record<string, string>;
    // The Status's message, or the status code alone: never the text of another kind of answer.
    const serverMessage = typeof body?.message === "string" ? body.message : `HTTP ${code}`;
    const causes = causesOf(body);
    const retryAfter = Number(headers["retry-after"] ?? (body?.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds ?? NaN);
    const discovery = message.startsWith("Failed to fetch resource metadata");
    const admission = /^admission webhook "([^"]+)" denied the request:?\s*([\s\S]*)$/.exec(serverMessage);
    if (admission && code >= 400 && code < 500) {
      return new ClusterError(
        "policy-rejected",
        `${what} was refused by the cluster's admission policy (webhook ${admission[1]}, ${code}): ${admission[2]!.trim().replace(/\s*\n\s*/g, " ")}`,
        code,
        causes,
      );
    }
    const undeclared = /^failed to create typed patch object \([^)]*\): (\.[^:]+): field not declared in schema/.exec(serverMessage);
    if (undeclared && code === 500) {
      const field = undeclared[1]!.slice(1);
      return new ClusterError(
        "invalid",
        `${what} is invalid: the cluster's schema does not declare ${field} (an older version of its CustomResourceDefinition?)`,
        code,
        [{ field, reason: "FieldValueNotDeclared", message: "field not declared in schema" }],
      );
    }
    if (code === 401) return new ClusterError("unauthorized", `${where} refused the credentials (401 Unauthorized): the token is invalid or has expired`, 401);
    if (code === 403) return new ClusterError("forbidden", `not allowed (403 Forbidden): ${serverMessage}`, 403);
    if (code === 404 && discovery && context.ref) {
      return new ClusterError(
        "missing-kind",
        `${where} does not serve ${context.ref.apiVersion} (${context.ref.kind}): install its CustomResourceDefinition first`,
        404,
      );
    }
    if (code === 404) return new ClusterError("not-found", `${what} was not found (404): ${serverMessage}`, 404);
    if (code === 409) {
      const conflicts = causes.filter((c) => c.reason === "FieldManagerConflict");
      return new ClusterError(
        "conflict",
        conflicts.length > 0
          ? `${what}: fields owned by another manager would change (${conflicts.map((c) => `${c.field} owned by ${c.message.replace(/^conflict with /, "")}`).join("; ")}); re-apply with force to take them over`
          : `${what}: ${serverMessage} (409 Conflict)`,
        409,
        causes,
      );
    }
    if (code === 422) return new ClusterError("invalid", `${what} is invalid (422): ${serverMessage}`, 422, causes);
    if (code === 429 || code >= 500) {
      return new ClusterError(
        "transient",
        `${where} answered ${code}${serverMessage ? `: ${serverMessage}` : ""}`,
        code,
        causes,
        Number.isFinite(retryAfter) ? retryAfter : null,
      );
    }
    return new ClusterError("rejected", `${what} was rejected (${code}): ${serverMessage}`, code, causes);
  }

  if (/^Unrecognized API version and kind/.test(message) && context.ref) {
    return new ClusterError(
      "missing-kind",
      `${where} does not know kind ${context.ref.kind} in ${context.ref.apiVersion}: install its CustomResourceDefinition first`,
      404,
    );
  }
  const refused = outboundRefusalOf(error);
  if (refused?.reason === "timeout") return new ClusterError("unreachable", `${where} did not answer in time (${refused.message})`);
  if (refused) return new ClusterError("egress-refused", `${where}: ${refused.message}`);
  const network = networkCode(error);
  if (network && TLS_CODES.test(network)) return new ClusterError("tls", `the TLS certificate of ${where} did not verify (${network})`);
  if (network && TRANSIENT_NETWORK.has(network)) return new ClusterError("unreachable", `cannot reach ${where} (${network})`);
  if (network === "ENOTFOUND") return new ClusterError("unreachable", `cannot resolve the host of ${where} (ENOTFOUND)`, 0);
  if (/fetch failed|terminated|other side closed|socket hang up/i.test(message)) return new ClusterError("unreachable", `cannot reach ${where} (${message})`);
  return new ClusterError("rejected", `${what} failed: ${message}`);
}

/**
 * The answer's body, only when it is a Kubernetes `Status` (what an API server and its
 * admission webhooks answer with). Anything else — an HTML page, a metadata service's
 * answer, plain text — is never repeated: a kubeconfig can point anywhere, and a message,
 * the audit trail or a stored result must not become a way to read what is there.
 */
function parseBody(body: unknown): Record<string, unknown> | null {
  let parsed: unknown = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      return null;
    }
  }
  if (parsed === null || typeof parsed !== "object" || (parsed as { kind?: unknown }).kind !== "Status") return null;
  const status = parsed as Record<string, unknown>;
  return typeof status.message === "string" ? { ...status, message: status.message.slice(0, 2000) } : status;
}

function causesOf(body: Record<string, unknown> | null): ClusterErrorCause[] {
  const causes = (body?.details as { causes?: unknown } | undefined)?.causes;
  if (!Array.isArray(causes)) return [];
  return causes.map((c: Record<string, unknown>) => ({
    field: typeof c.field === "string" ? c.field : null,
    reason: typeof c.reason === "string" ? c.reason : null,
    message: typeof c.message === "string" ? c.message : "",
  }));
}

/** The errno-like code of a network failure, looking through undici's cause chain. */
function networkCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
