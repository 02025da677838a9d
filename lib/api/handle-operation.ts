import "server-only";
import type { z } from "zod";
import { authenticateRequest } from "@/lib/auth/authenticate-request";
import { requirePermission, requireActor, type Actor, type RequestContext } from "@/lib/auth/actor";
import { clientIp } from "@/lib/auth/client-ip";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { authenticateDeliveryTarget, type DeliveryTargetPrincipal } from "@/lib/delivery/authenticate-delivery-target";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";
import type { Operation } from "./operation";
import { problemResponse, toAppError } from "./problem";
import { readOperationBody } from "./read-json-body";
import { compileBodyValidator, type CompiledBodyValidator } from "./compiled-body-validator";
import { findUnstorableText } from "@/lib/db/unstorable-text";
import { toWire } from "@/lib/shared/to-wire";
import { zodFieldErrors } from "@/lib/shared/zod-field-errors";

type Infer<T> = NonNullable<T> extends z.ZodType ? z.output<NonNullable<T>> : undefined;

// Handlers may return Prisma rows: Dates serialise to the ISO strings the schema names.
type Serialisable<T> = T extends string
  ? string | Date
  : T extends (infer U)[]
    ? Serialisable<U>[]
    : T extends object
      ? { [K in keyof T]: Serialisable<T[K]> }
      : T;

export type OperationInput<Op extends Operation> = {
  ctx: RequestContext;
  /** Set for every operation except public ones. */
  actor: Op["access"] extends "public" ? Actor | null : Actor;
  /** Set for "delivery-target" operations only (their actor is null): the proxy target whose token was sent. */
  deliveryTarget: DeliveryTargetPrincipal | null;
  params: Infer<Op["params"]>;
  query: Infer<Op["query"]>;
  body: Infer<Op["body"]>;
  /** The version from If-Match, for operations with ifMatch. */
  expectedVersion: number;
  request: Request;
};

export type OperationResult<Op extends Operation> =
  | Serialisable<z.input<Op["response"]>>
  | { body: Serialisable<z.input<Op["response"]>>; status?: number; headers?: Record<string, string> }
  // Only for operations with rawResponse (checked at run time).
  | Response;

type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// JSON bodies shorter than this go uncompressed: Next.js gzips every response over 1 KiB
// a client accepts gzip for, and for the API's small documents (a page of a list is 8 to
// 20 KiB) setting up a gzip stream per response was 4-6 % of a worker's CPU under load (a
// profile of bench:portal), plus the compression itself on the thread pool, on the cores
// the portal and PostgreSQL share, to save a few kilobytes. `no-transform` is what Next.js's
// compression honours; larger documents and raw responses (the delivery bundle) are compressed as before.
export const UNCOMPRESSED_JSON_CHARS = 32 * 1024;

/**
 * The one wrapper every API route handler goes through: it parses and validates
 * params, query and body against the operation's schemas, authenticates, checks the
 * permission table, runs the handler, and turns any error into problem+json.
 */
export function handleOperation<Op extends Operation>(op: Op, handler: (input: OperationInput<Op>) => Promise<OperationResult<Op>>) {
  return async (request: Request, routeContext?: RouteContext): Promise<Response> => {
    const ctx: RequestContext = {
      actor: null,
      ip: clientIp(request.headers, env().TRUSTED_PROXY_HOPS),
      userAgent: request.headers.get("user-agent"),
    };
    try {
      if (MUTATING.has(op.method)) assertSameOrigin(request);
      // Authenticate and authorize before validating, so an anonymous or unauthorized
      // caller learns nothing about the shape of the API beyond 401/403.
      // A proxy's token is not a user's: it never reaches the user authentication, and a
      // user's session or API token never authenticates a delivery-target operation.
      const deliveryTarget = op.access === "delivery-target" ? await authenticateDeliveryTarget(request.headers) : null;
      if (op.access !== "delivery-target") ctx.actor = await authenticateRequest(request.headers);
      if (op.access === "authenticated") requireActor(ctx);
      else if (op.access !== "public" && op.access !== "delivery-target") requirePermission(ctx, op.access);

      const params = parsePart(op.params, (await routeContext?.params) ?? {}, "params");
      const query = parsePart(op.query, Object.fromEntries(new URL(request.url).searchParams), "query");

      const body = op.body
        ? parsePart(
            op.body,
            await readOperationBody(request, op.textBodies, undefined, op.gzipBody ?? null),
            "body",
            op.compiledBody ? compiledBodyOf(op) : null,
          )
        : undefined;
      const expectedVersion = op.ifMatch ? readIfMatch(request) : 0;

      const result = await handler({
        ctx,
        actor: ctx.actor as OperationInput<Op>["actor"],
        deliveryTarget,
        params,
        query,
        body,
        expectedVersion,
        request,
      } as OperationInput<Op>);
      return respond(op, result);
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.code === "INTERNAL") console.error(`[api] ${op.method} ${op.path}`, thrown);
      // One row per refused action: a refusal the domain audited in its own words is not recorded again here.
      if (error.code === "FORBIDDEN" && MUTATING.has(op.method) && error.auditedAs === null) await auditDenied(op, ctx, error);
      return problemResponse(error);
    }
  };
}

