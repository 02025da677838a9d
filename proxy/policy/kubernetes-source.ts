// --source kubernetes: the policy is a RampartPolicy custom resource
// (rampart.dev/v1alpha1, namespaced). Its spec.bundle is a compiled bundle,
// checked here exactly like a bundle file (bundleSchema, then the content
// hash recomputed): the API server's CRD schema is a first line, not the only
// one. An invalid bundle is refused and logged; the last good one keeps
// serving (fail closed: never a weaker or half-read policy).
//
// - start: list the resource; without a valid one the proxy does not start
//   (there is nothing safe to enforce) — Kubernetes restarts the pod.
// - run: watch from the list's resourceVersion. A watch the server ends
//   normally (timeoutSeconds) is resumed from the last resourceVersion seen;
//   a failed one (API server restart, network, 410 Expired) is retried after
//   a full-jitter backoff with a fresh list first, so nothing that changed
//   while it was down is missed (client-go's reflector does the same).
// - status: the outcome is written to the resource's status subresource
//   (observedHash = the bundle in force, condition Enforced True/False with
//   the reason), so `kubectl get rpol` and the portal see what proxies run.
//   Only spec changes (metadata.generation) are acted on, so the proxy's own
//   status writes do not wake it; a failed status write never touches traffic.
//
// Why not @kubernetes/client-node's informer (makeInformer / ListWatch, 2.0.1): it
// resumes from the last resourceVersion and relists on 410 as this does, but (1) a
// failed watch (API server restart, refused or reset connection) emits ERROR and stops
// for good, and start() again resumes from the old resourceVersion without the fresh
// list that catches what changed while it was down; (2) its reconnect delay is a fixed
// doubling from 1 s (a static, no jitter, nothing to inject), where proxies back off
// with full jitter (runtime/backoff.ts) and tests inject a short one; (3) it sends no
// timeoutSeconds, so the server never ends a watch and resuming after a normal end
// is only reached through the client's 30 s idle timeout. Each is a behaviour
// tests/integration/kubernetes/proxy-kubernetes-source.test.ts checks (backoff and a
// relist after the API server goes down, resuming from a BOOKMARK's resourceVersion
// when the server ends the watch), so the informer would need this file's retry loop
// around it anyway; one object is watched, and its list + watch is this file.

import "@/lib/policy-spec/node20-compat";
import { CustomObjectsApi, KubeConfig, Watch } from "@kubernetes/client-node";
import { restoreBundleNulls } from "@/lib/policy-spec";
import { fullJitterDelay, type BackoffOptions } from "../runtime/backoff.js";
import { logEvent } from "../server/decision-log.js";
import { bundleSetOf, type BundleSet } from "./load-bundle-set.js";
import { parseBundle } from "./parse-bundle.js";
import { failLoad } from "./policy-load-error.js";

export const RAMPART_POLICY_GROUP = "rampart.dev";
export const RAMPART_POLICY_VERSION = "v1alpha1";
export const RAMPART_POLICY_PLURAL = "rampartpolicies";

export interface KubernetesSourceOptions {
  namespace: string;
  name: string;
  upstream: string;
  /** --kubeconfig; null: in-cluster (service-account token and CA under /var/run/secrets/kubernetes.io/serviceaccount). */
  kubeconfigFile: string | null;
  /** Compiles and swaps a validated set; resolves false when it equals the one in force, throws when it cannot be compiled. */
  apply(set: BundleSet, reason: string): Promise<boolean>;
  /** Logs and counts a refused policy (the controller's refused()). */
  refused(reason: string, error: unknown): void;
  backoff?: BackoffOptions;
  /** Seconds the API server keeps one watch open (client-node gives up on a silent watch after 30 s). */
  watchTimeoutSeconds?: number;
  random?: () => number;
  /** Tests: a KubeConfig prepared in memory instead of kubeconfigFile / in-cluster. */
  kubeConfig?: KubeConfig;
  /** Write status.observedHash and the Enforced condition (default true; needs patch on rampartpolicies/status). */
  reportStatus?: boolean;
}

export const STATUS_FIELD_MANAGER = "rampart-proxy";

type Json = Record<string, unknown>;

/** A RampartPolicy object → the one-route BundleSet the proxy enforces; throws PolicyLoadError naming the field. */
export function bundleSetFromPolicyResource(object: unknown, upstream: string, origin: string): BundleSet {
  const record = (object ?? {}) as Json;
  if (record.kind !== "RampartPolicy") failLoad(origin, `expected a RampartPolicy, got ${String(record.kind)}`, "$.kind");
  const spec = record.spec as Json | undefined;
  if (spec === null || typeof spec !== "object") failLoad(origin, "the resource has no spec", "$.spec");
  if (spec.bundle === undefined) failLoad(origin, "spec.bundle is missing", "$.spec.bundle");
  // The resource carries the bundle without the nulls of nullable fields (Kubernetes tools drop them).
  const bundle = parseBundle(restoreBundleNulls(spec.bundle), `${origin} spec.bundle`);
  return bundleSetOf([{ name: "default", host: null, pathPrefix: "/", upstream, bundle }], []);
}

