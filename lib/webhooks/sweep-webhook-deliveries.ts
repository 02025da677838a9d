// No "server-only" marker: the portal's maintenance tick (lib/cli/serve.ts) runs this
// outside the Next.js bundle.
import { db as defaultDb, type Db } from "@/lib/db/client";
import { decryptSecret } from "@/lib/delivery/secret-box";
import { nextRetryDelayMs, WEBHOOK_MAX_ATTEMPTS } from "./webhook-backoff";
import { postWebhook, WEBHOOK_TIMEOUT_MS } from "./post-webhook";
import { webhookSecretContext } from "./webhook-secret-context";

/** Deliveries claimed per sweep; each is sent in parallel, so a sweep lasts about one timeout. */
const BATCH_SIZE = 25;
// A claimed delivery is not due again for this long. The claim commits before anything is
// sent (no transaction stays open across the network), so this lease is what keeps other
// replicas off it; a replica that dies mid-send leaves it to be retried once the lease ends.
const LEASE_MS = 60_000;

type Claimed = {
  id: string;
  team_id: string;
  event: string;
  payload: unknown;
  attempts: number;
  webhook_url: string | null;
  webhook_secret_ciphertext: Uint8Array | null;
};

export type WebhookSweepResult = {
  delivered: string[];
  failed: { id: string; error: string; attempts: number; retryAt: Date | null }[];
};

/**
 * Sends the team webhooks that are due. Replicas may sweep at the same time: each claims
 * its rows with FOR UPDATE SKIP LOCKED and pushes their next attempt past the lease in
 * the same statement, so no row is sent by two of them. Receivers are called in
 * parallel with a bounded timeout, so one slow or dead receiver holds up nobody else; a
 * failure is recorded on its row and retried with exponential backoff until the
 * attempts are used up. Delivery is at least once (a crash between the POST and the
 * record means a resend): receivers drop repeats by the payload's `id`.
 */
export async function sweepWebhookDeliveries({
  db = defaultDb,
  now = new Date(),
  timeoutMs = WEBHOOK_TIMEOUT_MS,
  maxAttempts = WEBHOOK_MAX_ATTEMPTS,
}: { db?: Db; now?: Date; timeoutMs?: number; maxAttempts?: number } = {}): Promise<WebhookSweepResult> {
  const leaseUntil = new Date(now.getTime() + Math.max(LEASE_MS, timeoutMs * 2));
  const claimed = await db.$queryRaw<Claimed[]>`
    UPDATE webhook_deliveries AS d
       SET attempts = d.attempts + 1, next_attempt_at = ${leaseUntil}::timestamptz
      FROM (SELECT id FROM webhook_deliveries
             WHERE next_attempt_at <= ${now}::timestamptz
             ORDER BY next_attempt_at
             LIMIT ${BATCH_SIZE}
             FOR UPDATE SKIP LOCKED) AS due,
           teams AS t
     WHERE d.id = due.id AND t.id = d.team_id
    RETURNING d.id, d.team_id, d.event, d.payload, d.attempts, t.webhook_url, t.webhook_secret_ciphertext`;

  const result: WebhookSweepResult = { delivered: [], failed: [] };
  await Promise.all(
    claimed.map(async (row) => {
      const secret = signingSecretOf(row);
      const attempt = !row.webhook_url
        ? ({ ok: false, error: "the team no longer has a webhook URL" } as const)
        : secret.ok
          ? await postWebhook({ url: row.webhook_url, event: row.event, deliveryId: row.id, payload: row.payload, secret: secret.value, timeoutMs })
          : ({ ok: false, error: secret.error } as const);
      // Matching attempts too: should a send ever outlast the lease and another replica
      // retry the row, the older outcome must not overwrite the newer one.
      const where = { id: row.id, attempts: row.attempts };
      if (attempt.ok) {
        await db.webhookDelivery.updateMany({ where, data: { deliveredAt: new Date(), nextAttemptAt: null, lastError: null } });
        result.delivered.push(row.id);
        return;
      }
      // A team that removed its URL has given up on its webhooks: no retries.
      const delay = row.webhook_url ? nextRetryDelayMs(row.attempts, maxAttempts) : null;
      const retryAt = delay === null ? null : new Date(now.getTime() + delay);
      await db.webhookDelivery.updateMany({ where, data: { lastError: attempt.error.slice(0, 1000), nextAttemptAt: retryAt } });
      result.failed.push({ id: row.id, error: attempt.error, attempts: row.attempts, retryAt });
    }),
  );
  return result;
}

/**
 * The team's signing secret. One that is configured but does not decrypt (another
 * RAMPART_ENCRYPTION_KEY, tampering) fails the attempt: an unsigned delivery to a receiver
 * that expects signatures is never sent in its place.
 */
function signingSecretOf(row: Claimed): { ok: true; value: string | null } | { ok: false; error: string } {
  if (row.webhook_secret_ciphertext === null) return { ok: true, value: null };
  try {
    return { ok: true, value: decryptSecret(row.webhook_secret_ciphertext, webhookSecretContext(row.team_id)) };
  } catch (error) {
    return { ok: false, error: `the team's signing secret cannot be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}