function respond(op: Operation, result: unknown): Response {
  if (result instanceof Response) {
    // A handler that writes its own bytes must say so in its operation: everything else
    // is serialised through the response schema, which is what keeps secrets from leaking.
    if (!op.rawResponse) throw new Error(`operation ${op.id} returned a Response but does not declare rawResponse`);
    if (!result.headers.has("cache-control")) result.headers.set("cache-control", "no-store");
    return result;
  }
  const wrapped =
    result && typeof result === "object" && "body" in result && Object.keys(result).every((k) => ["body", "status", "headers"].includes(k))
      ? (result as { body: unknown; status?: number; headers?: Record<string, string> })
      : { body: result };
  const status = wrapped.status ?? op.successStatus ?? 200;
  const headers: Record<string, string> = { "cache-control": "no-store", ...wrapped.headers };
  if (status === 204) return new Response(null, { status, headers });
  // Responses are serialised through the operation's schema: nothing the schema does
  // not name (password hashes, token hashes) can leak by accident. Dates become ISO
  // strings first, as the client will see them.
  const body = toWire(op.response, wrapped.body ?? null);
  const version = (body as { version?: unknown } | null)?.version;
  if (typeof version === "number" && !headers.etag) headers.etag = `"${version}"`;
  const json = JSON.stringify(body);
  if (json.length < UNCOMPRESSED_JSON_CHARS && headers["cache-control"] === "no-store") headers["cache-control"] = "no-store, no-transform";
  return new Response(json, { status, headers: { "content-type": "application/json", ...headers } });
}

const compiledBodies = new WeakMap<Operation, CompiledBodyValidator<unknown>>();

/** Compiled once per operation, on its first request. */
function compiledBodyOf(op: Operation): CompiledBodyValidator<unknown> {
  let validator = compiledBodies.get(op);
  if (!validator) compiledBodies.set(op, (validator = compileBodyValidator(op.body!)));
  return validator;
}

function parsePart<T extends z.ZodType | undefined>(schema: T, value: unknown, root: string, compiled: CompiledBodyValidator<unknown> | null = null): Infer<T> {
  if (!schema) return undefined as Infer<T>;
  const unstorable = findUnstorableText(value, root);
  if (unstorable) throw new AppError("VALIDATION_FAILED", `The request ${root} is invalid.`, { fieldErrors: [unstorable] });
  // The compiled check accepts exactly what the schema accepts, faster; what it refuses, zod
  // parses again to name every field as it always has.
  if (compiled?.(value)) return value as Infer<T>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("VALIDATION_FAILED", `The request ${root} is invalid.`, {
      fieldErrors: zodFieldErrors(parsed.error, root),
    });
  }
  return parsed.data as Infer<T>;
}

function readIfMatch(request: Request): number {
  const header = request.headers.get("if-match");
  if (!header) {
    throw new AppError("PRECONDITION_REQUIRED", "Send If-Match with the version you edited (the ETag from GET).");
  }
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) throw new AppError("BAD_REQUEST", 'If-Match must be an ETag such as "3".');
  return Number(match[1]);
}

// SameSite=Lax already keeps the session cookie off cross-site POSTs; checking Origin
// as well closes the gap for same-site subdomains and old browsers.
function assertSameOrigin(request: Request) {
  const origin = request.headers.get("origin");
  if (!origin || request.headers.get("authorization")) return;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("FORBIDDEN", "Cross-origin request refused.");
  }
  if (originHost !== host) throw new AppError("FORBIDDEN", "Cross-origin request refused.");
}

async function auditDenied(op: Operation, ctx: RequestContext, error: AppError) {
  try {
    await db.$transaction((tx) =>
      recordAuditEvent(tx, ctx, {
        action: `api.${op.id}`,
        outcome: "denied",
        target: { type: "api-operation", id: op.id },
        summary: { reason: error.message },
      }),
    );
  } catch (auditError) {
    console.error("[api] could not audit a denied attempt", auditError);
  }
}
