// compileDetector: validates a deny-rule config, selects and indexes the
// rules once, and returns an immutable Detector whose inspect() walks every
// part of a request (path, query, cookies, headers, form, multipart, JSON,
// XML, raw body), normalises each value and runs the rules that apply to it.
import { documentProse } from "./document.js";
import { decodeBase64Text, normaliseValue, percentDecode, type NormaliseOptions } from "./normalise.js";
import { quotedStrings } from "./header-grammar.js";
import { FILENAME_HEADERS, forEachCookie, forEachJsonString, forEachPair, isTextLike, parseMediaType, parseMultipart, parseXml } from "./parse-body.js";
import { ALL_RULES, REQUEST_CHECKS } from "./rule-catalog.js";
import { findInvalidHeader, findSmuggling } from "./rules/protocol.js";
import { isScannerHeader } from "./rules/scanner.js";
import { K, Subject, type Hit, type Rule, type SharedAnalysis } from "./subject.js";
import {
  detectorConfigSchema,
  LEVELS,
  type DetectionMatch,
  type DetectionRequest,
  type DetectionResult,
  type Detector,
  type DetectorConfig,
  type Family,
  PARTS,
  type Part,
  type UninspectedPart,
} from "./types.js";

export interface DetectorOptions {
  /** Body bytes inspected; beyond them the result names the body as uninspected. Default 1 MiB. */
  maxInspectBytes?: number;
  /** Values longer than this are inspected on their first maxValueLength characters and named as uninspected. Default: maxInspectBytes. */
  maxValueLength?: number;
}

const LEVEL_RANK: Record<(typeof LEVELS)[number], number> = { basic: 0, standard: 1, strict: 2 };

/** Headers whose syntax is fixed by HTTP; only java and protocol rules read them (Log4Shell hid in any header). */
const STRUCTURAL_HEADERS = new Set([
  "host",
  "content-length",
  "content-type",
  "accept",
  "accept-encoding",
  "accept-language",
  "accept-charset",
  "connection",
  "keep-alive",
  "proxy-connection",
  "cache-control",
  "pragma",
  "if-match",
  "if-none-match",
  "if-modified-since",
  "if-unmodified-since",
  "if-range",
  "te",
  "upgrade",
  "dnt",
  "upgrade-insecure-requests",
  "priority",
  "content-encoding",
  "transfer-encoding",
  "range",
  "sec-fetch-site",
  "sec-fetch-mode",
  "sec-fetch-dest",
  "sec-fetch-user",
  "sec-ch-ua",
  "sec-ch-ua-mobile",
  "sec-ch-ua-platform",
  "sec-gpc",
  "sec-websocket-key",
  "sec-websocket-version",
  "sec-websocket-extensions",
  "sec-purpose",
  "purpose",
  "expect",
]);

const CLEAN_CACHE_SIZE = 4096;
/** Character-class masks remembered per plan list (entriesForMask); values with other masks filter on the fly. */
const MASK_PLANS = 512;
const CACHEABLE_VALUE_LENGTH = 1024;
// Counts past which the rest of a body is not inspected (and the result says so: the proxy refuses such a request unless the policy says otherwise).
const MAX_JSON_STRINGS = 10_000;
const MAX_MULTIPART_PARTS = 1_000;
const MAX_XML_NODES = 10_000;
const EXCERPT_MAX = 64;
const JAVA_SERIALIZATION_MAGIC = Buffer.from([0xac, 0xed, 0x00, 0x05]);

const QUERY_OPTS: NormaliseOptions = { urlDecode: true, plusAsSpace: true };
const PLAIN_OPTS: NormaliseOptions = { urlDecode: true, plusAsSpace: false };
const TEXT_OPTS: NormaliseOptions = { urlDecode: false, plusAsSpace: false };

interface ActiveRule {
  rule: Rule;
  family: Family;
  blocking: boolean;
}

/** One step of evaluation: a single rule, or one shared analysis reported as several rule ids. */
interface Entry {
  needs: number;
  single: ActiveRule | null;
  analysis: SharedAnalysis | null;
  members: ActiveRule[];
}

