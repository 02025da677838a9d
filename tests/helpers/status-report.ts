import type { ProxyStatusReport } from "@/lib/policy-spec";

/** A proxy's heartbeat (POST /api/v1/delivery/status) that says nothing yet: no set running, no errors, zero counters. */
export const statusReport = (instanceId: string, overrides: Partial<ProxyStatusReport> = {}): ProxyStatusReport => ({
  instanceId,
  hostname: null,
  mode: "gateway",
  proxyVersion: null,
  startedAt: new Date().toISOString(),
  runningHash: null,
  running: [],
  reloadErrors: [],
  counters: { requests: 0, blocked: 0, upstreamErrors: 0, reloads: 0 },
  ...overrides,
});
