// Command-line flags → validated ProxyOptions. Every flag is listed in FLAGS
// (also the source of --help), values are checked with zod, and an unknown
// flag or a missing value is an error naming the flag.

import os from "node:os";
import { z } from "zod";
import { upstreamUrlSchema } from "./gateway-config-schema.js";

interface FlagSpec {
  name: string;
  value: string | null; // null: boolean switch
  repeat?: boolean;
  help: string;
}

export const FLAGS: readonly FlagSpec[] = [
  {
    name: "policy",
    value: "FILE",
    repeat: true,
    help: "Baseline policy, plus optionally one application policy (YAML/JSON), or one compiled bundle (plain or signed).",
  },
  { name: "config", value: "FILE", help: "Gateway config: routes (host/path → upstream + application policy) behind one baseline." },
  { name: "upstream", value: "URL", help: "The application behind the proxy (http:// or https://host:port), with --policy or --portal." },
  { name: "portal", value: "URL", help: "Connected mode: the Rampart portal that delivers this target's signed policy set (with --upstream or --config)." },
  { name: "token", value: "TOKEN", help: "The delivery target's token (prefer --token-file or RAMPART_PORTAL_TOKEN: argv is visible to other users)." },
  { name: "token-file", value: "FILE", help: "File holding the delivery target's token." },
  {
    name: "portal-key",
    value: "FILE|BASE64",
    repeat: true,
    help: "Connected mode (required): the portal's pinned Ed25519 public key, a PEM/SPKI file or inline base64 SPKI; repeat during key rotation.",
  },
  { name: "instance-id", value: "ID", help: "Connected mode: this instance's id in status reports (default hostname-pid-random)." },
  {
    name: "application",
    value: "ID|NAME",
    help: "Connected mode with --upstream: which application of the delivered set to serve (needed only when the set holds several).",
  },
  { name: "poll-wait", value: "SECONDS", help: "Connected mode: how long the portal may hold a long poll before answering 304 (default 30)." },
  { name: "heartbeat-interval", value: "SECONDS", help: "Connected mode: status report interval (default 10)." },
  { name: "state-dir", value: "DIR", help: "Where connected mode keeps the last good signed set (default .rampart-proxy)." },
  { name: "portal-ca", value: "FILE", help: "Extra CA certificate (PEM) trusted for the portal." },
  {
    name: "source",
    value: "kubernetes",
    help: "Take the policy from a RampartPolicy custom resource and watch it (with --upstream, --kube-namespace, --kube-policy).",
  },
  { name: "kube-namespace", value: "NAMESPACE", help: "--source kubernetes: namespace of the RampartPolicy." },
  { name: "kube-policy", value: "NAME", help: "--source kubernetes: name of the RampartPolicy." },
  { name: "kubeconfig", value: "FILE", help: "--source kubernetes: kubeconfig file (default: the pod's service account, in-cluster)." },
  {
    name: "trusted-key",
    value: "KEYID=FILE",
    repeat: true,
    help: "Ed25519 public key trusted to sign bundle files given with --policy or in a gateway config.",
  },
  { name: "listen", value: "HOST:PORT", repeat: true, help: "Plain HTTP/1.1 listener (default 127.0.0.1:8080 when no listener is given)." },
  { name: "listen-tls", value: "HOST:PORT", repeat: true, help: "TLS listener with ALPN h2 and http/1.1." },
  { name: "tls-cert", value: "FILE", help: "Default certificate chain (PEM) for TLS listeners." },
  { name: "tls-key", value: "FILE", help: "Private key (PEM) of --tls-cert." },
  { name: "admin-listen", value: "HOST:PORT", help: "Admin endpoints: GET /healthz, /readyz, /metrics." },
  { name: "workers", value: "N", help: "Worker processes (default: the number of CPUs); 1 runs everything in one process." },
  { name: "trusted-proxy", value: "CIDR", repeat: true, help: "Peers whose X-Forwarded-For / Forwarded headers are believed." },
  { name: "geo-db", value: "FILE", help: "Country database for geolocation rules (see README for the format)." },
  { name: "threat-intel-dir", value: "DIR", help: "Directory with one <list-name>.txt per threat-intel list the policy names." },
  { name: "secrets-dir", value: "DIR", help: "Directory resolving secret:<name> references (<name>.pem)." },
  { name: "token-cookie", value: "NAME", help: "Cookie that may carry the JWT when there is no Authorization header." },
  { name: "jwks-ca", value: "FILE", repeat: true, help: "Extra CA certificate (PEM) trusted for JWKS endpoints." },
  { name: "inspect-bytes", value: "BYTES", help: "Request body bytes buffered and inspected (default 1048576)." },
  { name: "upstream-connect-timeout", value: "MS", help: "Connecting to the upstream (default 5000)." },
  { name: "upstream-timeout", value: "MS", help: "Upstream idle time before its response (default 60000)." },
  { name: "upstream-max-sockets", value: "N", help: "Connections per upstream per worker (default 512)." },
  {
    name: "upstream-idle-timeout",
    value: "MS",
    help: "Pooled upstream connections idle this long are closed (default 4000, below common keep-alive timeouts).",
  },
  { name: "header-timeout", value: "MS", help: "The request head must arrive within this (default 10000)." },
  { name: "request-timeout", value: "MS", help: "The whole request must arrive within this (default 30000)." },
  { name: "keepalive-timeout", value: "MS", help: "Idle keep-alive connections close after this (default 5000)." },
  { name: "idle-timeout", value: "MS", help: "Any connection idle this long is closed (default 120000)." },
  { name: "decision-log", value: "FILE|-", help: "Where decision lines go (default - for stdout)." },
  { name: "decision-log-max-bytes", value: "BYTES", help: "With --decision-log FILE: rotate to FILE.1 at this size (default 104857600)." },
  {
    name: "decision-sample",
    value: "N",
    help: "Per rule × path × client, decisions logged and sent in full per interval; the rest are counted (default 5; 0: every decision in full, unbounded).",
  },
  { name: "decision-interval", value: "SECONDS", help: "The sampling interval (default 60)." },
  { name: "events", value: "on|off", help: "Connected mode: send security events and per-minute counters to the portal (default on)." },
  { name: "event-queue", value: "N", help: "Connected mode: events kept while the portal is unreachable; the oldest are dropped beyond (default 10000)." },
  { name: "validate", value: null, help: "Load, validate and compile the policy, print a summary, exit (0 valid, 1 invalid)." },
  { name: "help", value: null, help: "Show this help." },
];

