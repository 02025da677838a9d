import "server-only";
import type { RequestContext } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { db } from "@/lib/db/client";
import { classifyOidcError } from "./sso-failure";
import { findSsoProvider } from "./sso-providers";
import { countSsoFailure, settleSsoCallback } from "./sso-throttle";

/**
 * Records a single sign-on that did not finish (audit, and the per-address throttle) and
 * returns the page that explains it. The page gets the reason's code only, never what
 * the provider said.
 */
export async function ssoFailureLocation({
  ctx,
  providerId,
  error,
  counted = false,
}: {
  ctx: RequestContext;
  providerId: string;
  error: unknown;
  /** The attempt was counted before it was evaluated (the callback: hitSsoCallback). */
  counted?: boolean;
}): Promise<string> {
  const reason = classifyOidcError(error);
  if (reason === "unexpected") console.error(`[sso] sign-in through ${providerId} failed unexpectedly`, error);
  const known = findSsoProvider(providerId) !== null;
  if (counted) await settleSsoCallback(ctx.ip, reason);
  else await countSsoFailure(ctx.ip, reason);
  await db.$transaction((tx) =>
    recordAuditEvent(
      tx,
      { ...ctx, actor: null, anonymousLabel: `sso:${known ? providerId : "unknown"}` },
      {
        action: "auth.login",
        outcome: reason === "throttled" ? "denied" : "failure",
        target: { type: "sso-provider", id: known ? providerId : null },
        // Our own wording and openid-client's error code: what an investigator needs, nothing the provider wrote.
        summary: { method: "sso", reason, ...(error instanceof Error ? { detail: error.message, code: errorCode(error.cause) } : {}) },
      },
    ),
  );
  const params = new URLSearchParams({ reason });
  if (known) params.set("provider", providerId);
  return `/sign-in/sso-error?${params}`;
}

/** A redirect the browser follows with GET, setting the given cookies. */
export function redirectResponse(location: string, cookies: string[] = [], status: 302 | 303 = 303): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status, headers });
}

function errorCode(cause: unknown): string | null {
  const code = (cause as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" ? code : null;
}
