import type { z } from "zod";
import type { FieldError } from "@/lib/errors/app-error";

// The browser's way to the REST API (/api/v1). Every failure becomes an ApiError that
// carries the problem+json code, detail and field errors, so forms can show them.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];

  constructor(status: number, code: string, detail: string, fieldErrors: FieldError[] = []) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
  }

  get isConflict(): boolean {
    return this.status === 409 || this.status === 412;
  }
}

export type ApiRequestOptions<T> = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  /** A body sent as it is, for operations that accept other media types (a YAML document). */
  rawBody?: { text: string; contentType: string };
  /** The version being edited; sent as If-Match for optimistic concurrency. */
  ifMatch?: number;
  /** Parses the response, so a changed API fails loudly here rather than in a component. */
  schema?: z.ZodType<T>;
  signal?: AbortSignal;
};

export async function apiRequest<T = unknown>(path: string, options: ApiRequestOptions<T> = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.rawBody) headers["content-type"] = options.rawBody.contentType;
  if (options.ifMatch !== undefined) headers["if-match"] = `"${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.rawBody ? options.rawBody.text : options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK", "Could not reach Rampart. Check your connection and try again.");
  }
  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const json: unknown = await response.json();
  return options.schema ? options.schema.parse(json) : (json as T);
}

async function toApiError(response: Response): Promise<ApiError> {
  let problem: { code?: unknown; detail?: unknown; errors?: unknown } = {};
  try {
    problem = (await response.json()) as typeof problem;
  } catch {
    // Not problem+json (a proxy's error page, say): fall back to the status alone.
  }
  const detail = typeof problem.detail === "string" ? problem.detail : `The request failed (HTTP ${response.status}).`;
  const code = typeof problem.code === "string" ? problem.code : `HTTP_${response.status}`;
  const errors = Array.isArray(problem.errors)
    ? problem.errors.filter((e): e is FieldError => typeof e === "object" && e !== null && typeof e.path === "string" && typeof e.message === "string")
    : [];
  return new ApiError(response.status, code, detail, errors);
}

/** `?a=1&b=x` from an object, leaving out empty values. */
export function toSearchParams(values: Record<string, string | number | undefined | null>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  return params;
}

/** Full-page trip to the sign-in page that comes back here afterwards. */
export function redirectToSignIn(): void {
  if (typeof window === "undefined") return;
  const here = `${window.location.pathname}${window.location.search}`;
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load drops the ended session's router cache too
  window.location.assign(`/sign-in?next=${encodeURIComponent(here)}`);
}
