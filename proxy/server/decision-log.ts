// One JSON line per decision (a blocked request, a log-only finding): time,
// request id, client, method, host, path, route, rule, family, request part,
// a masked excerpt, action. Lines are batched per event-loop turn and written
// in chunks of whole lines no larger than PIPE_BUF, so lines from several
// worker processes sharing one stdout pipe never interleave mid-line.

import type { Decision } from "../runtime/decision.js";
import type { RequestContext } from "../runtime/request-context.js";

export interface DecisionSink {
  write(chunk: string): void;
}

const PIPE_BUF = 4096;
const MAX_PATH = 512;

export class DecisionLog {
  private pending: string[] = [];
  private scheduled = false;

  constructor(private readonly sink: DecisionSink = process.stdout) {}

  record(ctx: RequestContext, route: string, policy: string, decision: Decision, status: number): void {
    const path = ctx.rawPath.length > MAX_PATH ? `${ctx.rawPath.slice(0, MAX_PATH)}…` : ctx.rawPath;
    this.pending.push(
      JSON.stringify({
        time: new Date().toISOString(),
        type: "decision",
        requestId: ctx.id,
        clientIp: ctx.clientIp,
        method: ctx.method.length > 16 ? ctx.method.slice(0, 16) : ctx.method,
        host: ctx.host.length > 255 ? ctx.host.slice(0, 255) : ctx.host,
        path,
        route,
        status,
        ruleId: decision.ruleId,
        family: decision.family,
        part: decision.part,
        name: decision.name.length > 128 ? `${decision.name.slice(0, 127)}…` : decision.name,
        excerpt: decision.excerpt,
        action: decision.action,
        ...(decision.profile !== undefined ? { profile: decision.profile } : {}),
        policy,
      }),
    );
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
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
}

/** Operational events (start, reload, errors) as JSON lines on stderr. */
export function logEvent(event: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), type: "event", event, pid: process.pid, ...fields })}\n`);
}
