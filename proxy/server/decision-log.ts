// One JSON line per decision (a blocked request, a log-only finding): time,
// request id, client, method, host, path, route, rule, family, request part,
// a masked excerpt, action. Bounded under attack: the sampler
// (events/decision-sampler.ts) keeps the first N per rule × path × client and
// interval in full; the rest become one `decision-summary` line per key when the
// interval ends. The same sample feeds event shipping (the outlet), and every
// decision, sampled or not, is counted per minute for the portal's charts.
// Lines are batched per event-loop turn and written in chunks of whole lines no
// larger than PIPE_BUF, so lines from several worker processes sharing one
// stdout pipe never interleave mid-line.

import type { SecurityEvent, SecurityEventCounter } from "@/lib/policy-spec";
import { DecisionSampler, type SamplerOptions, type SuppressedCount } from "../events/decision-sampler.js";
import { maskSecrets } from "@/lib/policy-spec";
import { MinuteCounters } from "../events/minute-counters.js";
import type { CompiledRoute } from "../runtime/compile-route.js";
import type { Decision } from "../runtime/decision.js";
import type { RequestContext } from "../runtime/request-context.js";

export interface DecisionSink {
  write(chunk: string): void;
}

/** Where sampled events and counters go (the event shipper, or the cluster primary through IPC). */
export interface EventOutlet {
  offer(events: readonly SecurityEvent[], counters: readonly SecurityEventCounter[], dropped: number): void;
}

const PIPE_BUF = 4096;
const MAX_PATH = 512;

export const DEFAULT_SAMPLING: SamplerOptions = { perInterval: 5, intervalMs: 60_000, maxKeys: 2000 };

export class DecisionLog {
  private pending: string[] = [];
  private events: SecurityEvent[] = [];
  private scheduled = false;
  private readonly sampler: DecisionSampler;
  private readonly counters = new MinuteCounters();
  private readonly ticker: NodeJS.Timeout;

  constructor(
    private readonly sink: DecisionSink = process.stdout,
    sampling: SamplerOptions = DEFAULT_SAMPLING,
    private readonly outlet: EventOutlet | null = null,
  ) {
    this.sampler = new DecisionSampler(sampling);
    // A quiet proxy still reports the counts of an interval that ended.
    this.ticker = setInterval(() => this.summarise(this.sampler.tick(Date.now())), Math.min(sampling.intervalMs, 60_000));
    this.ticker.unref();
  }

  record(ctx: RequestContext, route: CompiledRoute | null, decision: Decision, status: number): void {
    const now = Date.now();
    const path = ctx.rawPath.length > MAX_PATH ? `${ctx.rawPath.slice(0, MAX_PATH)}…` : ctx.rawPath;
    const applicationId = route?.applicationId ?? null;
    if (this.outlet !== null) this.counters.add(now, applicationId, decision.family, decision.ruleId, decision.action);
    if (!this.sampler.admit(decision.ruleId, path, ctx.clientIp, now, (ended) => this.summarise(ended))) {
      this.schedule();
      return;
    }
    const time = new Date(now).toISOString();
    const method = ctx.method.length > 16 ? ctx.method.slice(0, 16) : ctx.method;
    const host = ctx.host.length > 255 ? ctx.host.slice(0, 255) : ctx.host;
    const name = decision.name.length > 128 ? `${decision.name.slice(0, 127)}…` : decision.name;
    const excerpt = maskSecrets(decision.part, decision.name, decision.excerpt);
    const policy = route?.bundle.contentHash ?? "";
    this.pending.push(
      JSON.stringify({
        time,
        type: "decision",
        requestId: ctx.id,
        clientIp: ctx.clientIp,
        method,
        host,
        path,
        route: route?.name ?? "",
        status,
        ruleId: decision.ruleId,
        family: decision.family,
        part: decision.part,
        name,
        excerpt,
        action: decision.action,
        ...(decision.profile !== undefined ? { profile: decision.profile } : {}),
        policy,
      }),
    );
    if (this.outlet !== null) {
      this.events.push({
        time,
        requestId: ctx.id.slice(0, 100),
        applicationId,
        policyVersionId: route?.bundle.sources.application?.versionId ?? route?.bundle.sources.baseline.versionId ?? null,
        policyHash: policy,
        action: decision.action,
        family: decision.family.slice(0, 40),
        ruleId: decision.ruleId.slice(0, 120),
        method,
        host,
        path,
        part: decision.part.slice(0, 40),
        parameter: name,
        excerpt,
        clientIp: ctx.clientIp.slice(0, 64),
        status,
      });
    }
    this.schedule();
  }

  flush(): void {
    this.scheduled = false;
    if (this.outlet !== null && (this.events.length > 0 || this.counters.size > 0)) {
      const events = this.events;
      this.events = [];
      const dropped = this.counters.dropped;
      this.counters.dropped = 0;
      this.outlet.offer(events, this.counters.take(), dropped);
    }
    const lines = this.pending;
    if (lines.length === 0) return;
    this.pending = [];
    let chunk = "";
    for (const line of lines) {
      if (chunk.length > 0 && chunk.length + line.length + 1 > PIPE_BUF) {
        this.sink.write(chunk);
        chunk = "";
      }
      chunk += `${line}\n`;
    }
    if (chunk.length > 0) this.sink.write(chunk);
  }

  /** Writes what is pending and the current interval's summaries (shutdown). */
  close(): void {
    clearInterval(this.ticker);
    this.summarise(this.sampler.drain(Date.now()));
    this.flush();
  }

  private summarise(ended: SuppressedCount[]): void {
    if (ended.length === 0) return;
    for (const count of ended) {
      this.pending.push(
        JSON.stringify({
          time: new Date().toISOString(),
          type: "decision-summary",
          intervalStart: new Date(count.intervalStart).toISOString(),
          ruleId: count.ruleId,
          path: count.path,
          clientIp: count.clientIp,
          suppressed: count.suppressed,
        }),
      );
    }
    this.schedule();
  }

  private schedule(): void {
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }
}

/** Operational events (start, reload, errors) as JSON lines on stderr. */
export function logEvent(event: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), type: "event", event, pid: process.pid, ...fields })}\n`);
}