const hostPort = z
  .string()
  .regex(/^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "must be HOST:PORT, e.g. 127.0.0.1:8080")
  .transform((value) => {
    const colon = value.lastIndexOf(":");
    return { host: value.slice(0, colon).replace(/^\[|\]$/g, ""), port: Number(value.slice(colon + 1)) };
  })
  .refine((a) => a.port <= 65535, "port must be at most 65535");

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const proxyOptionsSchema = z
  .strictObject({
    policy: z.array(z.string().min(1)).default([]),
    config: z.string().min(1).optional(),
    upstream: upstreamUrlSchema.optional(),
    portal: z.url({ protocol: /^https?$/ }).optional(),
    token: z.string().min(1).optional(),
    "token-file": z.string().min(1).optional(),
    "portal-key": z.array(z.string().min(1)).default([]),
    "instance-id": z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
      .optional(),
    application: z.string().min(1).max(200).optional(),
    "poll-wait": int(1, 300).default(30),
    "heartbeat-interval": int(1, 3600).default(10),
    "state-dir": z.string().min(1).default(".rampart-proxy"),
    "portal-ca": z.string().min(1).optional(),
    source: z.enum(["kubernetes"]).optional(),
    "kube-namespace": z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be a namespace name")
      .optional(),
    "kube-policy": z
      .string()
      .max(253)
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a resource name")
      .optional(),
    kubeconfig: z.string().min(1).optional(),
    "trusted-key": z.array(z.string()).default([]),
    listen: z.array(hostPort).default([]),
    "listen-tls": z.array(hostPort).default([]),
    "tls-cert": z.string().min(1).optional(),
    "tls-key": z.string().min(1).optional(),
    "admin-listen": hostPort.optional(),
    workers: int(1, 256).default(() => os.availableParallelism()),
    "trusted-proxy": z.array(z.string()).default([]),
    "geo-db": z.string().min(1).optional(),
    "threat-intel-dir": z.string().min(1).optional(),
    "secrets-dir": z.string().min(1).optional(),
    "token-cookie": z
      .string()
      .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "must be a cookie name")
      .optional(),
    "jwks-ca": z.array(z.string()).default([]),
    "inspect-bytes": int(1024, 64 * 1024 * 1024).default(1024 * 1024),
    "upstream-connect-timeout": int(10, 600_000).default(5000),
    "upstream-timeout": int(10, 3_600_000).default(60_000),
    "upstream-max-sockets": int(1, 100_000).default(512),
    "upstream-idle-timeout": int(100, 3_600_000).default(4000),
    "header-timeout": int(10, 600_000).default(10_000),
    "request-timeout": int(10, 3_600_000).default(30_000),
    "keepalive-timeout": int(10, 600_000).default(5000),
    "idle-timeout": int(10, 3_600_000).default(120_000),
    "decision-log": z.string().min(1).default("-"),
    "decision-log-max-bytes": int(4096, 2 ** 40).default(100 * 1024 * 1024),
    "decision-sample": int(0, 100_000).default(5),
    "decision-interval": int(1, 3600).default(60),
    events: z.enum(["on", "off"]).default("on"),
    "event-queue": int(1, 10_000_000).default(10_000),
    validate: z.boolean().default(false),
    help: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    if (o.help) return;
    const local = [o.policy.length > 0, o.config !== undefined].filter(Boolean).length;
    if (o.source === undefined && (o.portal === undefined ? local !== 1 : o.policy.length > 0)) {
      ctx.addIssue({
        code: "custom",
        path: ["policy"],
        message:
          "give exactly one policy source: --policy FILE…, --config FILE, or --portal URL (with --upstream or a --config whose routes name applications)",
      });
    }
    if (o.policy.length > 0 && o.upstream === undefined) ctx.addIssue({ code: "custom", path: ["upstream"], message: "--upstream is required with --policy" });
    if (o.portal !== undefined && o.config === undefined && o.upstream === undefined)
      ctx.addIssue({ code: "custom", path: ["upstream"], message: "--portal needs --upstream (a microgateway) or --config (a gateway)" });
    if (o.config !== undefined && o.upstream !== undefined)
      ctx.addIssue({ code: "custom", path: ["upstream"], message: "with --config the upstreams come from the config's routes" });
    if (o.portal !== undefined) {
      if (o.token === undefined && o["token-file"] === undefined)
        ctx.addIssue({ code: "custom", path: ["token"], message: "--portal needs the target's token: --token-file, RAMPART_PORTAL_TOKEN or --token" });
      // Fail closed: without a pinned key anyone who can answer for the portal's address could hand this proxy a policy.
      if (o["portal-key"].length === 0)
        ctx.addIssue({
          code: "custom",
          path: ["portal-key"],
          message: "--portal needs --portal-key: the portal's Ed25519 public key, pinned, so that only sets the portal signed are enforced",
        });
      if (o.application !== undefined && o.config !== undefined)
        ctx.addIssue({ code: "custom", path: ["application"], message: "with --config each route names its application" });
    } else {
      for (const flag of ["portal-key", "instance-id", "application"] as const) {
        const value = o[flag];
        if (value !== undefined && !(Array.isArray(value) && value.length === 0))
          ctx.addIssue({ code: "custom", path: [flag], message: `--${flag} belongs to connected mode (--portal)` });
      }
    }
    if (o.source === "kubernetes") {
      if (local > 0 || o.portal !== undefined)
        ctx.addIssue({ code: "custom", path: ["source"], message: "--source kubernetes is the policy source: drop --policy, --config and --portal" });
      if (o.upstream === undefined) ctx.addIssue({ code: "custom", path: ["upstream"], message: "--source kubernetes needs --upstream" });
      if (o["kube-namespace"] === undefined) ctx.addIssue({ code: "custom", path: ["kube-namespace"], message: "--source kubernetes needs --kube-namespace" });
      if (o["kube-policy"] === undefined) ctx.addIssue({ code: "custom", path: ["kube-policy"], message: "--source kubernetes needs --kube-policy" });
      // A RampartPolicy carries a plain bundle (who may write it is Kubernetes RBAC's call); a key that could never verify anything would only mislead.
      if (o["trusted-key"].length > 0)
        ctx.addIssue({
          code: "custom",
          path: ["trusted-key"],
          message: "--trusted-key does not apply to --source kubernetes (RampartPolicy bundles are unsigned; RBAC guards them)",
        });
    } else {
      for (const flag of ["kube-namespace", "kube-policy", "kubeconfig"] as const) {
        if (o[flag] !== undefined) ctx.addIssue({ code: "custom", path: [flag], message: `--${flag} belongs to --source kubernetes` });
      }
    }
    if ((o["tls-cert"] === undefined) !== (o["tls-key"] === undefined))
      ctx.addIssue({ code: "custom", path: ["tls-cert"], message: "--tls-cert and --tls-key go together" });
  });

