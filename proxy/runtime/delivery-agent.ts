// Connected mode: keeps this proxy on the set the portal publishes for its
// target, and tells the portal what runs.
//
// - start: the last good envelope on disk is verified again; the portal is
//   asked once without waiting; whichever verified and compiled serves. With
//   neither, the proxy does not start (there is nothing safe to enforce); it
//   first sends one status report naming the refused set (waiting at most
//   finalReportMs), so the portal shows the instance failing, not absent.
// - loop: long polls with the running hash. 200 → verify, compile off the
//   request path, swap, persist; 304 → ask again at once; a network error, a
//   portal restart or a refused set → retry after a full-jitter backoff (so a
//   fleet does not reconnect in lockstep); 401 → keep serving, retry slowly.
// - heartbeat: every interval, and right after each applied or refused set,
//   the status report goes to the portal. Its failures are logged once per
//   streak and never touch traffic. A refused delivered set is reported with
//   the contentHash its envelope claims (refusedHash).

import type { KeyObject } from "node:crypto";
import { proxyStatusReportSchema, type ProxyStatusReport } from "@/lib/policy-spec";
import type { DeliveryAnswer } from "../policy/delivery-client.js";
import type { DeliveryState } from "../policy/delivery-state.js";
import { claimedContentHash, verifyDeliveryEnvelope, type VerifiedDelivery } from "../policy/verify-delivery-envelope.js";
import { logEvent } from "../server/decision-log.js";
import { equalJitterDelay, fullJitterDelay, type BackoffOptions } from "./backoff.js";
import type { PolicyController } from "./policy-controller.js";

export interface DeliveryTransport {
  fetchSet(runningHash: string | null, waitSeconds: number, signal?: AbortSignal): Promise<DeliveryAnswer>;
  postStatus(report: ProxyStatusReport, signal?: AbortSignal): Promise<void>;
}

export interface StatusCounters {
  requests: number;
  blocked: number;
  upstreamErrors: number;
}

export interface DeliveryAgentOptions {
  transport: DeliveryTransport;
  /** The pinned portal keys (--portal-key). */
  keys: readonly KeyObject[];
  state: DeliveryState;
  controller: PolicyController;
  identity: { instanceId: string; hostname: string | null; mode: ProxyStatusReport["mode"]; proxyVersion: string | null; startedAt: Date };
  /** Request counters summed over every worker. */
  counters(): Promise<StatusCounters>;
  waitSeconds: number;
  heartbeatMs: number;
  backoff?: BackoffOptions;
  /** Base of the slow retry while the token is refused. */
  unauthorizedRetryMs?: number;
  /** How long a proxy that cannot start waits for its last report to reach the portal (default 2 s). */
  finalReportMs?: number;
  random?: () => number;
}

type ReloadError = ProxyStatusReport["reloadErrors"][number];

const MAX_REPORTED_ERRORS = 20;

export class DeliveryAgent {
  /** Most recent first, as the status report wants them. */
  readonly reloadErrors: ReloadError[] = [];
  /** Failed polls in a row (0 while the portal answers). */
  failures = 0;
  unauthorized = false;
  private readonly abort = new AbortController();
  private loopDone: Promise<void> | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private heartbeatRunning: Promise<void> | null = null;
  private heartbeatAgain = false;
  private heartbeatFailing = false;
  private persistedHash: string | null = null;

  constructor(private readonly options: DeliveryAgentOptions) {
    options.controller.onEvent = (event) => {
      if (event.kind === "refused") this.recordError(`${event.reason}: ${event.message}`, event.refusedHash);
      this.heartbeatSoon();
    };
  }

  get runningHash(): string | null {
    return this.options.controller.delivery?.verified.contentHash ?? null;
  }

  /** The first set: from the portal if it answers with one that verifies, else the last good one on disk. */
  async start(): Promise<void> {
    const { transport, state, controller } = this.options;
    let fromDisk: { text: string; verified: VerifiedDelivery } | null = null;
    const stored = state.read();
    if (stored !== null) {
      try {
        fromDisk = { text: stored, verified: verifyDeliveryEnvelope(stored, this.options.keys, state.file) };
      } catch (error) {
        controller.refused("start-from-disk", error, claimedContentHash(stored));
      }
    }
    try {
      const answer = await transport.fetchSet(fromDisk?.verified.contentHash ?? null, 0, this.abort.signal);
      if (answer.kind === "set") await this.accept(answer.text, "start");
      else if (answer.kind === "unauthorized") this.noteUnauthorized(answer.status);
    } catch (error) {
      logEvent("portal-unavailable", { message: (error as Error).message, lastGood: fromDisk ? state.file : null });
    }
    if (controller.delivery === null && fromDisk !== null) {
      await controller.applyDelivery(fromDisk.verified, "start-from-disk");
      this.persistedHash = fromDisk.verified.contentHash;
    }
    if (controller.delivery === null) {
      await this.reportBeforeExit();
      throw new Error(`no policy to enforce: the portal did not deliver a set that verified, and there is no good set in ${state.file}`);
    }
  }