interface RequestCheck {
  family: Family;
  blocking: boolean;
}

/** Everything compileDetector precomputes; shared, read-only apart from its caches. */
class Plan {
  readonly byKind = new Map<number, Entry[]>();
  /** Plans of the basic-level rules only, for the code blocks of markdown documents (document.ts). */
  private readonly basicByKind = new Map<number, Entry[]>();
  // Header and cookie values repeat across requests (User-Agent, Accept-*,
  // session cookies): values that matched nothing are remembered per location
  // and skipped next time. Bounded; dropped wholesale when full.
  private readonly cleanCache = new Map<number, Map<string, Set<string>>>();
  private cleanCount = 0;
  /**
   * The entries of a plan that can fire on a value with a given character-class mask (needs
   * nothing, or needs a class the value has): per plan list and mask, so a plain word skips the
   * seventy-odd rules gated on punctuation without looking at each. Bounded per plan list.
   */
  private readonly byMask = new Map<Entry[], Map<number, Entry[]>>();

  constructor(
    readonly active: readonly ActiveRule[],
    readonly requestChecks: ReadonlyMap<string, RequestCheck>,
    readonly maxInspectBytes: number,
    readonly maxValueLength: number,
  ) {}

  /** Evaluation plan for a location bitmask (a handful exist); rules sharing an analysis collapse into one entry. */
  entriesFor(kind: number, basicOnly = false): Entry[] {
    const cache = basicOnly ? this.basicByKind : this.byKind;
    let list = cache.get(kind);
    if (list) return list;
    list = [];
    const groups = new Map<string, Entry>();
    for (const a of this.active) {
      if ((a.rule.targets & kind) === 0) continue;
      if (basicOnly && a.rule.level !== "basic") continue;
      const shared = a.rule.analysis;
      if (shared) {
        let g = groups.get(shared.key);
        if (!g) {
          g = { needs: 0, single: null, analysis: shared, members: [] };
          groups.set(shared.key, g);
          list.push(g);
        }
        g.members.push(a);
      } else list.push({ needs: a.rule.needs, single: a, analysis: null, members: [] });
    }
    cache.set(kind, list);
    return list;
  }

  /** `entries` less those whose character-class gate the mask does not open; null when too many masks were seen (the caller tests each entry). */
  entriesForMask(entries: Entry[], mask: number): Entry[] | null {
    let masks = this.byMask.get(entries);
    if (masks === undefined) this.byMask.set(entries, (masks = new Map()));
    let list = masks.get(mask);
    if (list !== undefined) return list;
    if (masks.size >= MASK_PLANS) return null;
    list = entries.filter((e) => e.needs === 0 || (mask & e.needs) !== 0);
    masks.set(mask, list);
    return list;
  }

  /**
   * A clean verdict holds only for the same inputs to the rules: the raw value, how it was
   * normalised, its location kind, its part and its name (a rule may read any of them:
   * sqli.nosql-operator reads the part). A verdict kept for less could be borrowed by
   * another location — a value clean as a JSON key skipping the query-name reading of it.
   */
  isKnownClean(site: number, name: string, raw: string): boolean {
    return this.cleanCache.get(site)?.get(name)?.has(raw) === true;
  }

  rememberClean(site: number, name: string, raw: string): void {
    if (raw.length > CACHEABLE_VALUE_LENGTH || name.length > CACHEABLE_VALUE_LENGTH) return;
    if (this.cleanCount >= CLEAN_CACHE_SIZE) {
      this.cleanCache.clear();
      this.cleanCount = 0;
    }
    let byName = this.cleanCache.get(site);
    if (!byName) this.cleanCache.set(site, (byName = new Map()));
    let set = byName.get(name);
    if (!set) byName.set(name, (set = new Set()));
    set.add(raw);
    this.cleanCount++;
  }
}

const PART_INDEX: Readonly<Record<Part, number>> = Object.fromEntries(PARTS.map((p, i) => [p, i])) as Record<Part, number>;