/** --kubeconfig FILE, or in-cluster: KUBERNETES_SERVICE_HOST/PORT and the service account's token and CA (under `root`, tests only). */
export function loadKubeConfig(file: string | null, root = ""): KubeConfig {
  const config = new KubeConfig();
  if (file) config.loadFromFile(file);
  else {
    if (!process.env.KUBERNETES_SERVICE_HOST) throw new Error("not running in a cluster (KUBERNETES_SERVICE_HOST is unset) and no --kubeconfig given");
    config.loadFromCluster(root);
  }
  if (!config.getCurrentCluster()) throw new Error(`${file ?? "in-cluster config"}: no current cluster`);
  return config;
}

export class KubernetesPolicySource {
  /** Failed list/watch attempts in a row (0 while the watch runs). */
  failures = 0;
  private readonly config: KubeConfig;
  private readonly api: CustomObjectsApi;
  private readonly origin: string;
  private resourceVersion = "";
  /** The resourceVersion last applied or refused: a relist that finds the same object does nothing (and does not log a refusal twice). */
  private handledVersion = "";
  private handledGeneration: number | null = null;
  /** contentHash of the bundle in force. */
  private enforcedHash: string | null = null;
  private lastReport = "";
  private statusFailing = false;
  private stopped = false;
  private abort: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: KubernetesSourceOptions) {
    this.config = options.kubeConfig ?? loadKubeConfig(options.kubeconfigFile);
    this.api = this.config.makeApiClient(CustomObjectsApi);
    this.origin = `rampartpolicy ${options.namespace}/${options.name}`;
  }

  get path(): string {
    return `/apis/${RAMPART_POLICY_GROUP}/${RAMPART_POLICY_VERSION}/namespaces/${encodeURIComponent(this.options.namespace)}/${RAMPART_POLICY_PLURAL}`;
  }

  /** The first policy; throws when the resource cannot be read or is invalid. */
  async start(): Promise<void> {
    const object = await this.list();
    if (object === null) throw new Error(`${this.origin} does not exist (the proxy enforces nothing until it does)`);
    this.handledVersion = versionOf(object);
    this.handledGeneration = generationOf(object);
    let set: BundleSet;
    try {
      set = bundleSetFromPolicyResource(object, this.options.upstream, this.origin);
      await this.options.apply(set, "start");
    } catch (error) {
      await this.report(object, false, describeRefusal(error));
      throw error;
    }
    this.enforcedHash = set.routes[0]!.bundle.contentHash;
    await this.report(object, true, "the bundle is enforced");
  }

  /** Watches until stop(). */
  run(): void {
    this.watch();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.abort?.abort();
    await this.running;
  }

  /** The resource now (null: not there), remembering the list's resourceVersion to watch from. */
  private async list(): Promise<Json | null> {
    const list = (await this.api.listNamespacedCustomObject({
      group: RAMPART_POLICY_GROUP,
      version: RAMPART_POLICY_VERSION,
      namespace: this.options.namespace,
      plural: RAMPART_POLICY_PLURAL,
      fieldSelector: `metadata.name=${this.options.name}`,
    })) as { metadata?: { resourceVersion?: string }; items?: Json[] };
    this.resourceVersion = list.metadata?.resourceVersion ?? "";
    return list.items?.find((item) => (item.metadata as Json | undefined)?.name === this.options.name) ?? null;
  }

  /** Validates and applies one version of the resource; a refusal is logged and the last good policy stays. */
  private async receive(object: Json, reason: string): Promise<void> {
    const version = versionOf(object);
    const generation = generationOf(object);
    this.running = this.running.then(async () => {
      if (version !== "" && version === this.handledVersion) return;
      this.handledVersion = version;
      // A status-only change (our own report, or another replica's) leaves metadata.generation alone.
      if (generation !== null && generation === this.handledGeneration) return;
      this.handledGeneration = generation;
      try {
        const set = bundleSetFromPolicyResource(object, this.options.upstream, this.origin);
        await this.options.apply(set, reason);
        this.enforcedHash = set.routes[0]!.bundle.contentHash;
        await this.report(object, true, "the bundle is enforced");
      } catch (error) {
        this.options.refused(reason, error);
        await this.report(object, false, describeRefusal(error));
      }
    });
    await this.running;
  }

  private watch(): void {
    if (this.stopped) return;
    let expired = false;
    let sawEvent = false;
    const watch = new Watch(this.config);
    const started = watch.watch(
      this.path,
      {
        fieldSelector: `metadata.name=${this.options.name}`,
        resourceVersion: this.resourceVersion || undefined,
        allowWatchBookmarks: true,
        timeoutSeconds: this.options.watchTimeoutSeconds ?? 25,
      },
      (type: string, object: Json) => {
        sawEvent = true;
        if (type === "ERROR") {
          // 410 Expired: the resourceVersion is older than the server keeps; list again.
          expired = (object as { code?: number }).code === 410;
          logEvent("kubernetes-watch-error", {
            resource: this.origin,
            code: (object as { code?: number }).code ?? null,
            message: (object as { message?: string }).message ?? null,
          });
          return;
        }
        this.failures = 0;
        const version = versionOf(object);
        if (version) this.resourceVersion = version;
        if (type === "ADDED" || type === "MODIFIED") void this.receive(object, "kubernetes");
        else if (type === "DELETED")
          logEvent("kubernetes-policy-deleted", { resource: this.origin, message: "the RampartPolicy was deleted; the last good policy keeps serving" });
      },
      (error: unknown) => {
        if (this.stopped) return;
        if (error === null || error === undefined) {
          if (!expired) {
            // Ended by the server (timeoutSeconds): resume where it stopped.
            this.failures = 0;
            this.watch();
            return;
          }
        } else logEvent("kubernetes-watch-failed", { resource: this.origin, message: describe(error), failures: this.failures + 1, sawEvent });
        this.retry();
      },
    );
    void started.then(
      (controller) => {
        this.abort = controller;
        if (this.stopped) controller.abort();
      },
      (error: unknown) => {
        logEvent("kubernetes-watch-failed", { resource: this.origin, message: describe(error) });
        this.retry();
      },
    );
  }

  /** After a failure: wait (full jitter, growing), list again to catch up, then watch. */
  private retry(): void {
    if (this.stopped) return;
    const delay = fullJitterDelay(this.failures, this.options.backoff ?? { baseMs: 500, capMs: 30_000 }, this.options.random);
    this.failures++;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.relist();
    }, delay);
    this.timer.unref();
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    let object: Json | null;
    try {
      object = await this.list();
    } catch (error) {
      logEvent("kubernetes-list-failed", { resource: this.origin, message: describe(error), failures: this.failures });
      this.retry();
      return;
    }
    if (object === null)
      logEvent("kubernetes-policy-missing", { resource: this.origin, message: "the RampartPolicy is gone; the last good policy keeps serving" });
    else await this.receive(object, "kubernetes-relist");
    this.watch();
  }

  /** status.observedHash and the Enforced condition; written only when they change, never fatal. */
  private async report(object: Json, enforced: boolean, message: string): Promise<void> {
    if (this.options.reportStatus === false) return;
    const condition = {
      type: "Enforced",
      status: enforced ? "True" : "False",
      reason: enforced ? "Applied" : "Refused",
      message: message.slice(0, 1024),
      observedGeneration: generationOf(object) ?? undefined,
    };
    const key = JSON.stringify([this.enforcedHash, condition]);
    if (key === this.lastReport) return;
    try {
      await this.api.patchNamespacedCustomObjectStatus({
        group: RAMPART_POLICY_GROUP,
        version: RAMPART_POLICY_VERSION,
        namespace: this.options.namespace,
        plural: RAMPART_POLICY_PLURAL,
        name: this.options.name,
        fieldManager: STATUS_FIELD_MANAGER,
        body: [
          {
            op: "add",
            path: "/status",
            value: {
              ...(this.enforcedHash ? { observedHash: this.enforcedHash } : {}),
              conditions: [{ ...condition, lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") }],
            },
          },
        ],
      });
      this.lastReport = key;
      this.statusFailing = false;
    } catch (error) {
      // Logged once per streak: a proxy without RBAC for the status subresource still enforces.
      if (!this.statusFailing) logEvent("kubernetes-status-failed", { resource: this.origin, message: describe(error) });
      this.statusFailing = true;
    }
  }
}

function describeRefusal(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0]! : String(error);
}

