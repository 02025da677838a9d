import "server-only";
import { AppError } from "@/lib/errors/app-error";
import type { SignedBundle } from "@/lib/policy-spec";
import { isDeliveryTokenLive, type DeliveryTargetPrincipal } from "./authenticate-delivery-target";
import { buildDeliverySet } from "./build-delivery-set";
import { deliveryListener } from "./delivery-listener";
import { signDeliverySet } from "./sign-delivery-set";

// While the listener is down, waiting polls look again this often instead of trusting a
// wake-up that cannot come.
const FALLBACK_RECHECK_MS = 2_000;

/**
 * The long poll behind GET /api/v1/delivery/bundle. The target's current set is signed and
 * returned at once if its hash differs from the one the proxy runs (`knownHash`);
 * otherwise the request waits until a notification says something changed (then checks
 * again) or `waitSeconds` pass (then checks once more, as a safety net): a changed set
 * → the new envelope; nothing changed → "unchanged" (304). A token revoked or rotated while
 * waiting ends the wait with 401.
 */
export async function pollDeliveryBundle({
  target,
  knownHash,
  waitSeconds,
  headers,
  signal,
}: {
  target: DeliveryTargetPrincipal;
  knownHash: string | undefined;
  waitSeconds: number;
  headers: Headers;
  signal?: AbortSignal;
}): Promise<{ changed: true; envelope: SignedBundle } | { changed: false; contentHash: string }> {
  const listener = deliveryListener();
  const deadline = Date.now() + waitSeconds * 1000;
  // Taken before reading: a change committed while we read bumps the generation, so the wait below returns at once.
  let since = listener.generation;
  for (;;) {
    const desired = await buildDeliverySet({ targetId: target.id, generation: since });
    const envelope = signDeliverySet(desired.set);
    if (envelope.contentHash !== knownHash) return { changed: true, envelope };
    const remaining = deadline - Date.now();
    if (remaining <= 0 || signal?.aborted) return { changed: false, contentHash: envelope.contentHash };
    const reason = await listener.wait({ since, timeoutMs: listener.connected ? remaining : Math.min(remaining, FALLBACK_RECHECK_MS), signal });
    if (reason === "aborted") return { changed: false, contentHash: envelope.contentHash };
    since = listener.generation;
    if (!(await isDeliveryTokenLive(target.id, headers))) throw new AppError("UNAUTHENTICATED", "The delivery token is unknown or revoked.");
  }
}