/** One number per (kind, normalisation, part): the clean cache's first key. */
function siteOf(kind: number, part: Part, opts: NormaliseOptions): number {
  const optsIndex = opts === QUERY_OPTS ? 0 : opts === PLAIN_OPTS ? 1 : 2;
  return kind | (optsIndex << 12) | (PART_INDEX[part] << 14);
}

export function compileDetector(config: DetectorConfig, options: DetectorOptions = {}): Detector {
  const parsed = detectorConfigSchema.parse(config);

  const active: ActiveRule[] = [];
  for (const rule of ALL_RULES) {
    const setting = parsed.families[rule.family];
    if (!setting || LEVEL_RANK[rule.level] > LEVEL_RANK[setting.level]) continue;
    active.push({ rule, family: rule.family, blocking: setting.mode === "block" });
  }
  const requestChecks = new Map<string, RequestCheck>();
  for (const check of REQUEST_CHECKS) {
    const setting = parsed.families[check.family];
    if (setting && LEVEL_RANK[check.level] <= LEVEL_RANK[setting.level])
      requestChecks.set(check.id, { family: check.family, blocking: setting.mode === "block" });
  }
  const maxInspectBytes = options.maxInspectBytes ?? 1024 * 1024;
  const plan = new Plan(active, requestChecks, maxInspectBytes, options.maxValueLength ?? maxInspectBytes);
  // warm the plans of the common locations so the first request pays nothing
  for (const k of Object.values(K)) plan.entriesFor(k);

  const activeRuleIds = Object.freeze([...active.map((a) => a.rule.id), ...requestChecks.keys()]);
  const anyActive = active.length > 0 || requestChecks.size > 0;
  return Object.freeze({
    activeRuleIds,
    inspect(req: DetectionRequest): DetectionResult {
      if (!anyActive) return { matches: [], blocked: false, uninspected: [] };
      return new Inspection(plan, req).run();
    },
  });
}

/** The state of one inspect() call. */
class Inspection {
  readonly matches: DetectionMatch[] = [];
  readonly uninspected: UninspectedPart[] = [];
  blocked = false;
  /** The body was walked as JSON, whole. */
  jsonWalked = false;
  /** The body was cut at the inspection limit. */
  private clipped = false;
  /** Parameter values by decoded name, kept only for names seen more than once (ASP.NET reads those comma-joined). */
  private paramValues: Map<string, string | string[]> | null = null;
  private hits = 0;

  constructor(
    private readonly plan: Plan,
    private readonly req: DetectionRequest,
  ) {}

  run(): DetectionResult {
    const req = this.req;
    this.value(req.path, "path", "", K.PATH, PLAIN_OPTS, false);
    if (req.query.length > 0) this.pairs(req.query);

    let contentType = req.contentType;
    for (const [hn, hv] of req.headers) {
      const lname = hn.toLowerCase();
      if (lname === "cookie") {
        if (!req.cookies) forEachCookie(hv, (cn, cv) => this.cookie(cn, cv));
        continue;
      }
      if (lname === "content-type" && contentType === undefined) contentType = hv;
      let kind: number;
      if (lname === "user-agent") kind = K.HEADER_UA;
      else if (lname === "referer") kind = K.HEADER_REFERER;
      else if (FILENAME_HEADERS.has(lname)) kind = K.FILENAME | K.HEADER_OTHER;
      else if (STRUCTURAL_HEADERS.has(lname)) kind = K.HEADER_STRUCTURAL;
      else kind = K.HEADER_OTHER;
      this.value(hv, "header", hn, kind, PLAIN_OPTS, true);
      // a header with a grammar (validated by the proxy) carries free text only in its quoted strings: read those as any header
      if (kind === K.HEADER_STRUCTURAL && hv.indexOf('"') >= 0)
        for (const text of quotedStrings(hv)) this.value(text, "header", hn, K.HEADER_OTHER, PLAIN_OPTS, true);
      // the Referer's own query string carries the previous page's parameters: inspect them as parameters too
      if (kind === K.HEADER_REFERER) {
        const qm = hv.indexOf("?");
        if (qm >= 0 && qm < hv.length - 1) {
          const hash = hv.indexOf("#", qm);
          forEachPair(hash < 0 ? hv.slice(qm + 1) : hv.slice(qm + 1, hash), (_n, v) => this.value(v, "header", hn, K.ARG_VALUE, QUERY_OPTS, true), 64);
        }
      }
    }
    if (req.cookies) for (const [cn, cv] of req.cookies) this.cookie(cn, cv);
    if (this.plan.requestChecks.size > 0) this.headerChecks();

    const body = req.body;
    if (body !== undefined && body.length > 0) this.body(body, contentType ?? "");
    this.joinedParameters();
    const result: DetectionResult = { matches: this.matches, blocked: this.blocked, uninspected: this.uninspected };
    // Only for a caller that asked for the strings: the result of everyone else keeps its shape.
    if (req.jsonStrings !== undefined) result.jsonWalked = this.jsonWalked;
    return result;
  }

