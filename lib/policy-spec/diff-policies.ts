// Semantic diff of two policy documents (normally two versions of one policy):
// a structured list for the API, each change with a sentence a reviewer reads
// and, where it matters, whether it loosens or tightens protection. Lists are
// compared as sets or by their natural key (exception id, issuer, list name),
// never by position, so reordering a list is not a change.

import { canonicalJson } from "./canonical-json";
import { describeException, describeExceptionTarget } from "./describe-exception";
import { OPENAPI_OPERATION_METHODS } from "./sections/openapi";
import { formatJsonPath } from "./policy-error";
import type { PolicyDocument } from "./policy-document-schema";
import { listSpecContentFields } from "./content-fields";
import { DENY_LEVELS, VIRTUAL_PATCH_MODES, type DenyFamily } from "./sections/deny-rules";
import type { PolicyException } from "./sections/exceptions";
import { ENFORCEMENT_MODES, TLS_VERSIONS } from "./sections/policy-fields";
import { CONTENT_ENCODING_MODES } from "./sections/request-bodies";
import { REQUEST_LIMITS, type RequestLimitName } from "./sections/request-limits";
import { CONTENT_TYPE_OPTIONS, FRAME_OPTIONS, REFERRER_LEAKAGE, type ReferrerPolicy } from "./sections/security-headers";
import { resolveCipherSuites, type CipherSuites } from "./sections/tls";

export type ChangeKind = "added" | "removed" | "changed";
/** loosens: protection is weaker afterwards (review it); tightens: stricter (may break traffic). */
export type ChangeRisk = "loosens" | "tightens";

export interface PolicyChange {
  path: string;
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
  risk?: ChangeRisk;
  text: string;
}

export interface PolicyDiff {
  changes: PolicyChange[];
}

export interface DiffOptions {
  /** The baseline's contentProfiles.allowRelax, so that content markings are worded with the families they relax. */
  relaxable?: readonly DenyFamily[];
}

export function diffPolicies(before: PolicyDocument, after: PolicyDocument, options: DiffOptions = {}): PolicyDiff {
  const changes: PolicyChange[] = [];
  if (before.kind !== after.kind) {
    return {
      changes: [
        { path: "$.kind", kind: "changed", before: before.kind, after: after.kind, text: `changes the document kind from ${before.kind} to ${after.kind}` },
      ],
    };
  }
  walk(before, after, [], changes);
  const marked = describeContentMarking(before, after, options.relaxable);
  if (marked) changes.push(marked);
  return { changes };
}

/**
 * Fields newly marked as free text relax deny rules as an exception would, so
 * the diff says so in one line a reviewer can weigh ("relaxes sqli, rce for 7
 * content fields of forum"); null when no field became content.
 */
export function describeContentMarking(before: PolicyDocument | null, after: PolicyDocument, relaxable?: readonly DenyFamily[]): PolicyChange | null {
  if (after.kind !== "ApplicationPolicy") return null;
  const keyed = (document: PolicyDocument | null) =>
    new Map(
      (document?.kind === "ApplicationPolicy" ? listSpecContentFields(document.openapi?.spec) : []).map(({ operation, field }) => [
        `${operation} ${field.in} ${field.name}${field.mediaType ? ` (${field.mediaType})` : ""}`,
        field.class.kind === "content" ? field.class.profile : "",
      ]),
    );
  const previous = keyed(before);
  const added = [...keyed(after)].filter(([key, profile]) => previous.get(key) !== profile);
  if (added.length === 0) return null;
  const count = `${added.length} content field${added.length === 1 ? "" : "s"} of ${after.metadata.application}`;
  const text =
    relaxable === undefined
      ? `marks ${count} (the baseline's relaxable deny families give way there)`
      : relaxable.length === 0
        ? `marks ${count} (the baseline relaxes no deny family there)`
        : `relaxes ${relaxable.join(", ")} for ${count}`;
  return {
    path: "$.openapi.spec",
    kind: "changed",
    ...(relaxable?.length === 0 ? {} : { risk: "loosens" as const }),
    after: added.map(([key, profile]) => `${key}: ${profile}`),
    text,
  };
}

