// Keeps the policy current (traefik's configuration watcher): on a file change
// (debounced), SIGHUP or a portal poll it loads and validates the whole
// BundleSet off the request path, skips it when nothing changed, and hands it
// to `apply`, which compiles and swaps atomically or throws. A refused reload
// is logged and counted; the last good policy keeps serving.

import { readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import path from "node:path";
import { loadBundleSet, type BundleSet, type PolicySource } from "../policy/load-bundle-set.js";
import type { TrustedKeys } from "../policy/parse-bundle.js";
import { PolicyLoadError } from "../policy/policy-load-error.js";
import type { PortalClient } from "../policy/portal-client.js";
import { logEvent } from "../server/decision-log.js";

export type ControllerSource =
  | { kind: "local"; source: Extract<PolicySource, { kind: "files" | "gateway" }> }
  | { kind: "portal"; client: PortalClient; upstream: string; pollIntervalMs: number };

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
  private appliedKey = "";
  private running: Promise<void> | null = null;
  private again = false;
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private pollBackoffMs = 0;
  private readonly onSighup = () => this.requestReload("SIGHUP");

  constructor(
    private readonly source: ControllerSource,
    private readonly options: ControllerOptions,
    private readonly apply: ApplyBundleSet,
  ) {}

  /** The first load: failure here is fatal for a local source; a portal source falls back to the last good bundle on disk. */
  async start(): Promise<void> {
    if (this.source.kind === "local") {
      await this.applySet(loadBundleSet(this.source.source, this.loadOptions()), "start");
      return;
    }
    const { client, upstream } = this.source;
    try {
      const fetched = await client.fetchBundle();
      if (fetched.kind !== "bundle") throw new Error("portal answered 304 without a cached bundle");
      const set = loadBundleSet({ kind: "bundle-text", text: fetched.text, source: "portal", upstream, requireSignature: this.options.trustedKeys.size > 0 }, this.loadOptions());
      await this.applySet(set, "start");
      client.accepted(fetched.text, fetched.etag);
    } catch (error) {
      const text = client.lastGood();
      if (text === null) throw new Error(`cannot load a bundle from the portal (${(error as Error).message}) and there is no last good bundle in ${client.lastGoodFile}`);
      logEvent("portal-unavailable", { message: (error as Error).message, servingFrom: client.lastGoodFile });
      const set = loadBundleSet({ kind: "bundle-text", text, source: client.lastGoodFile, upstream, requireSignature: this.options.trustedKeys.size > 0 }, this.loadOptions());
      await this.applySet(set, "start-from-disk");
    }
  }

  /** File watching, SIGHUP and (connected mode) polling. */
  watch(): void {
    process.on("SIGHUP", this.onSighup);
    if (this.source.kind === "portal") {
      this.schedulePoll(this.source.pollIntervalMs);
      return;
    }
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
    if (this.pollTimer) clearTimeout(this.pollTimer);
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

  private async reloadOnce(reason: string): Promise<void> {
    if (this.source.kind === "portal") {
      await this.pollOnce();
      return;
    }
    try {
      const set = loadBundleSet(this.source.source, this.loadOptions());
      await this.applySet(set, reason);
    } catch (error) {
      this.refused(reason, error);
    }
  }

  /** False when the portal could not be reached (a refused bundle still counts as reached). Never throws. */
  private async pollOnce(): Promise<boolean> {
    if (this.source.kind !== "portal") return true;
    const { client, upstream } = this.source;
    let fetched;
    try {
      fetched = await client.fetchBundle();
    } catch (error) {
      logEvent("portal-poll-failed", { message: (error as Error).message });
      return false;
    }
    if (fetched.kind === "not-modified") return true;
    try {
      const set = loadBundleSet({ kind: "bundle-text", text: fetched.text, source: "portal", upstream, requireSignature: this.options.trustedKeys.size > 0 }, this.loadOptions());
      const applied = await this.applySet(set, "portal");
      if (applied) client.accepted(fetched.text, fetched.etag);
    } catch (error) {
      this.refused("portal", error);
    }
    return true;
  }

  private schedulePoll(delayMs: number): void {
    if (this.source.kind !== "portal") return;
    const interval = this.source.pollIntervalMs;
    this.pollTimer = setTimeout(() => {
      void this.pollOnce().then((reached) => {
        if (reached) {
          this.pollBackoffMs = 0;
          this.schedulePoll(interval);
        } else {
          // Back off while the portal is down; the last good bundle keeps serving.
          this.pollBackoffMs = Math.min(Math.max(interval * 2, this.pollBackoffMs * 2), 300_000);
          this.schedulePoll(this.pollBackoffMs);
        }
      });
    }, delayMs);
    this.pollTimer.unref();
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
    });
    return true;
  }

  private refused(reason: string, error: unknown): void {
    this.reloads.failure++;
    this.lastError = error instanceof Error ? error.message : String(error);
    logEvent("reload-refused", {
      reason,
      message: "the new policy is invalid; the last good policy keeps serving",
      problems: error instanceof PolicyLoadError ? error.problems : [{ message: this.lastError }],
    });
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
