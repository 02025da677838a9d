import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/**
 * One API operation: the single description that the route handler enforces, the
 * OpenAPI document publishes, and the authorization-matrix test walks.
 *
 * access:
 *   "public"         — no sign-in (login, health);
 *   "authenticated"  — any signed-in caller (their own profile);
 *   "delivery-target" — a proxy with its delivery target's token (lib/delivery), not a user;
 *   a Permission     — the caller must hold it somewhere; domain code then scopes by team.
 */
export type Operation<
  TParams extends z.ZodType = z.ZodType,
  TQuery extends z.ZodType = z.ZodType,
  TBody extends z.ZodType = z.ZodType,
  TResponse extends z.ZodType = z.ZodType,
> = {
  id: string;
  method: HttpMethod;
  /** OpenAPI path under /api/v1, e.g. `/applications/{id}`. */
  path: string;
  summary: string;
  tag: string;
  access: "public" | "authenticated" | "delivery-target" | Permission;
  params?: TParams;
  query?: TQuery;
  body?: TBody;
  response: TResponse;
  successStatus?: 200 | 201 | 204;
  /** Requires If-Match with the resource's current version (optimistic concurrency). */
  ifMatch?: boolean;
  /**
   * Media types the body may be sent as besides JSON, each with how its text becomes the
   * value `body` validates, e.g. `{ "application/yaml": (text) => ({ content: text }) }`.
   */
  textBodies?: Readonly<Record<string, (text: string) => unknown>>;
  /**
   * The handler returns a `Response` itself, for bodies that are not JSON (a YAML file) or
   * whose bytes must not be re-serialised (a canonical bundle); `response` then documents it.
   */
  rawResponse?: { mediaType: string };
  /** The JSON body may come gzip-compressed (Content-Encoding), up to this size once decoded. */
  gzipBody?: { maxDecodedBytes: number };
  /**
   * Validate the body with a compiled check first (compiled-body-validator.ts): for bodies of
   * thousands of small objects. A body it refuses is parsed by the zod schema as usual.
   */
  compiledBody?: boolean;
};

const registry = new Map<string, Operation>();

export function defineOperation<
  TParams extends z.ZodType = z.ZodType,
  TQuery extends z.ZodType = z.ZodType,
  TBody extends z.ZodType = z.ZodType,
  TResponse extends z.ZodType = z.ZodType,
>(op: Operation<TParams, TQuery, TBody, TResponse>): Operation<TParams, TQuery, TBody, TResponse> {
  if (registry.has(op.id)) throw new Error(`duplicate API operation id ${op.id}`);
  registry.set(op.id, op as unknown as Operation);
  return op;
}

export function registeredOperations(): Operation[] {
  return [...registry.values()];
}

export const idParams = z.strictObject({ id: z.uuid({ error: "must be a UUID" }) });
export const emptyResponse = z.null();