type Segments = Array<string | number>;
type Described = { text: string; risk?: ChangeRisk };
type Raw = { segments: Segments; kind: ChangeKind; before?: unknown; after?: unknown };

/** Lists whose items are identified by a field, so edits to one item are reported as edits, not remove + add. */
const KEYED_LISTS: Record<string, string> = {
  ".exceptions": "id",
  ".rateLimits": "id",
  ".threatIntel.lists": "name",
  ".tokenVerification.issuers": "issuer",
  ".authentication.issuers": "issuer",
  ".tls.certificates": "ref",
  ".allow": "path",
};

function normalize(segments: Segments): string {
  return segments.map((segment) => (typeof segment === "number" ? "[]" : `.${segment}`)).join("");
}

function walk(a: unknown, b: unknown, segments: Segments, out: PolicyChange[]): void {
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null)) return;
  const path = normalize(segments);
  if (path === ".openapi.spec" && a !== undefined && b !== undefined) {
    diffOpenApi(a as Spec, b as Spec, segments, out);
    return;
  }
  if ((a === undefined || b === undefined) && WHOLE_RULES[path]) {
    emit({ segments, kind: a === undefined ? "added" : "removed", before: a, after: b }, out);
    return;
  }
  const aIsList = Array.isArray(a);
  const bIsList = Array.isArray(b);
  const aIsObject = isRecord(a);
  const bIsObject = isRecord(b);
  const sameShape =
    (aIsList || a === undefined) && (bIsList || b === undefined)
      ? "list"
      : (aIsObject || a === undefined) && (bIsObject || b === undefined)
        ? "object"
        : "leaf";
  if (sameShape === "list" && !(a === undefined && b === undefined)) {
    diffList((a as unknown[]) ?? [], (b as unknown[]) ?? [], segments, out);
    return;
  }
  if (sameShape === "object") {
    const keys = [...new Set([...Object.keys((b as object) ?? {}), ...Object.keys((a as object) ?? {})])];
    for (const key of keys) {
      walk((a as Record<string, unknown> | undefined)?.[key], (b as Record<string, unknown> | undefined)?.[key], [...segments, key], out);
    }
    return;
  }
  emit({ segments, kind: a === undefined ? "added" : b === undefined ? "removed" : "changed", before: a, after: b }, out);
}

function diffList(a: unknown[], b: unknown[], segments: Segments, out: PolicyChange[]): void {
  const key = KEYED_LISTS[normalize(segments)];
  if (key) {
    const keyOf = (item: unknown) => String((item as Record<string, unknown>)[key]);
    const before = new Map(a.map((item, index) => [keyOf(item), { item, index }]));
    const after = new Map(b.map((item, index) => [keyOf(item), { item, index }]));
    for (const [id, { item, index }] of before) {
      if (!after.has(id)) emit({ segments: [...segments, index], kind: "removed", before: item }, out);
    }
    for (const [id, { item, index }] of after) {
      const previous = before.get(id);
      if (!previous) emit({ segments: [...segments, index], kind: "added", after: item }, out);
      else if (ITEM_RULES[normalize(segments)]) {
        if (canonicalJson(previous.item) !== canonicalJson(item)) {
          emit({ segments: [...segments, index], kind: "changed", before: previous.item, after: item }, out);
        }
      } else walk(previous.item, item, [...segments, index], out);
    }
    return;
  }
  const beforeKeys = new Set(a.map((item) => canonicalJson(item)));
  const afterKeys = new Set(b.map((item) => canonicalJson(item)));
  a.forEach((item, index) => {
    if (!afterKeys.has(canonicalJson(item))) emit({ segments: [...segments, index], kind: "removed", before: item }, out);
  });
  b.forEach((item, index) => {
    if (!beforeKeys.has(canonicalJson(item))) emit({ segments: [...segments, index], kind: "added", after: item }, out);
  });
}

