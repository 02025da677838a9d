// Process roles. One worker: everything in this process. Several (node:cluster):
// the primary loads, validates and trial-compiles every policy, serves the
// admin endpoints and watches for changes; workers compile the validated set
// themselves (objects cannot cross processes) and serve traffic on the shared
// ports. A worker that dies is replaced with the policy in force.

import cluster, { type Worker } from "node:cluster";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ProxyOptions } from "../config/cli-options.js";
import type { BundleSet } from "../policy/load-bundle-set.js";
import { loadTrustedKeys, type TrustedKeys } from "../policy/parse-bundle.js";
import {
  answerRateTake,
  primaryRateLimitStore,
  setRateLimitStore,
  type RateResultMessage,
  type RateTakeMessage,
} from "../middleware/rate-limit/rate-limit-store.js";
import { TokenBuckets } from "../middleware/rate-limit/token-buckets.js";
import { DeliveryClient } from "../policy/delivery-client.js";
import { DeliveryState } from "../policy/delivery-state.js";
import { loadPortalKeys } from "../policy/verify-delivery-envelope.js";
import { compileSnapshot, retireSnapshot } from "../runtime/compile-snapshot.js";
import { DeliveryAgent, type DeliveryAgentOptions, type StatusCounters } from "../runtime/delivery-agent.js";
import { PolicyController, type ControllerSource } from "../runtime/policy-controller.js";
import type { KubernetesPolicySource, KubernetesSourceOverrides } from "../policy/kubernetes-source.js";
import type { RuntimeOptions } from "../runtime/runtime-options.js";
import { EventShipper, type EventShipperOptions } from "../events/event-shipper.js";
import { ForwardingOutlet, type ForwardedEvents } from "../events/forwarding-outlet.js";
import { createAdminServer, probeUpstream } from "./admin-server.js";
import { DEFAULT_SAMPLING, logEvent, type DecisionSink } from "./decision-log.js";
import { listen } from "./listeners.js";
import { mergeMetrics, renderPrometheus, type MetricsData } from "./metrics.js";
import { ProxyWorker, type WorkerSettings } from "./proxy-worker.js";

type ToWorker =
  | { type: "init"; settings: WorkerSettings; set: BundleSet; generation: number }
  | { type: "apply"; set: BundleSet; generation: number }
  | { type: "metrics"; id: number }
  | RateResultMessage
  | { type: "stop" };
type FromWorker =
  | { type: "hello" }
  | { type: "ready"; generation: number }
  | { type: "applied"; generation: number }
  | { type: "apply-failed"; generation: number; message: string }
  | { type: "metrics"; id: number; data: MetricsData }
  | ForwardedEvents
  | RateTakeMessage;

export function workerSettings(options: ProxyOptions): WorkerSettings {
  const runtime: RuntimeOptions = {
    maxInspectBytes: options["inspect-bytes"],
    tokenCookie: options["token-cookie"] ?? null,
    jwks: {
      timeoutMs: 5000,
      maxBytes: 256 * 1024,
      ttlMs: 300_000,
      minRefreshIntervalMs: 30_000,
      extraCa: options["jwks-ca"].map((f) => readFileSync(f, "utf8")),
    },
    secretsDir: options["secrets-dir"] ?? null,
    threatIntelDir: options["threat-intel-dir"] ?? null,
    geoDb: options["geo-db"] ?? null,
    upstream: {
      connectTimeoutMs: options["upstream-connect-timeout"],
      responseTimeoutMs: options["upstream-timeout"],
      maxSocketsPerUpstream: options["upstream-max-sockets"],
      idleTimeoutMs: options["upstream-idle-timeout"],
    },
  };
  return {
    runtime,
    listen: options.listen,
    listenTls: options["listen-tls"],
    tls: options["tls-cert"] ? { cert: readFileSync(options["tls-cert"], "utf8"), key: readFileSync(options["tls-key"]!, "utf8") } : null,
    timeouts: {
      headersMs: options["header-timeout"],
      requestMs: options["request-timeout"],
      keepAliveMs: options["keepalive-timeout"],
      idleMs: options["idle-timeout"],
    },
    trustedProxies: options["trusted-proxy"],
    decisionLog: options["decision-log"],
    decisionLogMaxBytes: options["decision-log-max-bytes"],
    sampling: { perInterval: options["decision-sample"], intervalMs: options["decision-interval"] * 1000, maxKeys: DEFAULT_SAMPLING.maxKeys },
    shipEvents: options.portal !== undefined && options.events === "on",
  };
}

