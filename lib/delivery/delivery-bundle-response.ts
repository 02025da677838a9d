import "server-only";
import type { DeliveryTargetPrincipal } from "./authenticate-delivery-target";
import { pollDeliveryBundle } from "./poll-delivery-bundle";

/**
 * The HTTP answer to a proxy's poll: 200 with the signed envelope (its bytes untouched) and
 * ETag = its content hash, or 304 with the same ETag when nothing changed while it waited.
 */
export async function deliveryBundleResponse({
  target,
  query,
  request,
}: {
  target: DeliveryTargetPrincipal;
  query: { hash?: string; wait: number };
  request: Request;
}): Promise<Response> {
  const result = await pollDeliveryBundle({
    target,
    knownHash: query.hash,
    waitSeconds: query.hash ? query.wait : 0,
    headers: request.headers,
    signal: request.signal,
  });
  const headers = { etag: `"${result.changed ? result.envelope.contentHash : result.contentHash}"`, "cache-control": "no-store" };
  if (!result.changed) return new Response(null, { status: 304, headers });
  return new Response(JSON.stringify(result.envelope), { status: 200, headers: { ...headers, "content-type": "application/json" } });
}