function emit(raw: Raw, out: PolicyChange[]): void {
  const path = normalize(raw.segments);
  const described = describe(path, raw);
  out.push({
    path: formatJsonPath(raw.segments),
    kind: raw.kind,
    ...(raw.before !== undefined ? { before: raw.before } : {}),
    ...(raw.after !== undefined ? { after: raw.after } : {}),
    ...(described.risk ? { risk: described.risk } : {}),
    text: described.text,
  });
}

// ——— wording ———

function describe(path: string, raw: Raw): Described {
  const whole = WHOLE_RULES[path];
  if (whole && (raw.before === undefined || raw.after === undefined)) return whole(raw);
  const item = ITEM_RULES[path.replace(/\[\]$/, "")];
  if (item && path.endsWith("[]")) return item(raw);
  for (const [pattern, rule] of LEAF_RULES) {
    const match = pattern.exec(path);
    if (match) {
      const described = rule(raw, match);
      if (described) return described;
    }
  }
  return generic(raw);
}

function generic(raw: Raw): Described {
  const where = `\`${formatJsonPath(raw.segments)}\``;
  if (raw.kind === "added") return { text: `sets ${where} to ${show(raw.after)}` };
  if (raw.kind === "removed") return { text: `removes ${where} (was ${show(raw.before)})` };
  return { text: `changes ${where} from ${show(raw.before)} to ${show(raw.after)}` };
}

function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item !== "object")) return value.length === 0 ? "nothing" : value.join(", ");
  const json = canonicalJson(value ?? null);
  return json.length > 120 ? `${json.slice(0, 117)}…` : json;
}

function ranked(order: readonly string[], raw: Raw, up: string, down: string, subject: string): Described {
  const from = order.indexOf(String(raw.before));
  const to = order.indexOf(String(raw.after));
  if (raw.kind === "added") return { text: `sets ${subject} to ${String(raw.after)}`, risk: "tightens" };
  if (raw.kind === "removed") return { text: `stops overriding ${subject} (was ${String(raw.before)}; the baseline applies)`, risk: "loosens" };
  return to > from
    ? { text: `${up} ${subject} from ${String(raw.before)} to ${String(raw.after)}`, risk: "tightens" }
    : { text: `${down} ${subject} from ${String(raw.before)} to ${String(raw.after)}`, risk: "loosens" };
}

function element(raw: Raw, added: string, removed: string, addedRisk: ChangeRisk): Described {
  const value = show(raw.kind === "removed" ? raw.before : raw.after);
  return raw.kind === "removed"
    ? { text: removed.replace("%", value), risk: addedRisk === "loosens" ? "tightens" : "loosens" }
    : { text: added.replace("%", value), risk: addedRisk };
}

function onOff(raw: Raw, on: string, off: string, onRisk: ChangeRisk): Described {
  const enabled = raw.after === true;
  return enabled ? { text: on, risk: onRisk } : { text: off, risk: onRisk === "tightens" ? "loosens" : "tightens" };
}

function formatBytes(value: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
    if (value >= size && value % size === 0) return `${value / size} ${unit}`;
  }
  return `${value} bytes`;
}

function formatDuration(seconds: number): string {
  const units = [
    ["year", 31_536_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ] as const;
  for (const [unit, size] of units) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}${seconds / size === 1 ? "" : "s"}`;
  }
  return `${seconds} seconds`;
}

function numeric(raw: Raw, subject: string, format: (value: number) => string, higherIsLooser: boolean): Described {
  const before = raw.before as number | undefined;
  const after = raw.after as number | undefined;
  if (raw.kind === "added") return { text: `sets ${subject} to ${format(after!)}`, risk: higherIsLooser ? "tightens" : "loosens" };
  if (raw.kind === "removed")
    return { text: `stops overriding ${subject} (was ${format(before!)}; the baseline applies)`, risk: higherIsLooser ? "loosens" : "tightens" };
  const raised = after! > before!;
  return {
    text: `${raised ? "raises" : "lowers"} ${subject} from ${format(before!)} to ${format(after!)}`,
    risk: raised === higherIsLooser ? "loosens" : "tightens",
  };
}

function describeRateLimit(limit: Record<string, unknown>): string {
  const key = limit.key === "token-subject" ? "token subject" : "client IP";
  return `\`${String(limit.id)}\`: ${String(limit.requests)} requests per ${formatDuration(Number(limit.windowSeconds))} per ${key} on ${show(limit.paths)}`;
}

