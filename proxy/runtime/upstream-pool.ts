// One keep-alive agent per upstream and TLS setting, shared by every snapshot
// that uses the same upstream, so a policy reload keeps the warm connection
// pool. Agents no snapshot refers to any more are closed after a grace period
// (in-flight requests on the old snapshot finish first).

import http from "node:http";
import https from "node:https";
import type { Bundle } from "@/lib/policy-spec";
import { readRef } from "../resources/read-ref.js";
import { UpstreamPool } from "../server/upstream-client.js";
import type { RuntimeOptions } from "./runtime-options.js";

export interface Upstream {
  readonly key: string;
  readonly url: URL;
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
  /** The proxy's own keep-alive client (buffered bodies: almost every request). */
  readonly pool: UpstreamPool;
  /** node:http, for the rare request that streams an uninspected body. */
  readonly agent: http.Agent;
  readonly request: typeof http.request;
  /** Value for the Host header when the client sent none (HTTP/1.0). */
  readonly hostHeader: string;
}

const registry = new Map<string, { upstream: Upstream; users: number }>();
const GRACE_MS = 60_000;

export function acquireUpstream(url: string, tls: Bundle["upstreamTls"], options: RuntimeOptions): Upstream {
  const parsed = new URL(url);
  const secure = parsed.protocol === "https:";
  const wantsTls = tls !== null && tls.enabled;
  if (wantsTls && !secure) {
    throw new Error(
      `the policy requires TLS to the upstream (upstreamTls.enabled): give an https:// upstream instead of ${url}, or set upstreamTls.enabled: false in the application policy`,
    );
  }
  let tlsOptions: https.AgentOptions = {};
  if (secure) {
    const verify = tls ? tls.verify : true;
    tlsOptions = {
      rejectUnauthorized: verify,
      minVersion: tls?.minVersion === "1.3" ? "TLSv1.3" : "TLSv1.2",
      ...(tls?.serverName ? { servername: tls.serverName } : {}),
      ...(tls?.caRef ? { ca: readRef(tls.caRef, refOptions(options)) } : {}),
      ...(tls?.clientCertificate ? clientCertificate(tls.clientCertificate, options) : {}),
    };
  }
  const key = JSON.stringify([parsed.origin, tls, tlsOptions.ca?.toString().length ?? 0, options.upstream]);
  const existing = registry.get(key);
  if (existing) {
    existing.users++;
    return existing.upstream;
  }
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxSockets: options.upstream.maxSocketsPerUpstream,
    maxFreeSockets: 256,
    scheduling: "lifo",
  };
  const agent = secure ? new https.Agent({ ...agentOptions, ...tlsOptions }) : new http.Agent(agentOptions);
  const port = parsed.port ? Number(parsed.port) : secure ? 443 : 80;
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const pool = new UpstreamPool({
    host,
    port,
    tls: secure
      ? {
          ...(tlsOptions as import("node:tls").ConnectionOptions),
          servername: tlsOptions.servername ?? (isIp(host) ? undefined : host),
          ALPNProtocols: ["http/1.1"],
        }
      : null,
    maxSockets: options.upstream.maxSocketsPerUpstream,
    maxIdle: 256,
    connectTimeoutMs: options.upstream.connectTimeoutMs,
    responseTimeoutMs: options.upstream.responseTimeoutMs,
    idleTimeoutMs: options.upstream.idleTimeoutMs,
  });
  const upstream: Upstream = {
    key,
    url: parsed,
    secure,
    host,
    port,
    pool,
    agent,
    request: secure ? (https.request as unknown as typeof http.request) : http.request,
    hostHeader: parsed.host,
  };
  registry.set(key, { upstream, users: 1 });
  return upstream;
}

/** A snapshot no longer uses this upstream; its agent closes once no snapshot has for a while. */
export function releaseUpstream(upstream: Upstream): void {
  const entry = registry.get(upstream.key);
  if (!entry) return;
  entry.users--;
  if (entry.users > 0) return;
  setTimeout(() => {
    const current = registry.get(upstream.key);
    if (current && current.users === 0) {
      registry.delete(upstream.key);
      current.upstream.agent.destroy();
      current.upstream.pool.close();
    }
  }, GRACE_MS).unref();
}

function isIp(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(":");
}

function refOptions(options: RuntimeOptions) {
  return { secretsDir: options.secretsDir, baseDir: process.cwd() };
}

/** A client certificate reference names one PEM holding the certificate chain and its private key. */
function clientCertificate(ref: string, options: RuntimeOptions): { cert: Buffer; key: Buffer } {
  const pem = readRef(ref, refOptions(options));
  return { cert: pem, key: pem };
}
