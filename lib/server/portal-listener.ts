// The portal's listening socket: plain HTTP, or HTTPS when TLS_CERT_FILE and TLS_KEY_FILE
// name a certificate and key (in Kubernetes a kubernetes.io/tls Secret, e.g. from
// cert-manager), so the gateway's long poll and the ingress reach the portal over TLS.
// The files are read again when they change (a renewed certificate is picked up
// without a restart; checked once a minute, the way mounted Secrets are refreshed).
import { readFileSync, unwatchFile, watchFile } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { listenAddress } from "./listen-address";

export interface PortalListenerOptions {
  tlsCertFile?: string | undefined;
  tlsKeyFile?: string | undefined;
}

export function createPortalServer(
  handler: http.RequestListener,
  options: PortalListenerOptions,
): { server: http.Server; scheme: "http" | "https"; close(): void } {
  const { tlsCertFile, tlsKeyFile } = options;
  if (!tlsCertFile && !tlsKeyFile) return { server: http.createServer(handler), scheme: "http", close() {} };
  if (!tlsCertFile || !tlsKeyFile) throw new Error("TLS_CERT_FILE and TLS_KEY_FILE must be set together");
  const read = () => ({ cert: readFileSync(tlsCertFile, "utf8"), key: readFileSync(tlsKeyFile, "utf8") });
  const server = https.createServer({ ...read(), minVersion: "TLSv1.2" }, handler);
  const reload = () => {
    try {
      server.setSecureContext({ ...read(), minVersion: "TLSv1.2" });
    } catch (error) {
      // A half-written renewal: keep the current certificate and try at the next change.
      process.stderr.write(`TLS certificate not reloaded: ${(error as Error).message}\n`);
    }
  };
  watchFile(tlsCertFile, { interval: 60_000, persistent: false }, reload);
  return {
    server,
    scheme: "https",
    close() {
      unwatchFile(tlsCertFile, reload);
    },
  };
}

/**
 * What lib/cli/serve.ts serves with: the portal's server for `handler`, listening where the
 * environment says (PORT and HOST, 127.0.0.1:3000 by default: listen-address.ts), over TLS
 * when TLS_CERT_FILE and TLS_KEY_FILE are set. Resolves once it listens, with the address
 * it is bound to.
 */
export async function listenPortal(
  handler: http.RequestListener,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ server: http.Server; scheme: "http" | "https"; address: AddressInfo; close(): void }> {
  const { hostname, port } = listenAddress(env);
  const portal = createPortalServer(handler, { tlsCertFile: env.TLS_CERT_FILE, tlsKeyFile: env.TLS_KEY_FILE });
  // Slow clients must not hold sockets forever.
  portal.server.requestTimeout = 60_000;
  portal.server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    portal.server.once("error", reject);
    portal.server.listen(port, hostname, () => {
      portal.server.off("error", reject);
      resolve();
    });
  });
  return { ...portal, address: portal.server.address() as AddressInfo };
}