/** Rules for an item of a keyed list, reported as a whole. */
const ITEM_RULES: Record<string, (raw: Raw) => Described> = {
  ".exceptions": (raw) => {
    const before = raw.before as PolicyException | undefined;
    const after = raw.after as PolicyException | undefined;
    if (raw.kind === "added") return { text: `adds ${describeException(after!)}`, risk: "loosens" };
    if (raw.kind === "removed") return { text: `removes ${describeException(before!)}`, risk: "tightens" };
    const beforeExpires = before!.expires;
    const afterExpires = after!.expires;
    // What the exception lets through; wording and dates are compared separately.
    const scope = (entry: PolicyException) => canonicalJson({ ...entry, expires: null, justification: null, ticket: null });
    if (scope(before!) !== scope(after!)) {
      return {
        text: `changes the exception \`${after!.id}\` from ${describeExceptionTarget(before!)} to ${describeExceptionTarget(after!)}, expires ${afterExpires}`,
        risk: "loosens",
      };
    }
    if (beforeExpires !== afterExpires) {
      const extends_ = afterExpires > beforeExpires;
      return {
        text: `${extends_ ? "extends" : "shortens"} the exception \`${after!.id}\` (${describeExceptionTarget(after!)}) from ${beforeExpires} to ${afterExpires}`,
        risk: extends_ ? "loosens" : "tightens",
      };
    }
    return { text: `rewords the justification or ticket of the exception \`${after!.id}\`` };
  },
  ".rateLimits": (raw) => {
    const before = raw.before as Record<string, unknown> | undefined;
    const after = raw.after as Record<string, unknown> | undefined;
    if (raw.kind === "added") return { text: `adds rate limit ${describeRateLimit(after!)}`, risk: "tightens" };
    if (raw.kind === "removed") return { text: `removes rate limit ${describeRateLimit(before!)}`, risk: "loosens" };
    const rateBefore = Number(before!.requests) / Number(before!.windowSeconds);
    const rateAfter = Number(after!.requests) / Number(after!.windowSeconds);
    const looser = rateAfter > rateBefore || (after!.mode === "log-only" && before!.mode === "block");
    return {
      text: `changes rate limit ${describeRateLimit(before!)} to ${describeRateLimit(after!)}${after!.mode !== before!.mode ? ` (${String(after!.mode)})` : ""}`,
      risk: looser ? "loosens" : "tightens",
    };
  },
};

/** Rules for a section or list that appears or disappears as a whole. */
const WHOLE_RULES: Record<string, (raw: Raw) => Described> = {
  ".methods": (raw) =>
    raw.kind === "added"
      ? { text: `restricts methods to ${show((raw.after as { allowed: string[] }).allowed)}`, risk: "tightens" }
      : { text: "stops restricting methods (the baseline's apply)", risk: "loosens" },
  ".allow": (raw) =>
    raw.kind === "added"
      ? { text: `allows only the ${(raw.after as unknown[]).length} listed routes`, risk: "tightens" }
      : { text: "stops restricting routes", risk: "loosens" },
  ".openapi": (raw) =>
    raw.kind === "added"
      ? { text: `adds OpenAPI validation (${(raw.after as { validation: string }).validation})`, risk: "tightens" }
      : { text: "removes OpenAPI validation", risk: "loosens" },
  ".tokenVerification": (raw) =>
    raw.kind === "added"
      ? {
          text: `adds token verification for ${show((raw.after as { issuers: Array<{ issuer: string }> }).issuers.map((issuer) => issuer.issuer))}`,
          risk: "tightens",
        }
      : { text: "removes token verification", risk: "loosens" },
  ".cors": (raw) =>
    raw.kind === "added"
      ? { text: `allows cross-origin requests from ${show((raw.after as { allowOrigins: string[] }).allowOrigins)}`, risk: "loosens" }
      : { text: "removes the CORS configuration (no cross-origin access)", risk: "tightens" },
  ".upstreamTls": (raw) =>
    raw.kind === "added" ? { text: "configures TLS to the upstream" } : { text: "removes the upstream TLS configuration", risk: "loosens" },
  ".geolocation.allowCountries": (raw) =>
    raw.kind === "added"
      ? { text: `allows traffic only from ${show(raw.after)}`, risk: "tightens" }
      : { text: `stops restricting traffic to ${show(raw.before)}`, risk: "loosens" },
  ".securityHeaders.contentSecurityPolicy": (raw) =>
    raw.kind === "added" ? { text: "adds a Content-Security-Policy", risk: "tightens" } : { text: "removes the Content-Security-Policy", risk: "loosens" },
};