function controllerSource(options: ProxyOptions): ControllerSource {
  if (options.source === "kubernetes") return { kind: "kubernetes" };
  if (options.portal !== undefined) {
    return {
      kind: "delivery",
      routing:
        options.config !== undefined
          ? { kind: "gateway", configFile: options.config }
          : { kind: "microgateway", upstream: options.upstream!, application: options.application ?? null },
    };
  }
  if (options.config !== undefined) return { kind: "local", source: { kind: "gateway", configFile: options.config } };
  return { kind: "local", source: { kind: "files", files: options.policy, upstream: options.upstream! } };
}

/** --source kubernetes: loaded only then, since it brings @kubernetes/client-node; the first policy is in force when it resolves. */
async function startKubernetes(
  options: ProxyOptions,
  controller: PolicyController,
  overrides?: KubernetesSourceOverrides,
): Promise<KubernetesPolicySource | null> {
  if (options.source !== "kubernetes") return null;
  const { startKubernetesSource } = await import("../policy/kubernetes-source.js");
  return startKubernetesSource(options, controller, overrides);
}

/** Test and benchmark knobs of the delivery agent (the CLI uses the defaults). */
export type DeliveryOverrides = Partial<Pick<DeliveryAgentOptions, "random" | "backoff" | "unauthorizedRetryMs" | "finalReportMs">>;

/** Connected mode's one portal client and this instance's id, shared by the delivery agent and event shipping. */
interface PortalConnection {
  client: DeliveryClient;
  instanceId: string;
}

function portalConnection(options: ProxyOptions): PortalConnection | null {
  if (options.portal === undefined) return null;
  const token = options.token ?? readFileSync(options["token-file"]!, "utf8").trim();
  const instanceId = options["instance-id"] ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  return {
    client: new DeliveryClient({
      portalUrl: options.portal,
      token,
      instanceId,
      extraCa: options["portal-ca"] ? readFileSync(options["portal-ca"], "utf8") : null,
    }),
    instanceId,
  };
}

/** Connected mode with --events on: security events go to the portal from this process. */
function createEventShipper(options: ProxyOptions, connection: PortalConnection | null, overrides: Partial<EventShipperOptions> = {}): EventShipper | null {
  if (connection === null || options.events !== "on") return null;
  return new EventShipper({
    transport: connection.client,
    instanceId: connection.instanceId,
    queueCapacity: options["event-queue"],
    log: logEvent,
    ...overrides,
  });
}

/** Connected mode: the portal client, the pinned keys, the state on disk and this instance's identity. */
function createDeliveryAgent(
  options: ProxyOptions,
  connection: PortalConnection,
  controller: PolicyController,
  counters: () => Promise<StatusCounters>,
  overrides: DeliveryOverrides = {},
): DeliveryAgent {
  const instanceId = connection.instanceId;
  return new DeliveryAgent({
    transport: connection.client,
    keys: loadPortalKeys(options["portal-key"]),
    state: new DeliveryState(options["state-dir"]),
    controller,
    identity: {
      instanceId,
      hostname: os.hostname().slice(0, 255),
      mode: options.config !== undefined ? "gateway" : "microgateway",
      proxyVersion: proxyVersion(),
      startedAt: new Date(),
    },
    counters,
    waitSeconds: options["poll-wait"],
    heartbeatMs: options["heartbeat-interval"] * 1000,
    ...overrides,
  });
}

