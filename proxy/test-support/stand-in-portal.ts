// A stand-in for the portal's delivery endpoints, speaking the contract of
// lib/policy-spec/delivery-schema.ts over real HTTP with a real Ed25519 key:
// signed envelopes, a long poll that answers as soon as something newer is
// published (or 304 after `wait`), 401 for unknown or revoked tokens, and the
// status endpoint validating each report. Tests and `bench:delivery --stand-in`
// use it until they run against the real portal.

import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gunzipSync } from "node:zlib";
import {
  canonicalJson,
  DELIVERY_FORMAT,
  proxyStatusReportSchema,
  securityEventBatchSchema,
  sha256Hex,
  type Bundle,
  type DeliverySet,
  type ProxyStatusReport,
  type SecurityEventBatch,
} from "@/lib/policy-spec";

export interface SignedEnvelope {
  text: string;
  contentHash: string;
}

export interface StandInPortal {
  url: string;
  publicKeyPem: string;
  /** Base64 DER SPKI, as --portal-key accepts inline. */
  publicKeyBase64: string;
  tokens: Set<string>;
  /** Every bundle request (token, instance, hash, wait) and, once answered, how: at once, woken by a publish, or 304 after `wait`. */
  polls: Array<{ token: string | null; instance: string | null; hash: string | null; wait: number; answer?: "immediate" | "woken" | "timeout" }>;
  /** When (performance.now()) each bundle request was refused with 401. */
  refusedPolls: number[];
  /** Latest report per instance id. */
  reports: Map<string, ProxyStatusReport>;
  reportCount(): number;
  /** Every events batch received and valid, in arrival order (repeats included). */
  eventBatches: SecurityEventBatch[];
  /** Answers for the next events requests, one each (then 202): e.g. a 429 with Retry-After seconds. */
  eventAnswers: Array<{ status: number; retryAfter?: number }>;
  /** The batch id of every events request, answered or refused. */
  eventAttempts: string[];
  /** While on, status reports are read but never answered (a portal that hangs); off answers the held ones 503. */
  holdStatusReports(on: boolean): void;
  /** Status reports from this instance read whole and held unanswered. */
  heldReportsFrom(instanceId: string): number;
  publish(applications: Array<{ applicationId: string; name: string; bundle: Bundle }>): SignedEnvelope;
  /** Signs with the portal's key without publishing. */
  envelope(applications: Array<{ applicationId: string; name: string; bundle: Bundle }>): SignedEnvelope;
  /** Serve these exact bytes as the current envelope (tampering tests); wakes the waiting polls. */
  publishRaw(text: string, contentHash: string): void;
  /** Drops every connection and stops listening; restart() listens again on the same port. */
  crash(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function signEnvelope(set: DeliverySet, privateKey: KeyObject, keyId = "portal-test"): SignedEnvelope {
  const payload = canonicalJson(set);
  const contentHash = `sha256:${sha256Hex(payload)}`;
  const value = sign(null, Buffer.from(payload, "utf8"), privateKey).toString("base64");
  return { text: JSON.stringify({ payload, contentHash, signature: { algorithm: "ed25519", keyId, value } }), contentHash };
}

export function deliverySet(
  applications: Array<{ applicationId: string; name: string; bundle: Bundle }>,
  target = { id: "target-1", name: "edge" },
): DeliverySet {
  return { format: DELIVERY_FORMAT, target, applications: [...applications].sort((a, b) => (a.applicationId < b.applicationId ? -1 : 1)) };
}

export async function startStandInPortal(options: { port?: number; keyPair?: { publicKey: KeyObject; privateKey: KeyObject } } = {}): Promise<StandInPortal> {
  const { publicKey, privateKey } = options.keyPair ?? generateKeyPairSync("ed25519");
  const tokens = new Set<string>(["rpt_target_token"]);
  const polls: StandInPortal["polls"] = [];
  const refusedPolls: number[] = [];
  const reports = new Map<string, ProxyStatusReport>();
  let reportTotal = 0;
  const eventBatches: SecurityEventBatch[] = [];
  const eventAnswers: StandInPortal["eventAnswers"] = [];
  const eventAttempts: string[] = [];
  let holding = false;
  const held: http.ServerResponse[] = [];
  const heldFrom: string[] = [];
  let current: SignedEnvelope | null = null;
  let waiters: Array<() => void> = [];
  const sockets = new Set<Socket>();

  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const auth = req.headers.authorization;
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : null;
    if (token === null || !tokens.has(token)) {
      if (url.pathname === "/api/v1/delivery/bundle") refusedPolls.push(performance.now());
      req.resume();
      res.writeHead(401, { "content-type": "application/problem+json" }).end('{"status":401,"code":"UNAUTHENTICATED"}');
      return;
    }
    if (req.method === "GET" && url.pathname === "/api/v1/delivery/bundle") {
      const hash = url.searchParams.get("hash");
      const wait = Math.min(Number(url.searchParams.get("wait") ?? "0") || 0, 60);
      const poll: StandInPortal["polls"][number] = { token, instance: (req.headers["x-rampart-instance"] as string | undefined) ?? null, hash, wait };
      polls.push(poll);
      const answer = (how: "immediate" | "woken") => {
        if (current !== null && current.contentHash !== hash) {
          poll.answer = how;
          res.writeHead(200, { "content-type": "application/json", etag: `"${current.contentHash}"` }).end(current.text);
          return true;
        }
        return false;
      };
      if (answer("immediate")) return;
      if (wait === 0) {
        poll.answer = "timeout";
        res.writeHead(304).end();
        return;
      }
      let timer: NodeJS.Timeout | null = null;
      const waiter = () => {
        if (timer) clearTimeout(timer);
        if (!res.writableEnded && !answer("woken")) waiters.push(waiter);
      };
      timer = setTimeout(() => {
        waiters = waiters.filter((w) => w !== waiter);
        poll.answer = "timeout";
        if (!res.writableEnded) res.writeHead(304).end();
      }, wait * 1000);
      res.on("close", () => {
        if (timer) clearTimeout(timer);
        waiters = waiters.filter((w) => w !== waiter);
      });
      waiters.push(waiter);
      return;
    }
    if (req.method === "POST" && url.pathname === "/api/v1/delivery/events") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let parsed;
        try {
          const raw = Buffer.concat(chunks);
          const text = (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
          parsed = securityEventBatchSchema.safeParse(JSON.parse(text));
        } catch {
          parsed = null;
        }
        if (parsed?.success) eventAttempts.push(parsed.data.batchId);
        const canned = eventAnswers.shift();
        if (canned) {
          res.writeHead(canned.status, canned.retryAfter !== undefined ? { "retry-after": String(canned.retryAfter) } : {}).end();
          return;
        }
        if (!parsed?.success) {
          res.writeHead(400, { "content-type": "application/problem+json" }).end(JSON.stringify({ status: 400, errors: parsed?.error.issues ?? [] }));
          return;
        }
        eventBatches.push(parsed.data);
        res.writeHead(202).end();
      });
      return;
    }
    if (req.method === "POST" && url.pathname === "/api/v1/delivery/status") {
      if (holding) {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          try {
            heldFrom.push(String((JSON.parse(Buffer.concat(chunks).toString("utf8")) as { instanceId?: unknown }).instanceId));
          } catch {
            heldFrom.push("");
          }
        });
        held.push(res);
        return;
      }
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let parsed;
        try {
          parsed = proxyStatusReportSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        } catch {
          parsed = null;
        }
        if (!parsed?.success) {
          res.writeHead(400, { "content-type": "application/problem+json" }).end(JSON.stringify({ status: 400, errors: parsed?.error.issues ?? [] }));
          return;
        }
        reportTotal++;
        reports.set(parsed.data.instanceId, parsed.data);
        res.writeHead(204).end();
      });
      return;
    }
    res.writeHead(404).end();
  });
  server.keepAliveTimeout = 65_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.removeListener("error", reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const crash = async () => {
    waiters = [];
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }) as string,
    publicKeyBase64: (publicKey.export({ format: "der", type: "spki" }) as Buffer).toString("base64"),
    tokens,
    polls,
    refusedPolls,
    reports,
    reportCount: () => reportTotal,
    eventBatches,
    eventAnswers,
    eventAttempts,
    heldReportsFrom: (instanceId) => heldFrom.filter((id) => id === instanceId).length,
    holdStatusReports(on) {
      holding = on;
      if (!on) for (const res of held.splice(0)) if (!res.writableEnded) res.writeHead(503).end();
    },
    envelope: (applications) => signEnvelope(deliverySet(applications), privateKey),
    publish(applications) {
      current = signEnvelope(deliverySet(applications), privateKey);
      wake();
      return current;
    },
    publishRaw(text, contentHash) {
      current = { text, contentHash };
      wake();
    },
    crash,
    restart: () => listen(port),
    close: crash,
  };
}
