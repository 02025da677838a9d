// Kubernetes `Status` bodies exactly as the API server writes them
// (k8s.io/apimachinery/pkg/api/errors): kind, apiVersion, status, message,
// reason, details, code. Every failure of the test API server is one of these.

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface KubeStatus {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A request the server refuses: thrown by the handlers, written once as a Status. */
export class KubeHttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toStatus(): KubeStatus {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export interface ResourceRef {
  /** "" for the core group. */
  group: string;
  /** Plural resource name, e.g. "configmaps". */
  resource: string;
  name: string;
}

const qualified = (ref: Pick<ResourceRef, "group" | "resource">) => (ref.group ? `${ref.resource}.${ref.group}` : ref.resource);

export const statusErrors = {
  unauthorized: () => new KubeHttpError(401, "Unauthorized", "Unauthorized"),
  forbidden: (user: string, verb: string, ref: Omit<ResourceRef, "name"> & { name?: string; subresource?: string }, namespace: string | null) =>
    new KubeHttpError(
      403,
      "Forbidden",
      `${ref.name ? `${qualified(ref)} "${ref.name}"` : qualified(ref)} is forbidden: User "${user}" cannot ${verb} resource "${ref.resource}${ref.subresource ? `/${ref.subresource}` : ""}" in API group "${ref.group}" ${
        namespace ? `in the namespace "${namespace}"` : "at the cluster scope"
      }`,
      { ...(ref.name ? { name: ref.name } : {}), group: ref.group, kind: ref.resource },
    ),
  notFound: (ref: ResourceRef) =>
    new KubeHttpError(404, "NotFound", `${qualified(ref)} "${ref.name}" not found`, { name: ref.name, group: ref.group, kind: ref.resource }),
  /** An unknown group, version or resource path. */
  noSuchResource: () => new KubeHttpError(404, "NotFound", "the server could not find the requested resource", {}),
  alreadyExists: (ref: ResourceRef) =>
    new KubeHttpError(409, "AlreadyExists", `${qualified(ref)} "${ref.name}" already exists`, { name: ref.name, group: ref.group, kind: ref.resource }),
  staleResourceVersion: (ref: ResourceRef) =>
    new KubeHttpError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualified(ref)} "${ref.name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name: ref.name, group: ref.group, kind: ref.resource },
    ),
  applyConflicts: (conflicts: ReadonlyArray<{ manager: string; apiVersion: string; field: string }>) => {
    const causes = conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: c.field }));
    // structured-merge-diff's wording: one line for a single conflict, else grouped by manager.
    const byManager = new Map<string, string[]>();
    for (const c of conflicts)
      byManager.set(`"${c.manager}" using ${c.apiVersion}`, [...(byManager.get(`"${c.manager}" using ${c.apiVersion}`) ?? []), c.field]);
    const summary =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: conflict with "${conflicts[0]!.manager}" using ${conflicts[0]!.apiVersion}: ${conflicts[0]!.field}`
        : `Apply failed with ${conflicts.length} conflicts: ${[...byManager].map(([who, fields]) => `conflicts with ${who}:\n${fields.map((f) => `- ${f}`).join("\n")}`).join("\n")}`;
    return new KubeHttpError(409, "Conflict", summary, { causes });
  },
  invalid: (kind: string, group: string, name: string, causes: StatusCause[]) => {
    const parts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
    const listed = parts.length === 1 ? parts[0]! : `[${parts.join(", ")}]`;
    return new KubeHttpError(422, "Invalid", `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${listed}`, { name, group, kind, causes });
  },
  badRequest: (message: string) => new KubeHttpError(400, "BadRequest", message),
  methodNotAllowed: (message: string) => new KubeHttpError(405, "MethodNotAllowed", message),
  unsupportedMediaType: (type: string) =>
    new KubeHttpError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml; got ${type}`,
    ),
  gone: (message: string) => new KubeHttpError(410, "Expired", message),
  internal: (message: string) => new KubeHttpError(500, "InternalError", `Internal error occurred: ${message}`),
  /** An error the server did not turn into a Status itself (ErrorToAPIStatus's fallback): 500, no reason. */
  internalPlain: (message: string) => new KubeHttpError(500, "", message),
  unavailable: (message: string) => new KubeHttpError(503, "ServiceUnavailable", message, { retryAfterSeconds: 1 }, { "retry-after": "1" }),
  tooManyRequests: () =>
    new KubeHttpError(429, "TooManyRequests", "Too many requests, please try again later.", { retryAfterSeconds: 1 }, { "retry-after": "1" }),
};

export function successStatus(details: StatusDetails): KubeStatus {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details, code: 200 };
}