  /** The long poll and the heartbeat, until stop(). */
  run(): void {
    this.loopDone = this.loop();
    const tick = () => {
      this.heartbeatSoon();
      this.heartbeatTimer = setTimeout(tick, this.options.heartbeatMs);
      this.heartbeatTimer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    await this.loopDone;
    await this.heartbeatRunning;
  }

  /** The status report as it would be sent now. */
  async report(): Promise<ProxyStatusReport> {
    return this.reportWith(await this.options.counters());
  }

  private reportWith(counters: StatusCounters): ProxyStatusReport {
    const { controller, identity } = this.options;
    return proxyStatusReportSchema.parse({
      instanceId: identity.instanceId,
      hostname: identity.hostname,
      mode: identity.mode,
      proxyVersion: identity.proxyVersion,
      startedAt: identity.startedAt.toISOString(),
      runningHash: this.runningHash,
      running: controller.delivery?.served ?? [],
      reloadErrors: this.reloadErrors,
      counters: { ...counters, reloads: controller.reloads.success },
    });
  }

  private async loop(): Promise<void> {
    const { transport, waitSeconds } = this.options;
    const signal = this.abort.signal;
    const random = this.options.random ?? Math.random;
    const backoff = this.options.backoff ?? { baseMs: 500, capMs: 30_000 };
    while (!signal.aborted) {
      let delay = 0;
      try {
        const answer = await transport.fetchSet(this.runningHash, waitSeconds, signal);
        if (answer.kind === "unauthorized") {
          this.noteUnauthorized(answer.status);
          delay = equalJitterDelay(this.options.unauthorizedRetryMs ?? 60_000, random);
        } else {
          if (this.unauthorized) logEvent("portal-authorized", { message: "the portal accepts the token again" });
          this.unauthorized = false;
          if (answer.kind === "not-modified" || (await this.accept(answer.text, "portal"))) this.reconnected();
          // A refused set would come straight back on the next poll: wait as after an error.
          else delay = fullJitterDelay(this.failures++, backoff, random);
        }
      } catch (error) {
        if (signal.aborted) break;
        delay = fullJitterDelay(this.failures++, backoff, random);
        logEvent("portal-poll-failed", { message: (error as Error).message, failures: this.failures, retryInMs: delay });
      }
      if (delay > 0) await sleep(delay, signal);
    }
  }

  /**
   * The proxy exits next (nothing to enforce): one report, so the portal shows why. No
   * request was served and no worker runs yet, so the counters are zero. Bounded: a portal
   * that does not answer never holds the exit up for more than finalReportMs.
   */
  private async reportBeforeExit(): Promise<void> {
    const limit = this.options.finalReportMs ?? 2000;
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(limit)]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, limit);
    });
    const sent = this.options.transport
      .postStatus(this.reportWith({ requests: 0, blocked: 0, upstreamErrors: 0 }), signal)
      .catch((error: unknown) => logEvent("heartbeat-failed", { message: (error as Error).message }));
    await Promise.race([sent, deadline]);
    clearTimeout(timer);
  }

  /** Verifies, applies and persists one envelope; false (reported, nothing changed) when it is refused. */
  private async accept(text: string, reason: string): Promise<boolean> {
    const { controller, state } = this.options;
    let verified: VerifiedDelivery | null = null;
    try {
      verified = verifyDeliveryEnvelope(text, this.options.keys, "portal");
      await controller.applyDelivery(verified, reason);
    } catch (error) {
      // A set that verified but does not compile or route is named by its verified hash.
      controller.refused(reason, error, verified?.contentHash ?? claimedContentHash(text));
      return false;
    }
    if (verified.contentHash !== this.persistedHash) {
      try {
        state.write(text);
        this.persistedHash = verified.contentHash;
      } catch (error) {
        logEvent("state-write-failed", { file: state.file, message: (error as Error).message });
      }
    }
    return true;
  }

  private reconnected(): void {
    if (this.failures > 0) logEvent("portal-reconnected", { afterFailures: this.failures });
    this.failures = 0;
  }

  private noteUnauthorized(status: number): void {
    if (!this.unauthorized) {
      logEvent("portal-unauthorized", { status, message: "the portal refuses this target's token (unknown or revoked); the last good set keeps serving" });
    }
    this.unauthorized = true;
  }

  private recordError(message: string, refusedHash: string | null): void {
    this.reloadErrors.unshift({
      at: new Date().toISOString(),
      message: message.length > 2000 ? `${message.slice(0, 1999)}…` : message,
      // Left out rather than null when unknown: a portal of an earlier release refuses keys it does not know.
      ...(refusedHash !== null ? { refusedHash } : {}),
    });
    this.reloadErrors.length = Math.min(this.reloadErrors.length, MAX_REPORTED_ERRORS);
  }

  /** Sends a report now, or once more after the one in flight. */
  private heartbeatSoon(): void {
    if (this.abort.signal.aborted) return;
    if (this.heartbeatRunning) {
      this.heartbeatAgain = true;
      return;
    }
    this.heartbeatRunning = (async () => {
      do {
        this.heartbeatAgain = false;
        await this.sendHeartbeat();
      } while (this.heartbeatAgain && !this.abort.signal.aborted);
    })().finally(() => {
      this.heartbeatRunning = null;
    });
  }

  private async sendHeartbeat(): Promise<void> {
    try {
      await this.options.transport.postStatus(await this.report(), this.abort.signal);
      if (this.heartbeatFailing) logEvent("heartbeat-recovered", {});
      this.heartbeatFailing = false;
    } catch (error) {
      if (this.abort.signal.aborted) return;
      if (!this.heartbeatFailing) logEvent("heartbeat-failed", { message: (error as Error).message });
      this.heartbeatFailing = true;
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