function generationOf(object: unknown): number | null {
  const generation = ((object as Json | null)?.metadata as Json | undefined)?.generation;
  return typeof generation === "number" ? generation : null;
}

function versionOf(object: unknown): string {
  const version = ((object as Json | null)?.metadata as Json | undefined)?.resourceVersion;
  return typeof version === "string" ? version : "";
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = (error as { code?: unknown }).code;
    return `${error.message}${typeof code === "number" ? ` (HTTP ${code})` : ""}${cause?.code ? ` (${cause.code})` : ""}`;
  }
  return String(error);
}

/** Test knobs (the CLI uses the defaults). */
export type KubernetesSourceOverrides = Partial<Pick<KubernetesSourceOptions, "backoff" | "random" | "watchTimeoutSeconds">>;

/** --source kubernetes from the CLI options: the first policy is in force when this resolves; run() then watches. */
export async function startKubernetesSource(
  options: { upstream?: string; "kube-namespace"?: string; "kube-policy"?: string; kubeconfig?: string },
  controller: { applyWatched(set: BundleSet, reason: string): Promise<boolean>; refused(reason: string, error: unknown): void },
  overrides: KubernetesSourceOverrides = {},
): Promise<KubernetesPolicySource> {
  const source = new KubernetesPolicySource({
    namespace: options["kube-namespace"]!,
    name: options["kube-policy"]!,
    upstream: options.upstream!,
    kubeconfigFile: options.kubeconfig ?? null,
    apply: (set, reason) => controller.applyWatched(set, reason),
    refused: (reason, error) => controller.refused(reason, error),
    ...overrides,
  });
  await source.start();
  return source;
}