function proxyVersion(): string | null {
  try {
    const pkg = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version.slice(0, 100) : null;
  } catch {
    return null;
  }
}

/** The status report's counters, summed over workers. */
export function statusCounters(parts: readonly MetricsData[]): StatusCounters {
  const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
  let requests = 0;
  let blocked = 0;
  let upstreamErrors = 0;
  for (const part of parts) {
    requests += sum(part.requests);
    blocked += sum(part.blocks);
    upstreamErrors += sum(part.upstreamErrors);
  }
  return { requests, blocked, upstreamErrors };
}

function resourcePaths(options: ProxyOptions): string[] {
  return [options["geo-db"], options["threat-intel-dir"], options["secrets-dir"]].filter((p): p is string => p !== undefined);
}

/** Validates and compiles once without serving: --validate, and the primary's check before workers see a set. */
export function trialCompile(set: BundleSet, settings: WorkerSettings): void {
  retireSnapshot(compileSnapshot(set, settings.runtime, 0));
}

export interface RunningProxy {
  worker: ProxyWorker | null;
  controller: PolicyController;
  /** Connected mode only. */
  agent: DeliveryAgent | null;
  /** Connected mode with --events on. */
  events: EventShipper | null;
  adminPort: number | null;
  stop(): Promise<void>;
}

/** Everything in this process (--workers 1, and the tests). */
export async function runSingle(
  options: ProxyOptions,
  overrides: { decisionSink?: DecisionSink; delivery?: DeliveryOverrides; kubernetes?: KubernetesSourceOverrides; events?: Partial<EventShipperOptions> } = {},
): Promise<RunningProxy> {
  const settings = workerSettings(options);
  const connection = portalConnection(options);
  const shipper = createEventShipper(options, connection, overrides.events);
  const worker = new ProxyWorker(settings, overrides.decisionSink, shipper);
  const controller = new PolicyController(
    controllerSource(options),
    { trustedKeys: loadTrustedKeys(options["trusted-key"]), resourcePaths: resourcePaths(options) },
    async (set, generation) => {
      worker.apply(set, generation);
    },
  );
  const agent =
    connection !== null ? createDeliveryAgent(options, connection, controller, async () => statusCounters([worker.metrics.data()]), overrides.delivery) : null;
  const kube = await startKubernetes(options, controller, overrides.kubernetes);
  if (agent) await agent.start();
  else if (!kube) await controller.start();
  await worker.start();
  controller.watch();
  agent?.run();
  kube?.run();
  shipper?.start();
  const admin = options["admin-listen"]
    ? await startAdmin(
        options,
        controller,
        async () => [worker.metrics.data()],
        async () => (worker.snapshot ? null : "no policy loaded"),
      )
    : null;
  logEvent("started", { mode: "single", listen: worker.addresses(), admin: options["admin-listen"] ?? null });
  return {
    worker,
    controller,
    agent,
    events: shipper,
    adminPort: admin ? (admin.address() as import("node:net").AddressInfo).port : null,
    async stop() {
      controller.stop();
      await agent?.stop();
      await kube?.stop();
      admin?.close();
      await worker.stop(2000);
      await shipper?.stop(2000);
    },
  };
}

async function startAdmin(
  options: ProxyOptions,
  controller: PolicyController,
  workerMetrics: () => Promise<MetricsData[]>,
  workersNotReady: () => Promise<string | null>,
) {
  const server = createAdminServer({
    async notReady() {
      if (controller.generation === 0 || controller.current === null) return "no valid policy loaded";
      const workers = await workersNotReady();
      if (workers) return workers;
      for (const route of controller.current.routes) {
        const error = await probeUpstream(route.upstream);
        if (error) return error;
      }
      return null;
    },
    async metrics() {
      const merged = mergeMetrics(await workerMetrics(), {
        reloads: controller.reloads,
        policies: (controller.current?.routes ?? []).map((r) => ({ route: r.name, contentHash: r.bundle.contentHash })),
        generation: controller.generation,
        loadedAt: controller.loadedAt,
      });
      return renderPrometheus(merged);
    },
  });
  await listen(server, options["admin-listen"]!);
  return server;
}

