// fetch through the outbound guard (outbound-dispatcher.ts). undici's fetch, because the
// dispatcher is undici 8's and Node 20's built-in fetch cannot drive it; its Response is
// a standard one (openid-client accepts it).
import "@/lib/policy-spec/node20-compat";
import { fetch, type Dispatcher, type RequestInit, type Response } from "undici";
import { createOutboundDispatcher } from "./outbound-dispatcher";
import { OutboundRefusedError } from "./outbound-refused";

export type OutboundFetchInit = RequestInit & { dispatcher?: Dispatcher };

/**
 * An http(s) request to a server someone named; refuses other schemes and never follows a
 * redirect. Without a dispatcher of the caller's, each call has a dispatcher of its own,
 * closed once the answer is read: no pooled connection outlives the call, so the next
 * call resolves and checks the name again (a changed allow-list or DNS answer counts).
 */
export async function outboundFetch(url: string | URL, init: OutboundFetchInit = {}): Promise<Response> {
  const protocol = new URL(url).protocol;
  if (protocol !== "https:" && protocol !== "http:") throw new OutboundRefusedError("scheme", `refused to call a ${protocol} URL`);
  if (init.dispatcher) return fetch(url, { ...init, redirect: "manual" });
  const dispatcher = createOutboundDispatcher();
  try {
    return await fetch(url, { ...init, redirect: "manual", dispatcher });
  } finally {
    // Graceful: waits for the answer's body to be read (or cancelled), then closes the socket.
    void dispatcher.close().catch(() => {});
  }
}
