// The portal's listening socket: plain HTTP, or HTTPS when TLS_CERT_FILE and TLS_KEY_FILE
// name a certificate and key (in Kubernetes a kubernetes.io/tls Secret, e.g. from
// cert-manager), so the gateway's long poll and the ingress reach the portal over TLS.
// The files are read again when they change (a renewed certificate is picked up
// without a restart; checked once a minute, the way mounted Secrets are refreshed).
import { readFileSync, unwatchFile, watchFile } from "node:fs";
import http from "node:http";
import https from "node:https";

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
