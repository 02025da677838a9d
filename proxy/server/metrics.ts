// Counters each worker keeps in plain numbers (no labels built per request),
// merged by the primary when /metrics is scraped, rendered as Prometheus text:
// requests by status, blocks and log-only findings by family and rule, a
// latency histogram, upstream errors by kind, policy version and reloads.

export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface MetricsData {
  requests: Record<string, number>;
  blocks: Record<string, number>;
  logged: Record<string, number>;
  latencyBuckets: number[];
  latencySum: number;
  latencyCount: number;
  upstreamErrors: Record<string, number>;
  reloads: { success: number; failure: number };
  policies: Array<{ route: string; contentHash: string }>;
  generation: number;
  loadedAt: number;
}

export class WorkerMetrics {
  private readonly status = new Float64Array(600);
  private readonly blocks = new Map<string, number>();
  private readonly loggedFindings = new Map<string, number>();
  private readonly buckets = new Float64Array(LATENCY_BUCKETS.length + 1);
  private latencySum = 0;
  private latencyCount = 0;
  private readonly upstreamErrors = new Map<string, number>();
  reloads = { success: 0, failure: 0 };
  policies: Array<{ route: string; contentHash: string }> = [];
  generation = 0;
  loadedAt = 0;

  observe(status: number, seconds: number): void {
    this.status[status >= 100 && status < 600 ? status : 0]!++;
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    this.buckets[i]!++;
    this.latencySum += seconds;
    this.latencyCount++;
  }

  block(family: string, ruleId: string): void {
    const key = `${family}\u0000${ruleId}`;
    this.blocks.set(key, (this.blocks.get(key) ?? 0) + 1);
  }

  logged(family: string, ruleId: string): void {
    const key = `${family}\u0000${ruleId}`;
    this.loggedFindings.set(key, (this.loggedFindings.get(key) ?? 0) + 1);
  }

  upstreamError(kind: string): void {
    this.upstreamErrors.set(kind, (this.upstreamErrors.get(kind) ?? 0) + 1);
  }

  data(): MetricsData {
    const requests: Record<string, number> = {};
    this.status.forEach((count, code) => {
      if (count > 0) requests[code === 0 ? "other" : String(code)] = count;
    });
    return {
      requests,
      blocks: Object.fromEntries(this.blocks),
      logged: Object.fromEntries(this.loggedFindings),
      latencyBuckets: [...this.buckets],
      latencySum: this.latencySum,
      latencyCount: this.latencyCount,
      upstreamErrors: Object.fromEntries(this.upstreamErrors),
      reloads: { ...this.reloads },
      policies: this.policies,
      generation: this.generation,
      loadedAt: this.loadedAt,
    };
  }
}

/** Sums worker data; policy facts come from `primary` (what the primary last applied). */
export function mergeMetrics(parts: readonly MetricsData[], primary: Pick<MetricsData, "reloads" | "policies" | "generation" | "loadedAt">): MetricsData {
  const add = (into: Record<string, number>, from: Record<string, number>) => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  };
  const out: MetricsData = {
    requests: {},
    blocks: {},
    logged: {},
    latencyBuckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0),
    latencySum: 0,
    latencyCount: 0,
    upstreamErrors: {},
    reloads: primary.reloads,
    policies: primary.policies,
    generation: primary.generation,
    loadedAt: primary.loadedAt,
  };
  for (const part of parts) {
    add(out.requests, part.requests);
    add(out.blocks, part.blocks);
    add(out.logged, part.logged);
    add(out.upstreamErrors, part.upstreamErrors);
    part.latencyBuckets.forEach((v, i) => (out.latencyBuckets[i] = out.latencyBuckets[i]! + v));
    out.latencySum += part.latencySum;
    out.latencyCount += part.latencyCount;
  }
  return out;
}

const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

export function renderPrometheus(m: MetricsData): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  family("rampart_requests_total", "counter", "Requests answered, by HTTP status.");
  for (const [code, count] of Object.entries(m.requests)) lines.push(`rampart_requests_total{status="${code}"} ${count}`);
  family("rampart_blocks_total", "counter", "Requests blocked, by family and rule.");
  for (const [key, count] of Object.entries(m.blocks)) {
    const [fam, rule] = key.split("\u0000");
    lines.push(`rampart_blocks_total{family="${escapeLabel(fam!)}",rule="${escapeLabel(rule!)}"} ${count}`);
  }
  family("rampart_logged_total", "counter", "Log-only findings (request passed), by family and rule.");
  for (const [key, count] of Object.entries(m.logged)) {
    const [fam, rule] = key.split("\u0000");
    lines.push(`rampart_logged_total{family="${escapeLabel(fam!)}",rule="${escapeLabel(rule!)}"} ${count}`);
  }
  family("rampart_request_duration_seconds", "histogram", "Time from request head to the end of the response.");
  let cumulative = 0;
  LATENCY_BUCKETS.forEach((bound, i) => {
    cumulative += m.latencyBuckets[i]!;
    lines.push(`rampart_request_duration_seconds_bucket{le="${bound}"} ${cumulative}`);
  });
  cumulative += m.latencyBuckets[LATENCY_BUCKETS.length]!;
  lines.push(`rampart_request_duration_seconds_bucket{le="+Inf"} ${cumulative}`);
  lines.push(`rampart_request_duration_seconds_sum ${m.latencySum}`, `rampart_request_duration_seconds_count ${m.latencyCount}`);
  family("rampart_upstream_errors_total", "counter", "Failed upstream exchanges, by kind (connect, timeout, reset).");
  for (const [kind, count] of Object.entries(m.upstreamErrors)) lines.push(`rampart_upstream_errors_total{kind="${escapeLabel(kind)}"} ${count}`);
  family("rampart_policy_info", "gauge", "The policy bundle each route enforces (content hash).");
  for (const p of m.policies) lines.push(`rampart_policy_info{route="${escapeLabel(p.route)}",content_hash="${escapeLabel(p.contentHash)}"} 1`);
  family("rampart_policy_generation", "gauge", "Number of the policy snapshot in force (increments on every applied reload).");
  lines.push(`rampart_policy_generation ${m.generation}`);
  family("rampart_policy_loaded_timestamp_seconds", "gauge", "When the policy in force was applied.");
  lines.push(`rampart_policy_loaded_timestamp_seconds ${Math.floor(m.loadedAt / 1000)}`);
  family("rampart_policy_reloads_total", "counter", "Policy reloads, by result.");
  lines.push(`rampart_policy_reloads_total{result="success"} ${m.reloads.success}`, `rampart_policy_reloads_total{result="failure"} ${m.reloads.failure}`);
  return `${lines.join("\n")}\n`;
}