  private skipped(cap: string, part: Part, name: string): void {
    if (this.uninspected.length < 16) this.uninspected.push({ cap, part, name });
  }

  private record(family: Family, ruleId: string, blocking: boolean, part: Part, name: string, excerpt: string): void {
    this.matches.push({ ruleId, family, part, name, excerpt, action: blocking ? "blocked" : "logged" });
    if (blocking) this.blocked = true;
  }

  private check(id: string, part: Part, name: string, excerpt: string): void {
    const c = this.plan.requestChecks.get(id);
    if (c) this.record(c.family, id, c.blocking, part, name, maskText(excerpt));
  }

  private cookie(name: string, value: string): void {
    this.value(name, "cookie", name, K.COOKIE_NAME, PLAIN_OPTS, true);
    this.value(value, "cookie", name, K.COOKIE_VALUE, PLAIN_OPTS, true);
  }

  /** Query strings and urlencoded bodies: every pair, and repeated names also comma-joined (see joinedParameters). */
  private pairs(s: string): void {
    forEachPair(s, (n, v) => {
      const name = percentDecode(n, true);
      // parameter names repeat across requests like headers do: cache the clean ones
      this.value(n, "parameter", name, K.ARG_NAME, QUERY_OPTS, true);
      this.value(v, "parameter", name, K.ARG_VALUE, QUERY_OPTS, false);
      this.rememberParameter(name, v);
    });
  }

  private rememberParameter(name: string, value: string): void {
    // one Map per request with parameters: a first value is kept as a string, repeats turn it into a list
    const seen = (this.paramValues ??= new Map());
    const before = seen.get(name);
    if (before === undefined) seen.set(name, value);
    else if (typeof before === "string") seen.set(name, [before, value]);
    else before.push(value);
  }

  /** a=1&a=2 reaches an ASP.NET application as "1,2" (query and form together): a payload split over repeats is read whole. */
  private joinedParameters(): void {
    if (this.paramValues === null) return;
    for (const [name, values] of this.paramValues) {
      if (typeof values !== "string") this.value(values.join(","), "parameter", name, K.ARG_VALUE, QUERY_OPTS, false);
    }
  }