const LEAF_RULES: Array<[RegExp, (raw: Raw, match: RegExpExecArray) => Described | undefined]> = [
  [
    /^\.metadata\.(\w+)$/,
    (raw, m) => ({ text: raw.kind === "changed" ? `changes ${m[1]} from ${show(raw.before)} to ${show(raw.after)}` : generic(raw).text }),
  ],
  [/^\.denyRules\.(\w+)\.level$/, (raw, m) => ranked(DENY_LEVELS, raw, "raises", "lowers", m[1]!)],
  [/^\.denyRules\.(\w+)\.mode$/, (raw, m) => ranked(ENFORCEMENT_MODES, raw, "switches", "switches", m[1]!)],
  [/^\.virtualPatches\.(\w+)$/, (raw, m) => ranked(VIRTUAL_PATCH_MODES, raw, "switches", "switches", `the ${m[1]} virtual patch`)],
  [/^\.methods\.allowed\[\]$/, (raw) => element(raw, "allows method %", "forbids method %", "loosens")],
  [/^\.allow\[\]\.methods\[\]$/, (raw) => element(raw, "allows method % on a route", "stops allowing method % on a route", "loosens")],
  [/^\.tls\.minVersion$/, (raw) => ranked(TLS_VERSIONS, raw, "raises", "lowers", "the minimum TLS version")],
  [/^\.tls\.cipherSuites$/, (raw) => cipherChange(raw)],
  [/^\.tls\.cipherSuites\[\]$/, (raw) => element(raw, "allows cipher suite %", "removes cipher suite %", "loosens")],
  [/^\.upstreamTls\.verify$/, (raw) => onOff(raw, "turns on upstream certificate verification", "turns off upstream certificate verification", "tightens")],
  [/^\.upstreamTls\.enabled$/, (raw) => onOff(raw, "encrypts traffic to the upstream", "stops encrypting traffic to the upstream", "tightens")],
  [/^\.upstreamTls\.minVersion$/, (raw) => ranked(TLS_VERSIONS, raw, "raises", "lowers", "the minimum upstream TLS version")],
  [
    /^\.ipAllow\.networks\.([\w-]+)$/,
    (raw, m) =>
      raw.kind === "added"
        ? { text: `declares network \`${m[1]}\` as ${show(raw.after)}` }
        : raw.kind === "removed"
          ? { text: `removes network \`${m[1]}\`` }
          : undefined,
  ],
  [/^\.ipAllow\.networks\.([\w-]+)\[\]$/, (raw, m) => element(raw, `adds % to network \`${m[1]}\``, `removes % from network \`${m[1]}\``, "loosens")],
  [
    /^\.ipAllow\.rules\[\]$/,
    (raw) => {
      const rule = (raw.kind === "removed" ? raw.before : raw.after) as { paths: string[]; allowFrom: string[] };
      return raw.kind === "removed"
        ? { text: `removes the IP allow rule for ${show(rule.paths)} (only from ${show(rule.allowFrom)})`, risk: "loosens" }
        : { text: `allows ${show(rule.paths)} only from ${show(rule.allowFrom)}`, risk: "tightens" };
    },
  ],
  [/^\.geolocation\.allowCountries\[\]$/, (raw) => element(raw, "allows traffic from %", "no longer allows traffic from %", "loosens")],
  [/^\.geolocation\.denyCountries\[\]$/, (raw) => element(raw, "blocks traffic from %", "unblocks traffic from %", "tightens")],
  [
    /^\.threatIntel\.lists\[\]$/,
    (raw) => {
      const list = (raw.kind === "removed" ? raw.before : raw.after) as { name: string; mode: string };
      return raw.kind === "removed"
        ? { text: `drops threat list \`${list.name}\``, risk: "loosens" }
        : { text: `subscribes to threat list \`${list.name}\` (${list.mode})`, risk: "tightens" };
    },
  ],
  [/^\.threatIntel\.lists\[\]\.mode$/, (raw) => ranked(ENFORCEMENT_MODES, raw, "switches", "switches", "a threat list")],
  [/^\.threatIntel\.denyNetworks\[\]$/, (raw) => element(raw, "blocks network %", "unblocks network %", "tightens")],
  [/^\.adminBlocking\.enabled$/, (raw) => onOff(raw, "turns on admin-interface blocking", "turns off admin-interface blocking", "tightens")],
  [/^\.adminBlocking\.paths\[\]$/, (raw) => element(raw, "blocks admin path %", "stops blocking admin path %", "tightens")],
  [/^\.securityHeaders\.hsts\.enabled$/, (raw) => onOff(raw, "enables HSTS", "disables HSTS", "tightens")],
  [/^\.securityHeaders\.hsts\.maxAgeSeconds$/, (raw) => numeric(raw, "HSTS max-age", formatDuration, false)],
  [/^\.securityHeaders\.hsts\.(includeSubDomains|preload)$/, (raw, m) => onOff(raw, `turns on HSTS ${m[1]}`, `turns off HSTS ${m[1]}`, "tightens")],
  [/^\.securityHeaders\.frameOptions$/, (raw) => ranked(FRAME_OPTIONS, raw, "tightens", "weakens", "X-Frame-Options")],
  [/^\.securityHeaders\.contentTypeOptions$/, (raw) => ranked(CONTENT_TYPE_OPTIONS, raw, "sets", "weakens", "X-Content-Type-Options")],
  [/^\.securityHeaders\.referrerPolicy$/, (raw) => referrerChange(raw)],
  [
    /^\.securityHeaders\.permissionsPolicy\.([\w-]+)$/,
    (raw, m) =>
      raw.kind === "added"
        ? { text: `sets Permissions-Policy ${m[1]} to (${show(raw.after)})`, risk: "tightens" }
        : raw.kind === "removed"
          ? { text: `stops setting Permissions-Policy ${m[1]}`, risk: "loosens" }
          : undefined,
  ],
  [
    /^\.securityHeaders\.permissionsPolicy\.([\w-]+)\[\]$/,
    (raw, m) => element(raw, `allows Permissions-Policy ${m[1]} for %`, `stops allowing Permissions-Policy ${m[1]} for %`, "loosens"),
  ],
  [
    /^\.securityHeaders\.contentSecurityPolicy\.directives\.([\w-]+)(\[\])?$/,
    (raw, m) =>
      m[2]
        ? element(raw, `adds % to CSP ${m[1]}`, `removes % from CSP ${m[1]}`, "loosens")
        : raw.kind === "added"
          ? { text: `adds CSP directive ${m[1]} ${show(raw.after)}` }
          : raw.kind === "removed"
            ? { text: `removes CSP directive ${m[1]}`, risk: "loosens" }
            : undefined,
  ],
  [
    /^\.securityHeaders\.contentSecurityPolicy\.reportOnly$/,
    (raw) => onOff(raw, "switches the Content-Security-Policy to report-only", "enforces the Content-Security-Policy", "loosens"),
  ],
  [
    /^\.securityHeaders\.custom\.(.+)$/,
    (raw, m) => ({
      text:
        raw.kind === "added"
          ? `sets response header ${m[1]}: ${show(raw.after)}`
          : raw.kind === "removed"
            ? `stops setting response header ${m[1]}`
            : `changes response header ${m[1]} from ${show(raw.before)} to ${show(raw.after)}`,
    }),
  ],
  [/^\.(authentication|tokenVerification)\.required$/, (raw) => onOff(raw, "requires authentication", "stops requiring authentication", "tightens")],
  [
    /^\.(authentication|tokenVerification)\.issuers\[\]$/,
    (raw) => {
      const issuer = (raw.kind === "removed" ? raw.before : raw.after) as { issuer: string };
      return raw.kind === "removed"
        ? { text: `stops trusting issuer ${issuer.issuer}`, risk: "tightens" }
        : { text: `trusts issuer ${issuer.issuer}`, risk: "loosens" };
    },
  ],
  [
    /^\.(authentication|tokenVerification)\.issuers\[\]\.(jwksUrl|keys)$/,
    (raw) => ({ text: `changes the signing keys of an issuer (${show(raw.before)} → ${show(raw.after)})`, risk: "loosens" }),
  ],
  [/^\.(authentication|tokenVerification)\.issuers\[\]\.audiences\[\]$/, (raw) => element(raw, "accepts audience %", "stops accepting audience %", "loosens")],
  [
    /^\.(authentication|tokenVerification)\.issuers\[\]\.algorithms\[\]$/,
    (raw) => element(raw, "accepts token algorithm %", "stops accepting token algorithm %", "loosens"),
  ],
  [/^\.(authentication|tokenVerification)\.publicPaths\[\]$/, (raw) => element(raw, "makes % public (no token required)", "requires a token on %", "loosens")],
  [/^\.(authentication|tokenVerification)\.clockSkewSeconds$/, (raw) => numeric(raw, "the accepted clock skew", formatDuration, true)],
  [
    /^\.tokenVerification\.rules\[\]$/,
    (raw) => {
      const rule = (raw.kind === "removed" ? raw.before : raw.after) as { paths: string[]; claims: Array<{ name: string }> };
      const what = `claims ${rule.claims.map((claim) => claim.name).join(", ")} on ${show(rule.paths)}`;
      return raw.kind === "removed" ? { text: `stops requiring ${what}`, risk: "loosens" } : { text: `requires ${what}`, risk: "tightens" };
    },
  ],
  [/^\.limits\.uninspected$/, (raw) => ranked(["log", "refuse"], raw, "switches", "switches", "what happens to uninspected requests")],
  [
    /^\.bodies\.blockedUploadExtensions\[\]$/,
    (raw) => element(raw, "refuses uploads with the extension %", "stops refusing uploads with the extension %", "tightens"),
  ],
  [/^\.bodies\.contentEncoding$/, (raw) => ranked(CONTENT_ENCODING_MODES, raw, "switches", "switches", "compressed request bodies")],
  [
    /^\.bodies\.xmlDoctype$/,
    (raw) =>
      raw.after === "allow"
        ? { text: "allows XML document type declarations (internal subsets, external entities)", risk: "loosens" }
        : { text: "refuses XML document type declarations", risk: "tightens" },
  ],
  [
    /^\.limits\.(\w+)$/,
    (raw, m) => {
      const limit = REQUEST_LIMITS[m[1] as RequestLimitName];
      if (!limit) return undefined;
      return numeric(raw, `the ${limit.label} limit`, limit.unit === "bytes" ? formatBytes : String, true);
    },
  ],
  [/^\.openapi\.validation$/, (raw) => ranked(ENFORCEMENT_MODES, raw, "switches", "switches", "OpenAPI validation")],
  [/^\.cors\.allowOrigins\[\]$/, (raw) => element(raw, "allows cross-origin requests from %", "stops allowing cross-origin requests from %", "loosens")],
  [
    /^\.cors\.allowCredentials$/,
    (raw) => onOff(raw, "allows credentialed cross-origin requests", "stops allowing credentialed cross-origin requests", "loosens"),
  ],
  [/^\.cors\.allowMethods\[\]$/, (raw) => element(raw, "allows cross-origin method %", "stops allowing cross-origin method %", "loosens")],
  [
    /^\.allow\[\]$/,
    (raw) => {
      const route = (raw.kind === "removed" ? raw.before : raw.after) as { path: string; methods: string[] };
      const text = `\`${route.methods.join("|")} ${route.path}\``;
      return raw.kind === "removed" ? { text: `stops allowing route ${text}`, risk: "tightens" } : { text: `allows route ${text}`, risk: "loosens" };
    },
  ],
  [/^\.exceptionPolicy\.maxLifetimeDays$/, (raw) => numeric(raw, "the longest allowed exception lifetime", (days) => `${days} days`, true)],
  [/^\.exceptionPolicy\.nonExemptFamilies\[\]$/, (raw) => element(raw, "forbids exceptions for %", "allows exceptions for %", "tightens")],
  [
    /^\.contentProfiles\.allowRelax\[\]$/,
    (raw) => element(raw, "lets % give way on content fields (x-rampart-content)", "keeps % on content fields too", "loosens"),
  ],
  [/^\.rateLimits\[\]$/, (raw) => ITEM_RULES[".rateLimits"]!(raw)],
  [/^\.exceptions\[\]$/, (raw) => ITEM_RULES[".exceptions"]!(raw)],
];

