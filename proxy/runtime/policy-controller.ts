// Keeps the policy current (traefik's configuration watcher): on a file change
// (debounced), SIGHUP or a set delivered by the portal (DeliveryAgent) it
// loads and validates the whole BundleSet off the request path, skips it when
// nothing changed, and hands it to `apply`, which compiles and swaps
// atomically or throws. A refused reload is logged and counted; the last good
// policy keeps serving. Reloads and deliveries run one at a time.

import { readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import path from "node:path";
import { loadBundleSet, type BundleSet, type PolicySource } from "../policy/load-bundle-set.js";
import type { TrustedKeys } from "../policy/parse-bundle.js";
import { PolicyLoadError } from "../policy/policy-load-error.js";
import { routeDeliverySet, type DeliveryRouting } from "../policy/route-delivery-set.js";
import type { VerifiedDelivery } from "../policy/verify-delivery-envelope.js";
import { logEvent } from "../server/decision-log.js";

export type ControllerSource =
  | { kind: "local"; source: Extract<PolicySource, { kind: "files" | "gateway" }> }
  /** Connected mode: sets arrive through applyDelivery; a routing change (gateway config edit, SIGHUP) re-routes the set in force. */
  | { kind: "delivery"; routing: DeliveryRouting }
  /** --source kubernetes: validated sets arrive through applyWatched (proxy/policy/kubernetes-source.ts). */
  | { kind: "kubernetes" };

/** The delivered set in force and the applications some route enforces. */
export interface DeliveryInForce {
  verified: VerifiedDelivery;
  served: Array<{ applicationId: string; contentHash: string }>;
}

/** refusedHash: the contentHash a refused delivered set claims (null: not a delivered set, or no readable hash). */
export type ControllerEvent = { kind: "applied" } | { kind: "refused"; reason: string; message: string; refusedHash: string | null };

export interface ControllerOptions {
  trustedKeys: TrustedKeys;
  /** Operator files whose change also warrants a reload (geo database, threat lists, secrets, certificates). */
  resourcePaths: readonly string[];
  debounceMs?: number;
}

export type ApplyBundleSet = (set: BundleSet, generation: number) => Promise<void>;

export class PolicyController {
  generation = 0;
  current: BundleSet | null = null;
  reloads = { success: 0, failure: 0 };
  lastError: string | null = null;
  loadedAt = 0;
  /** Connected mode: what the portal delivered and is in force. */
  delivery: DeliveryInForce | null = null;
  /** Told about every applied or refused policy (the delivery agent reports both to the portal). */
  onEvent: ((event: ControllerEvent) => void) | null = null;
  private appliedKey = "";
  private running: Promise<void> | null = null;
  private again = false;
  private queue: Promise<unknown> = Promise.resolve();
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly onSighup = () => this.requestReload("SIGHUP");

  constructor(
    private readonly source: ControllerSource,
    private readonly options: ControllerOptions,
    private readonly apply: ApplyBundleSet,
  ) {}

  /** The first load of a local source; failure here is fatal. (Connected mode starts through DeliveryAgent.start.) */
  async start(): Promise<void> {
    if (this.source.kind !== "local") throw new Error("a delivery source starts through its DeliveryAgent");
    await this.applySet(loadBundleSet(this.source.source, this.loadOptions()), "start");
  }

  /** --source kubernetes: compiles and swaps in a set read from the cluster; false when unchanged, throws (nothing changed) when it cannot be. */
  applyWatched(set: BundleSet, reason: string): Promise<boolean> {
    return this.exclusive(() => this.applySet(set, reason));
  }

  /** Routes, compiles and swaps in a verified delivered set; throws (nothing changed) when it cannot be. Callers report the refusal. */
  applyDelivery(verified: VerifiedDelivery, reason: string): Promise<boolean> {
    return this.exclusive(async () => {
      if (this.source.kind !== "delivery") throw new Error("not in connected mode");
      const routed = routeDeliverySet(verified.set, this.source.routing, reason);
      const applied = await this.applySet(routed.bundleSet, reason);
      // Even when the routes are unchanged (an application no route serves changed), the set in force is the new one.
      this.delivery = { verified, served: routed.served };
      this.onEvent?.({ kind: "applied" });
      return applied;
    });
  }

  /** File watching and SIGHUP (connected mode: the gateway config and operator files). */
  watch(): void {
    process.on("SIGHUP", this.onSighup);
    const files = [...(this.current?.watchFiles ?? []), ...this.options.resourcePaths.map((p) => path.resolve(p))];
    // Watch directories, not files: editors and deploy tools replace files by renaming, which ends a file watch.
    const byDirectory = new Map<string, Set<string>>();
    for (const file of files) {
      let isDirectory = false;
      try {
        isDirectory = statSync(file).isDirectory();
      } catch {
        // a file that does not exist yet may appear later
      }
      const dir = isDirectory ? file : path.dirname(file);
      const names = byDirectory.get(dir) ?? new Set<string>();
      names.add(isDirectory ? "*" : path.basename(file));
      byDirectory.set(dir, names);
    }
    for (const [dir, names] of byDirectory) {
      try {
        this.watchers.push(
          watch(dir, (_event, name) => {
            if (names.has("*") || (name !== null && names.has(name.toString()))) this.requestReload(`file ${name ?? dir}`);
          }),
        );
      } catch (error) {
        logEvent("watch-failed", { dir, message: (error as Error).message });
      }
    }
  }

  stop(): void {
    process.removeListener("SIGHUP", this.onSighup);
    for (const watcher of this.watchers) watcher.close();
    this.watchers = [];
    if (this.timer) clearTimeout(this.timer);
  }

  /** Debounced: a burst of file events (an editor writing, a deploy copying several files) is one reload. */
  requestReload(reason: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.reload(reason);
    }, this.options.debounceMs ?? 250);
  }

  /** Reloads now; concurrent calls coalesce into one more run after the current one. */
  reload(reason: string): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.reloadOnce(reason);
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private reloadOnce(reason: string): Promise<void> {
    return this.exclusive(async () => {
      try {
        if (this.source.kind === "local") {
          await this.applySet(loadBundleSet(this.source.source, this.loadOptions()), reason);
        } else if (this.source.kind === "kubernetes") {
          // An operator file changed: recompile the policy in force against it.
          if (this.current) await this.applySet(this.current, reason);
        } else if (this.delivery) {
          const routed = routeDeliverySet(this.delivery.verified.set, this.source.routing, reason);
          if (await this.applySet(routed.bundleSet, reason)) {
            this.delivery = { verified: this.delivery.verified, served: routed.served };
            this.onEvent?.({ kind: "applied" });
          }
        }
      } catch (error) {
        this.refused(reason, error);
      }
    });
  }

  /** Runs reloads and deliveries one after another, never interleaved. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Returns false when the set equals what is already in force. */
  private async applySet(set: BundleSet, reason: string): Promise<boolean> {
    const key = `${set.fingerprint}|${resourceFingerprint(this.options.resourcePaths)}`;
    if (key === this.appliedKey) {
      logEvent("reload-skipped", { reason, message: "nothing changed" });
      return false;
    }
    const generation = this.generation + 1;
    const started = performance.now();
    await this.apply(set, generation);
    this.generation = generation;
    this.current = set;
    this.appliedKey = key;
    this.loadedAt = Date.now();
    this.lastError = null;
    if (reason !== "start" && reason !== "start-from-disk") this.reloads.success++;
    logEvent("policy-applied", {
      reason,
      generation,
      ms: Math.round(performance.now() - started),
      routes: set.routes.map((r) => ({ name: r.name, upstream: r.upstream, contentHash: r.bundle.contentHash })),
      ...(set.unavailable.length > 0 ? { unavailable: set.unavailable } : {}),
    });
    return true;
  }

  /** Logs and counts a policy that was not applied (rampart_policy_reloads_total{result="failure"}). */
  refused(reason: string, error: unknown, refusedHash: string | null = null): void {
    this.reloads.failure++;
    this.lastError = error instanceof Error ? error.message : String(error);
    logEvent("reload-refused", {
      reason,
      message: "the new policy is invalid; the last good policy keeps serving",
      problems: error instanceof PolicyLoadError ? error.problems : [{ message: this.lastError }],
      ...(refusedHash !== null ? { refusedHash } : {}),
    });
    this.onEvent?.({ kind: "refused", reason, message: this.lastError, refusedHash });
  }

  private loadOptions() {
    return { now: new Date(), trustedKeys: this.options.trustedKeys };
  }
}

/** Size and modification time of every operator resource file (directories: their files). */
export function resourceFingerprint(paths: readonly string[]): string {
  const parts: string[] = [];
  for (const p of paths) {
    try {
      const stat = statSync(p);
      if (stat.isDirectory()) {
        for (const name of readdirSync(p).sort()) {
          const s = statSync(path.join(p, name));
          parts.push(`${p}/${name}:${s.size}:${s.mtimeMs}`);
        }
      } else parts.push(`${p}:${stat.size}:${stat.mtimeMs}`);
    } catch {
      parts.push(`${p}:missing`);
    }
  }
  return parts.join("|");
}