  value(raw: string, part: Part, name: string, kind: number, opts: NormaliseOptions, cacheable: boolean): void {
    if (raw.length === 0) return;
    const plan = this.plan;
    const site = cacheable ? siteOf(kind, part, opts) : 0;
    if (cacheable && plan.isKnownClean(site, name, raw)) return;
    const entries = plan.entriesFor(kind);
    if (entries.length === 0) return;
    const hitsBefore = this.hits;
    let clipped = raw;
    if (raw.length > plan.maxValueLength) {
      clipped = raw.slice(0, plan.maxValueLength);
      this.skipped("value-length", part, name);
    }
    const text = normaliseValue(clipped, opts);
    const prose = (kind & K.ARG_VALUE) !== 0 && text.length >= 16 ? documentProse(text) : null;
    if (prose === null) this.evaluate(new Subject(clipped, text, { part, name, kind }), entries);
    else {
      // a markdown document: its code is read by the near-certain signatures, its prose by every rule
      this.evaluate(new Subject(clipped, text, { part, name, kind }), plan.entriesFor(kind, true));
      this.evaluate(new Subject(clipped, prose, { part, name, kind }), entries);
    }
    // base64-wrapped payloads: only for values that decode to text
    if ((kind & (K.ARG_VALUE | K.COOKIE_VALUE)) !== 0) {
      const decoded = decodeBase64Text(text);
      if (decoded !== null) {
        const b64 = plan.entriesFor(K.DECODED_B64);
        if (b64.length > 0) this.evaluate(new Subject(decoded, normaliseValue(decoded, TEXT_OPTS), { part, name, kind: K.DECODED_B64 }), b64);
      }
    }
    if (cacheable && this.hits === hitsBefore) plan.rememberClean(site, name, raw);
  }