function cipherChange(raw: Raw): Described {
  const before = raw.before === undefined ? undefined : new Set(resolveCipherSuites(raw.before as CipherSuites));
  const after = raw.after === undefined ? undefined : resolveCipherSuites(raw.after as CipherSuites);
  const label = (value: unknown) => (typeof value === "string" ? `the ${value} profile` : show(value));
  if (!before || !after) return { ...generic(raw), risk: raw.kind === "added" ? "tightens" : "loosens" };
  const looser = after.some((suite) => !before.has(suite));
  return { text: `changes cipher suites from ${label(raw.before)} to ${label(raw.after)}`, risk: looser ? "loosens" : "tightens" };
}

function referrerChange(raw: Raw): Described {
  if (raw.kind !== "changed") return ranked([], raw, "", "", "Referrer-Policy");
  const before = REFERRER_LEAKAGE[raw.before as ReferrerPolicy];
  const after = REFERRER_LEAKAGE[raw.after as ReferrerPolicy];
  const looser = after.some((sent, index) => sent > before[index]!);
  return { text: `changes Referrer-Policy from ${String(raw.before)} to ${String(raw.after)}`, risk: looser ? "loosens" : "tightens" };
}

type Spec = { paths?: Record<string, Record<string, unknown>>; components?: unknown; [key: string]: unknown };