export type ProxyOptions = z.output<typeof proxyOptionsSchema>;

export class CliError extends Error {}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ProxyOptions {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) throw new CliError(`unexpected argument "${arg}" (flags start with --; see --help)`);
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const spec = FLAGS.find((f) => f.name === name);
    if (!spec) throw new CliError(`unknown flag --${name} (see --help)`);
    let value: string | boolean;
    if (spec.value === null) {
      if (eq >= 0) throw new CliError(`--${name} takes no value`);
      value = true;
    } else if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new CliError(`--${name} needs a value (${spec.value})`);
      value = next;
      i++;
    }
    if (spec.repeat) ((raw[name] ??= []) as unknown[]).push(value);
    else if (raw[name] !== undefined) throw new CliError(`--${name} given twice`);
    else raw[name] = value;
  }
  if (raw.token === undefined && env.RAMPART_PORTAL_TOKEN) raw.token = env.RAMPART_PORTAL_TOKEN;
  const parsed = proxyOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CliError(
      parsed.error.issues.map((issue) => (issue.message.startsWith("--") ? issue.message : `--${String(issue.path[0] ?? "")}: ${issue.message}`)).join("\n"),
    );
  }
  const options = parsed.data;
  if (options.listen.length === 0 && options["listen-tls"].length === 0) options.listen.push({ host: "127.0.0.1", port: 8080 });
  return options;
}

export function helpText(): string {
  const lines = [
    "Usage: npm run proxy -- (--policy FILE… --upstream URL | --config FILE | --portal URL --portal-key KEY (--upstream URL | --config FILE)) [options]",
    "",
  ];
  for (const flag of FLAGS) {
    const left = `  --${flag.name}${flag.value ? ` ${flag.value}` : ""}${flag.repeat ? " (repeatable)" : ""}`;
    lines.push(left.padEnd(44) + flag.help);
  }
  return `${lines.join("\n")}\n`;
}
