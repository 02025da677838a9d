// fetch through the outbound guard (outbound-dispatcher.ts). undici's fetch, because the
// dispatcher is undici 8's and Node 20's built-in fetch cannot drive it; its Response is
// a standard one (openid-client accepts it).
import "./node-compat";
import { fetch, type Dispatcher, type RequestInit, type Response } from "undici";
import { outboundDispatcher } from "./outbound-dispatcher";
import { OutboundRefusedError } from "./outbound-refused";

export type OutboundFetchInit = RequestInit & { dispatcher?: Dispatcher };

/** An http(s) request to a server someone named; refuses other schemes and never follows a redirect. */
export function outboundFetch(url: string | URL, init: OutboundFetchInit = {}): Promise<Response> {
  const protocol = new URL(url).protocol;
  if (protocol !== "https:" && protocol !== "http:") return Promise.reject(new OutboundRefusedError("scheme", `refused to call a ${protocol} URL`));
  return fetch(url, { ...init, redirect: "manual", dispatcher: init.dispatcher ?? outboundDispatcher() });
}