/** OpenAPI changes are reported per operation; everything else in the spec as one change per top-level field. */
function diffOpenApi(a: Spec, b: Spec, segments: Segments, out: PolicyChange[]): void {
  const operations = (spec: Spec) => {
    const result = new Map<string, { template: string; method: string; value: unknown }>();
    for (const [template, item] of Object.entries(spec.paths ?? {})) {
      for (const method of OPENAPI_OPERATION_METHODS) {
        if (item[method] !== undefined) {
          result.set(`${method.toUpperCase()} ${template}`, { template, method, value: { shared: item.parameters ?? null, operation: item[method] } });
        }
      }
    }
    return result;
  };
  const before = operations(a);
  const after = operations(b);
  const push = (kind: ChangeKind, name: string, entry: { template: string; method: string }, text: string, risk?: ChangeRisk) =>
    out.push({ path: formatJsonPath([...segments, "paths", entry.template, entry.method]), kind, ...(risk ? { risk } : {}), text });
  for (const [name, entry] of before) {
    if (!after.has(name)) push("removed", name, entry, `removes the operation \`${name}\` from the OpenAPI specification`, "tightens");
  }
  for (const [name, entry] of after) {
    const previous = before.get(name);
    if (!previous) push("added", name, entry, `adds the operation \`${name}\` to the OpenAPI specification`, "loosens");
    else if (canonicalJson(previous.value) !== canonicalJson(entry.value))
      push("changed", name, entry, `changes the operation \`${name}\` in the OpenAPI specification`);
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === "paths" || canonicalJson(a[key] ?? null) === canonicalJson(b[key] ?? null)) continue;
    const text = key === "components" ? "changes the OpenAPI schemas (components)" : `changes \`${key}\` of the OpenAPI specification`;
    out.push({ path: formatJsonPath([...segments, key]), kind: a[key] === undefined ? "added" : b[key] === undefined ? "removed" : "changed", text });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
