// A serving process: holds the current snapshot, the listeners and the
// worker's metrics. apply() compiles a new snapshot off the request path and
// swaps one reference; requests already running keep the snapshot they read.

import type { AddressInfo } from "node:net";
import { newClientIpResolver } from "../middleware/client-ip/new-client-ip-resolver.js";
import type { BundleSet } from "../policy/load-bundle-set.js";
import { compileSnapshot, retireSnapshot, type Snapshot } from "../runtime/compile-snapshot.js";
import type { RuntimeOptions } from "../runtime/runtime-options.js";
import type { SamplerOptions } from "../events/decision-sampler.js";
import { DecisionLog, type DecisionSink, type EventOutlet } from "./decision-log.js";
import { createRequestHandler } from "./handle-request.js";
import { applySnapshotToServer, createHttpServer, createTlsServer, listen, type AnyServer, type ListenAddress, type Timeouts } from "./listeners.js";
import { WorkerMetrics } from "./metrics.js";
import { RotatingFileSink } from "./rotating-file-sink.js";

export interface WorkerSettings {
  runtime: RuntimeOptions;
  listen: ListenAddress[];
  listenTls: ListenAddress[];
  /** PEM contents of --tls-cert / --tls-key. */
  tls: { cert: string; key: string } | null;
  timeouts: Timeouts;
  trustedProxies: string[];
  /** "-" for stdout, else a file appended to. */
  decisionLog: string;
  /** The file's size bound (rotated to FILE.1 beyond). */
  decisionLogMaxBytes: number;
  sampling: SamplerOptions;
  /** Connected mode with events on: decisions are also sampled into security events. */
  shipEvents: boolean;
}

export class ProxyWorker {
  readonly metrics = new WorkerMetrics();
  private current: Snapshot | null = null;
  private servers: AnyServer[] = [];
  private readonly decisions: DecisionLog;
  private readonly fileSink: RotatingFileSink | null;

  constructor(
    private readonly settings: WorkerSettings,
    sink?: DecisionSink,
    outlet: EventOutlet | null = null,
  ) {
    this.fileSink = sink === undefined && settings.decisionLog !== "-" ? new RotatingFileSink(settings.decisionLog, settings.decisionLogMaxBytes) : null;
    this.decisions = new DecisionLog(sink ?? this.fileSink ?? process.stdout, settings.sampling, outlet);
  }

  /** Writes pending decision lines now. */
  flushDecisions(): void {
    this.decisions.flush();
  }

  get snapshot(): Snapshot | null {
    return this.current;
  }

  /** Compiles and swaps; throws (leaving the current snapshot in force) when the set cannot be compiled. */
  apply(set: BundleSet, generation: number): void {
    const next = compileSnapshot(set, this.settings.runtime, generation);
    const previous = this.current;
    this.current = next;
    for (const server of this.servers) applySnapshotToServer(server, next);
    this.metrics.generation = generation;
    this.metrics.loadedAt = next.loadedAt;
    this.metrics.policies = next.routes.map((r) => ({ route: r.name, contentHash: r.bundle.contentHash }));
    if (previous) retireSnapshot(previous);
  }

  async start(): Promise<void> {
    const initial = this.current;
    if (!initial) throw new Error("start() before a policy was applied");
    const { handle, handleExpectContinue } = createRequestHandler({
      snapshot: () => this.current!,
      clientIp: newClientIpResolver(this.settings.trustedProxies),
      metrics: this.metrics,
      decisions: this.decisions,
      options: this.settings.runtime,
      idPrefix: `${process.pid.toString(36)}-`,
    });
    const deps = {
      snapshot: () => this.current!,
      handle,
      handleExpectContinue,
      decisions: this.decisions,
      metrics: this.metrics,
      timeouts: this.settings.timeouts,
      // Node's parser bound: the largest head any route allows, plus the request line; the policy's own limits apply on top.
      maxHeaderSize: Math.max(16 * 1024, initial.maxHeaderBytes + initial.maxUrlBytes + 1024),
    };
    for (const address of this.settings.listen) {
      const server = createHttpServer(deps);
      await listen(server, address);
      this.servers.push(server);
    }
    const files = this.settings.tls ? { cert: Buffer.from(this.settings.tls.cert), key: Buffer.from(this.settings.tls.key) } : null;
    for (const address of this.settings.listenTls) {
      const server = createTlsServer(deps, files);
      await listen(server, address);
      this.servers.push(server);
    }
  }

  /** Bound addresses, in listen order (plain first, then TLS): useful with port 0. */
  addresses(): Array<{ host: string; port: number; tls: boolean }> {
    return this.servers.map((server, i) => {
      const a = server.address() as AddressInfo;
      return { host: a.address, port: a.port, tls: i >= this.settings.listen.length };
    });
  }

  /** Stops accepting, lets in-flight requests finish (up to graceMs), then closes what is left. */
  async stop(graceMs = 10_000): Promise<void> {
    const closing = this.servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ("closeIdleConnections" in server) (server as import("node:http").Server).closeIdleConnections();
        }),
    );
    const timer = setTimeout(() => {
      for (const server of this.servers) if ("closeAllConnections" in server) (server as import("node:http").Server).closeAllConnections();
    }, graceMs);
    await Promise.all(closing);
    clearTimeout(timer);
    this.decisions.close();
    this.fileSink?.close();
    if (this.current) retireSnapshot(this.current);
  }
}
