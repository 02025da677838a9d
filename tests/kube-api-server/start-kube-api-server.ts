// Starts the test API server on 127.0.0.1 (an ephemeral port) and writes the
// kubeconfig a client needs: server URL, the CA for HTTPS, a bearer token.
// HTTPS uses proxy/testdata's test certificate (localhost/127.0.0.1, signed by
// proxy/testdata/ca.pem), so client-node verifies the server like a real one.

import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { stringify } from "yaml";
import { allowLoopbackEgress } from "../helpers/allow-loopback-egress.js";
import { KubeApiServer, type TokenGrant } from "./kube-api-server.js";

export const ADMIN_TOKEN = "rampart-test-admin-token";
const TESTDATA = path.resolve(import.meta.dirname, "../../proxy/testdata");

export interface TestKubeApiServer {
  url: string;
  port: number;
  /** kubeconfig YAML for the cluster-admin token (default namespace "default"). */
  kubeconfig: string;
  /** kubeconfig YAML for any token (one the server knows or not). */
  kubeconfigFor(token: string, namespace?: string): string;
  server: KubeApiServer;
  stop(): Promise<void>;
  /** Drops every connection and listens again on the same port; objects are kept, the watch cache is not (resuming an older watch gets 410). */
  restart(): Promise<void>;
  /** A raw request as another client would make it (kubectl edit, a controller), trusting the test CA. */
  request(
    method: string,
    path: string,
    options?: { body?: unknown; contentType?: string; token?: string },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
}

export async function startKubeApiServer(
  options: { tls?: boolean; tokens?: Record<string, TokenGrant>; historySize?: number; crdEstablishDelayMs?: number } = {},
): Promise<TestKubeApiServer> {
  // The server listens on 127.0.0.1, which the portal calls only when the operator allows it.
  allowLoopbackEgress();
  const tls = options.tls
    ? { cert: readFileSync(path.join(TESTDATA, "server.pem"), "utf8"), key: readFileSync(path.join(TESTDATA, "server-key.pem"), "utf8") }
    : null;
  const server = new KubeApiServer({
    tokens: { [ADMIN_TOKEN]: { user: "system:admin", namespaces: "*" }, ...(options.tokens ?? {}) },
    tls,
    ...(options.historySize ? { historySize: options.historySize } : {}),
    ...(options.crdEstablishDelayMs ? { crdEstablishDelayMs: options.crdEstablishDelayMs } : {}),
  });
  const port = await server.listen(0);
  const url = `${tls ? "https" : "http"}://127.0.0.1:${port}`;
  const ca = tls ? readFileSync(path.join(TESTDATA, "ca.pem")).toString("base64") : null;
  const kubeconfigFor = (token: string, namespace = "default") =>
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "test", cluster: { server: url, ...(ca ? { "certificate-authority-data": ca } : {}) } }],
      users: [{ name: "test-user", user: { token } }],
      contexts: [{ name: "test", context: { cluster: "test", user: "test-user", namespace } }],
      "current-context": "test",
    });
  return {
    url,
    port,
    kubeconfig: kubeconfigFor(ADMIN_TOKEN),
    kubeconfigFor,
    server,
    stop: () => server.down(),
    async restart() {
      await server.down();
      server.compact();
      await server.up();
    },
    request(method, requestPath, options = {}) {
      const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      const client = tls ? https : http;
      return new Promise((resolve, reject) => {
        const req = client.request(
          `${url}${requestPath}`,
          {
            method,
            headers: {
              authorization: `Bearer ${options.token ?? ADMIN_TOKEN}`,
              ...(body !== undefined ? { "content-type": options.contentType ?? "application/json" } : {}),
            },
            ...(tls ? { ca: readFileSync(path.join(TESTDATA, "ca.pem"), "utf8") } : {}),
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => {
              const text = Buffer.concat(chunks).toString("utf8");
              resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
            });
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    },
  };
}
