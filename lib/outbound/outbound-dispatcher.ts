// The one way the portal opens an HTTP connection to a server someone else named: an
// undici dispatcher whose every connection goes through the guard. Kubernetes API servers
// (kube-client.ts hands it to @kubernetes/client-node), identity providers (idp-fetch.ts)
// and team webhooks (post-webhook.ts) all use it; Git runs the git CLI and pins its
// connection with the same check (lib/kubernetes/gitops/prepare-git-access.ts).
// - Every connection: an IP literal is judged as it stands; a name is resolved, judged and
//   connected to at the judged address (guarded-lookup.ts).
// - No redirects: a 3xx answer fails the request, whatever the caller's fetch would do.
// - Bounded time: connect, then the whole exchange (headers and body) within a deadline.
import "@/lib/policy-spec/node20-compat";
import { Agent, buildConnector, type Dispatcher } from "undici";
import { isIP } from "node:net";
import type { IncomingHttpHeaders } from "node:http";
import type { ConnectionOptions } from "node:tls";
import { addressRefusal, EGRESS_ADVICE } from "./egress-rules";
import { checkedLookup, systemResolve, type Resolve } from "./guarded-lookup";
import { OutboundRefusedError } from "./outbound-refused";

export const OUTBOUND_CONNECT_TIMEOUT_MS = 10_000;
export const OUTBOUND_TOTAL_TIMEOUT_MS = 60_000;

export type OutboundDispatcherOptions = {
  /** TLS settings of the connection (a kubeconfig's CA, client certificate, server name). */
  tls?: ConnectionOptions;
  connectTimeoutMs?: number;
  /** From sending the request to the end of the answer's body. */
  totalTimeoutMs?: number;
  resolve?: Resolve;
};

export function createOutboundDispatcher(options: OutboundDispatcherOptions = {}): Dispatcher {
  const totalTimeoutMs = options.totalTimeoutMs ?? OUTBOUND_TOTAL_TIMEOUT_MS;
  const connect = buildConnector({
    ...options.tls,
    timeout: options.connectTimeoutMs ?? OUTBOUND_CONNECT_TIMEOUT_MS,
    lookup: checkedLookup(options.resolve ?? systemResolve),
  } as buildConnector.BuildOptions);
  const guardedConnect: buildConnector.connector = (target, callback) => {
    // A socket never calls `lookup` for an IP literal, so it is judged here.
    const host = target.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host) !== 0) {
      const refusal = addressRefusal(host);
      if (refusal) return callback(new OutboundRefusedError("address", `refused to connect to ${refusal}: ${EGRESS_ADVICE}`), null);
    }
    connect(target, callback);
  };
  return new Agent({ connect: guardedConnect, headersTimeout: totalTimeoutMs, bodyTimeout: totalTimeoutMs }).compose(
    (dispatch) => (dispatchOptions, handler) => dispatch(dispatchOptions, new GuardedHandler(handler, totalTimeoutMs)),
  );
}

/** Fails a redirect and an exchange over its deadline; otherwise passes everything to the caller's handler. */
class GuardedHandler implements Dispatcher.DispatchHandler {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly inner: Dispatcher.DispatchHandler,
    private readonly totalTimeoutMs: number,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.timer = setTimeout(
      () => controller.abort(new OutboundRefusedError("timeout", `no complete answer within ${this.totalTimeoutMs} ms`)),
      this.totalTimeoutMs,
    );
    this.timer.unref();
    this.inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: import("node:stream").Duplex): void {
    this.inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    if (statusCode >= 300 && statusCode < 400 && statusCode !== 304) {
      this.clear();
      controller.abort(new OutboundRefusedError("redirect", `answered ${statusCode}, a redirect, which the portal does not follow`));
      return;
    }
    this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.clear();
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.clear();
    this.inner.onResponseError?.(controller, error);
  }

  private clear() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