  private evaluate(subject: Subject, all: Entry[]): void {
    const mask = subject.mask;
    const gated = this.plan.entriesForMask(all, mask);
    const entries = gated ?? all;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (gated === null && e.needs !== 0 && (mask & e.needs) === 0) continue;
      const single = e.single;
      if (single !== null) {
        const hit = single.rule.test(subject);
        if (hit !== null) this.hit(single, subject, hit);
        continue;
      }
      const findings = e.analysis!.run(subject);
      if (findings.size === 0) continue;
      for (const a of e.members) {
        const hit = findings.get(a.rule.id);
        if (hit !== undefined) this.hit(a, subject, hit);
      }
    }
  }

  private hit(a: ActiveRule, subject: Subject, hit: Hit): void {
    this.hits++;
    this.record(a.family, a.rule.id, a.blocking, subject.target.part, subject.target.name, excerptOf(subject, hit));
  }

  private headerChecks(): void {
    const headers = this.req.headers;
    if (this.plan.requestChecks.has("protocol.request-smuggling")) {
      const hit = findSmuggling(headers);
      if (hit) this.check("protocol.request-smuggling", "header", hit[0], hit[1]);
    }
    if (this.plan.requestChecks.has("protocol.invalid-header")) {
      const hit = findInvalidHeader(headers);
      if (hit) this.check("protocol.invalid-header", "header", hit[0], hit[1]);
    }
    if (this.plan.requestChecks.has("scanner.header")) {
      for (const [hn] of headers) {
        if (isScannerHeader(hn)) {
          this.check("scanner.header", "header", hn, hn);
          break;
        }
      }
    }
  }

  private body(body: Buffer | string, contentType: string): void {
    const max = this.plan.maxInspectBytes;
    const media = parseMediaType(contentType);
    const ct = typeof media === "string" ? contentType.toLowerCase() : media.type;
    let buffer: Buffer;
    if (typeof body === "string") buffer = Buffer.from(body, "utf8");
    else {
      if (body.length >= 4 && body[0] === 0xac && body.subarray(0, 4).equals(JAVA_SERIALIZATION_MAGIC)) this.javaSerializedBody();
      buffer = body;
    }
    if (buffer.length > max) {
      buffer = buffer.subarray(0, max);
      this.clipped = true;
      this.skipped("body-bytes", "body", "");
    }
    const isJson = ct.includes("json");
    const isXml = ct.includes("xml");
    const text = buffer.toString(isJson || isXml || ct.startsWith("text/") ? "utf8" : "latin1");
    if (ct === "application/x-www-form-urlencoded") {
      this.pairs(text);
      return;
    }
    if (ct.startsWith("multipart/") && typeof media !== "string") {
      const boundary = media.params.get("boundary");
      const parsed = boundary === undefined ? null : parseMultipart(buffer, boundary, ct === "multipart/form-data");
      if (parsed !== null && parsed.ok) {
        this.multipart(parsed.parts);
        return;
      }
    }
    if (isJson && this.jsonBody(text)) return;
    if (isXml) {
      const parsed = parseXml(text, true);
      if (parsed.ok) {
        const nodes = parsed.nodes;
        const count = Math.min(nodes.length, MAX_XML_NODES);
        if (nodes.length > MAX_XML_NODES) this.skipped("xml-nodes", "body", "");
        for (let i = 0; i < count; i++) {
          const node = nodes[i]!;
          const isDoctype = node.name === "" && node.text.startsWith("<!DOCTYPE");
          this.value(node.text, "body", node.name, isDoctype ? K.BODY_RAW : K.ARG_VALUE, PLAIN_OPTS, false);
        }
        return;
      }
    }
    this.value(text, "body", "", K.BODY_RAW, PLAIN_OPTS, false);
  }

  /** Field names, file names, field values and the content of text-like files; binary files are not read as text. */
  private multipart(parts: ReadonlyArray<import("./parse-body.js").MultipartPart>): void {
    const count = Math.min(parts.length, MAX_MULTIPART_PARTS);
    if (parts.length > MAX_MULTIPART_PARTS) this.skipped("multipart-parts", "parameter", "");
    for (let i = 0; i < count; i++) {
      const part = parts[i]!;
      this.value(part.name, "parameter", part.name, K.ARG_NAME, PLAIN_OPTS, true);
      if (part.filename !== null) this.value(part.filename, "parameter", part.name, K.FILENAME, PLAIN_OPTS, false);
      if (part.content.length === 0) continue;
      if (part.filename === null) {
        this.value(part.content.toString("utf8"), "parameter", part.name, K.ARG_VALUE, PLAIN_OPTS, false);
        this.rememberParameter(part.name, part.content.toString("utf8"));
      } else if (isTextLike(part.content)) this.value(part.content.toString("utf8"), "parameter", part.name, K.ARG_VALUE, TEXT_OPTS, false);
    }
  }

  /** forEachJsonString's visitor (a method: no closure per request). */
  jsonString(pointer: string, value: string, isKey: boolean): void {
    if (isKey) {
      this.value(value, "json-pointer", pointer, K.ARG_NAME, PLAIN_OPTS, true);
      // {"constructor":{"prototype":…}} spreads the pollution path over two keys
      if (value === "prototype") this.value(pointer, "json-pointer", pointer, K.ARG_NAME, PLAIN_OPTS, false);
    } else this.value(value, "json-pointer", pointer, K.ARG_VALUE, PLAIN_OPTS, false);
    const also = this.req.jsonStrings;
    if (also !== undefined) also(pointer, value, isKey);
  }

  /** Every key and string value, duplicate keys included; false when the text is not JSON. */
  private jsonBody(text: string): boolean {
    try {
      JSON.parse(text);
    } catch {
      return false;
    }
    const seen = forEachJsonString(text, this, MAX_JSON_STRINGS);
    if (seen > MAX_JSON_STRINGS) this.skipped("json-strings", "body", "");
    else this.jsonWalked = !this.clipped;
    return true;
  }

  private javaSerializedBody(): void {
    for (const a of this.plan.active) {
      if (a.rule.id === "java.serialized-object") {
        this.record(a.family, a.rule.id, a.blocking, "body", "", "\\xac\\xed\\x00\\x05");
        return;
      }
    }
  }
}

/** Only the matched fragment leaves the engine: at most 64 characters, control characters escaped. */
function excerptOf(s: Subject, hit: Hit): string {
  const src = s.text.length === s.lower.length ? s.text : s.lower;
  const start = Math.max(0, Math.min(hit[0], src.length));
  const end = Math.max(start, Math.min(hit[1], src.length));
  if (end === start) return maskText(s.raw.slice(0, Math.min(s.raw.length, 16)));
  return maskText(src.slice(start, end));
}

function maskText(t: string): string {
  const clipped = t.length > EXCERPT_MAX ? `${t.slice(0, EXCERPT_MAX - 1)}…` : t;
  return clipped.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