/** Cluster primary: policy, admin, supervision. */
export async function runPrimary(options: ProxyOptions): Promise<void> {
  const settings = workerSettings(options);
  const workers = new Map<number, { worker: Worker; generation: number; ready: boolean }>();
  const waiting = new Map<number, { resolve: (data: MetricsData | null) => void }>();
  let metricsId = 0;
  let applied: { set: BundleSet; generation: number } | null = null;
  let stopping = false;
  // The instance's rate-limit buckets: workers take tokens here, so a limit does not multiply with --workers.
  const rateBuckets = new TokenBuckets();
  let shipper: EventShipper | null = null;

  const spawn = (): void => {
    const worker = cluster.fork({ RAMPART_PROXY_WORKER: "1" });
    workers.set(worker.id, { worker, generation: 0, ready: false });
    worker.on("message", (message: FromWorker) => {
      const entry = workers.get(worker.id);
      if (!entry) return;
      if (message.type === "hello") {
        // Sent once the worker listens for messages (anything sent before would be lost).
        if (applied) worker.send({ type: "init", settings, set: applied.set, generation: applied.generation } satisfies ToWorker);
      } else if (message.type === "ready" || message.type === "applied") {
        entry.generation = message.generation;
        entry.ready = true;
        acks.get(message.generation)?.(worker.id, null);
      } else if (message.type === "apply-failed") {
        acks.get(message.generation)?.(worker.id, message.message);
      } else if (message.type === "metrics") {
        waiting.get(message.id)?.resolve(message.data);
      } else if (message.type === "rate-take") {
        worker.send(answerRateTake(rateBuckets, message, Date.now()) satisfies ToWorker);
      } else if (message.type === "events") {
        shipper?.offer(message.events, message.counters, message.dropped);
      }
    });
    worker.on("exit", (code, signal) => {
      workers.delete(worker.id);
      if (!stopping) {
        logEvent("worker-exited", { code, signal, replacing: true });
        setTimeout(spawn, 500);
      }
    });
  };

  // generation → callback per worker ack
  const acks = new Map<number, (workerId: number, error: string | null) => void>();
  const broadcast = (set: BundleSet, generation: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const pending = new Set([...workers.keys()]);
      const errors: string[] = [];
      const timer = setTimeout(() => {
        acks.delete(generation);
        if (errors.length > 0) reject(new Error(errors.join("; ")));
        else resolve();
      }, 60_000);
      acks.set(generation, (workerId, error) => {
        if (error) errors.push(error);
        pending.delete(workerId);
        if (pending.size === 0) {
          clearTimeout(timer);
          acks.delete(generation);
          if (errors.length > 0) reject(new Error(`a worker refused the policy: ${errors.join("; ")}`));
          else resolve();
        }
      });
      for (const { worker } of workers.values()) worker.send({ type: "apply", set, generation } satisfies ToWorker);
      if (pending.size === 0) {
        clearTimeout(timer);
        resolve();
      }
    });

  const controller = new PolicyController(
    controllerSource(options),
    { trustedKeys: loadTrustedKeys(options["trusted-key"]), resourcePaths: resourcePaths(options) },
    async (set, generation) => {
      trialCompile(set, settings); // throws on anything a worker would refuse
      const first = applied === null;
      applied = { set, generation };
      if (!first) await broadcast(set, generation);
    },
  );
  // Defined before the delivery agent: agent.start() sends the first heartbeat, which sums the workers' counters.
  const collect = (): Promise<MetricsData[]> =>
    Promise.all(
      [...workers.values()].map(
        ({ worker }) =>
          new Promise<MetricsData | null>((resolve) => {
            const id = ++metricsId;
            const timer = setTimeout(() => {
              waiting.delete(id);
              resolve(null);
            }, 1000);
            waiting.set(id, {
              resolve: (data) => {
                clearTimeout(timer);
                waiting.delete(id);
                resolve(data);
              },
            });
            worker.send({ type: "metrics", id } satisfies ToWorker);
          }),
      ),
    ).then((list) => list.filter((d): d is MetricsData => d !== null));
  // The primary owns the portal connection; the report's counters are the workers' summed.
  const connection = portalConnection(options);
  const agent = connection !== null ? createDeliveryAgent(options, connection, controller, async () => statusCounters(await collect())) : null;
  // Workers sample their decisions and forward the events once a second; the primary ships them.
  shipper = createEventShipper(options, connection);
  shipper?.start();
  const kube = await startKubernetes(options, controller);
  if (agent) await agent.start();
  else if (!kube) await controller.start();
  for (let i = 0; i < options.workers; i++) spawn();
  controller.watch();

  agent?.run();
  kube?.run();

  if (options["admin-listen"]) {
    await startAdmin(options, controller, collect, async () => {
      const list = [...workers.values()];
      if (list.length < options.workers) return `${list.length}/${options.workers} workers running`;
      const behind = list.filter((w) => !w.ready || w.generation !== controller.generation);
      return behind.length > 0 ? `${behind.length} worker(s) not on policy generation ${controller.generation}` : null;
    });
  }
  logEvent("started", {
    mode: "cluster",
    workers: options.workers,
    listen: [...settings.listen, ...settings.listenTls],
    admin: options["admin-listen"] ?? null,
  });

  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logEvent("stopping", { signal });
    controller.stop();
    void agent?.stop();
    void kube?.stop();
    void shipper?.stop(5000);
    for (const { worker } of workers.values()) worker.send({ type: "stop" } satisfies ToWorker);
    setTimeout(() => process.exit(0), 12_000).unref();
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

