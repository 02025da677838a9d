// No "server-only" marker: the webhook sweep runs from lib/cli/serve.ts, outside Next.js.
import { createHmac } from "node:crypto";
import { outboundFetch } from "@/lib/outbound/outbound-fetch";
import { networkErrorCode, outboundRefusalOf } from "@/lib/outbound/outbound-refused";
import { webhookUrlProblem } from "./webhook-url";

export const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * The X-Rampart-Signature value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * The timestamp is signed too, so a receiver can refuse an old request replayed.
 */
export function webhookSignature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;
}

export type WebhookAttempt = { ok: true; status: number } | { ok: false; error: string };

/**
 * One POST of a delivery's JSON to a team's receiver. Never follows a redirect (a 3xx is
 * a failure: the URL an admin entered is the only place a notice goes; lib/outbound refuses it) and gives up after
 * `timeoutMs`, headers and all. Any 2xx is success. Never throws.
 */
export async function postWebhook({
  url,
  event,
  deliveryId,
  payload,
  secret = null,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
}: {
  url: string;
  event: string;
  deliveryId: string;
  payload: unknown;
  /** The team's signing secret; without one the request carries no signature. */
  secret?: string | null;
  timeoutMs?: number;
}): Promise<WebhookAttempt> {
  // Checked again at send time: the database constraint is coarser than the rule.
  const problem = webhookUrlProblem(url);
  if (problem) return { ok: false, error: `webhook URL ${problem}` };
  const body = JSON.stringify(payload);
  try {
    // Through the outbound guard: the receiver's name is resolved and checked at this call, redirects fail.
    const response = await outboundFetch(url, {
      method: "POST",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Rampart",
        "x-rampart-event": event,
        "x-rampart-delivery": deliveryId,
        ...(secret ? { "x-rampart-signature": webhookSignature(secret, body, new Date()) } : {}),
      },
      body,
    });
    // The answer's body is of no use; release the connection.
    await response.body?.cancel().catch(() => {});
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, error: `HTTP ${response.status}` };
  } catch (error) {
    if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
      return { ok: false, error: `no answer within ${timeoutMs} ms` };
    }
    const refused = outboundRefusalOf(error);
    if (refused?.reason === "timeout") return { ok: false, error: `no answer within ${timeoutMs} ms` };
    if (refused) return { ok: false, error: refused.message };
    // The network's error code only: nothing the receiver sent is kept.
    return { ok: false, error: `not delivered (${networkErrorCode(error) ?? "network error"})` };
  }
}