/** Cluster worker: waits for its settings and policy from the primary. */
export function runWorker(): void {
  let worker: ProxyWorker | null = null;
  const rateLimits = primaryRateLimitStore((message) => process.send?.(message satisfies FromWorker), {
    onFallback: (count) =>
      logEvent("rate-limit-fallback", { requests: count, reason: "the primary did not answer in time; decided from this worker's own buckets" }),
  });
  setRateLimitStore(rateLimits);
  process.on("message", (message: ToWorker) => {
    if (message.type === "rate-result") {
      rateLimits.receive(message);
    } else if (message.type === "init") {
      try {
        const outlet = message.settings.shipEvents ? new ForwardingOutlet((events) => process.send?.(events satisfies FromWorker)) : null;
        worker = new ProxyWorker(message.settings, undefined, outlet);
        worker.apply(message.set, message.generation);
        worker.start().then(
          () => process.send?.({ type: "ready", generation: message.generation } satisfies FromWorker),
          (error: unknown) => {
            logEvent("worker-start-failed", { message: (error as Error).message });
            process.exit(1);
          },
        );
      } catch (error) {
        logEvent("worker-start-failed", { message: (error as Error).message });
        process.exit(1);
      }
    } else if (message.type === "apply" && worker) {
      try {
        worker.apply(message.set, message.generation);
        process.send?.({ type: "applied", generation: message.generation } satisfies FromWorker);
      } catch (error) {
        process.send?.({ type: "apply-failed", generation: message.generation, message: (error as Error).message } satisfies FromWorker);
      }
    } else if (message.type === "metrics" && worker) {
      process.send?.({ type: "metrics", id: message.id, data: worker.metrics.data() } satisfies FromWorker);
    } else if (message.type === "stop") {
      void (worker?.stop(10_000) ?? Promise.resolve()).then(() => process.exit(0));
    }
  });
  // The primary handles signals; a worker ignores the terminal's SIGINT so it can drain when told.
  process.on("SIGINT", () => undefined);
  process.on("SIGHUP", () => undefined);
  process.send?.({ type: "hello" } satisfies FromWorker);
}

export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env.RAMPART_PROXY_WORKER === "1";
}

export type { TrustedKeys };
