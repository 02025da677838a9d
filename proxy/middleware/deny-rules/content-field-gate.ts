// Content profiles per field (issue #21): which deny rules apply to which value
// of the matched OpenAPI operation. The classification is the policy spec's
// (listOperationFields); this file compiles it once per policy into lookups
// and, per request, tells the deny-rules middleware
//   * which profile a match's field has (the decision log names it),
//   * whether the match gives way on a content field (its family is one the
//     baseline lets relax, and its rule is not one that never relaxes),
//   * what the field's own profile finds in each content value (XSS for how
//     it is shown), in the same walk of the body the engine makes.
// Fail closed: profiles relax only when the operation is known and OpenAPI
// validation blocks (otherwise nothing guarantees the field is what the spec
// says), only for JSON bodies, urlencoded forms, query, header and cookie
// parameters; a path, XML, multipart or raw body keeps the full baseline.

import {
  listOperationFields,
  NEVER_RELAXED_RULES,
  pointerMatches,
  type Bundle,
  type ContentProfile,
  type FieldClass,
  type OperationField,
  unescapePointerToken,
} from "@/lib/policy-spec";
import { checkContent, CONTENT_RULES, type ContentFinding } from "../../detection/content-profiles.js";
import type { DetectionMatch } from "../../detection/index.js";
import { forEachCookie, forEachJsonString } from "../../detection/parse-body.js";
import type { RequestContext } from "../../runtime/request-context.js";
import { decodeFormPairs } from "../openapi/parameter-styles.js";
import { ENGINE_FAMILY_POLICY } from "./detector-config.js";

export interface ContentGateConfig {
  openapi: Bundle["openapi"];
  contentProfiles: Bundle["contentProfiles"];
}

/** What a request's match or finding is reported with: the field's profile. */
export type ProfileName = ContentProfile | "identifier";

export interface ContentFindingAt extends ContentFinding {
  part: "json-pointer" | "parameter" | "header" | "cookie";
  name: string;
  profile: ContentProfile;
}

interface OperationTable {
  /** JSON media type → body fields (pointer patterns). */
  json: Map<string, Array<{ pointer: string; class: FieldClass }>>;
  /** Form media type → field name → class. */
  form: Map<string, Map<string, FieldClass>>;
  query: Map<string, FieldClass>;
  header: Map<string, FieldClass>;
  cookie: Map<string, FieldClass>;
  hasContent: boolean;
}

export interface RequestGate {
  /** The profile of the field a match is on, or null (undescribed: the full baseline). */
  profileOf(match: DetectionMatch): ProfileName | null;
  /** True when the match gives way to the field's content profile. */
  relaxes(match: DetectionMatch): boolean;
  /**
   * The JSON body's strings as the engine walks them (DetectionRequest.jsonStrings), so the
   * body is parsed once per request; null when no JSON field of the operation is content.
   */
  readonly jsonStrings: ((pointer: string, value: string, isKey: boolean) => void) | null;
  /** Every content value checked against its profile; the findings, in request order. `jsonWalked`: the engine's walk saw the whole body. */
  findings(jsonWalked: boolean): ContentFindingAt[];
}

const NEVER = new Set<string>(NEVER_RELAXED_RULES);
const MAX_JSON_STRINGS = 10_000;
const MAX_PAIRS = 1024;

export function newContentFieldGate(config: ContentGateConfig): ((ctx: RequestContext) => RequestGate | null) | null {
  const openapi = config.openapi;
  // Without a blocking OpenAPI validation nothing holds a field to its schema: no profile applies.
  if (openapi === null || openapi.mode !== "block") return null;
  const relaxable = new Set<string>(config.contentProfiles.allowRelax);
  const tables = new Map<string, OperationTable>();
  let anyContent = false;
  let anyIdentifier = false;
  for (const operation of listOperationFields(openapi)) {
    const table = tableOf(operation.fields);
    anyContent ||= table.hasContent;
    anyIdentifier ||= operation.fields.some((f) => f.class.kind === "identifier");
    tables.set(`${operation.method} ${operation.template}`, table);
  }
  if (!anyContent && !anyIdentifier) return null;

  return (ctx) => {
    const operation = ctx.openapiOperation as { template?: unknown } | null;
    if (operation === null || typeof operation.template !== "string") return null;
    const table = tables.get(`${ctx.method} ${operation.template}`) ?? (ctx.method === "HEAD" ? tables.get(`GET ${operation.template}`) : undefined);
    if (table === undefined) return null;
    return new Gate(table, ctx, relaxable);
  };
}

function tableOf(fields: OperationField[]): OperationTable {
  const table: OperationTable = { json: new Map(), form: new Map(), query: new Map(), header: new Map(), cookie: new Map(), hasContent: false };
  for (const field of fields) {
    if (field.class.kind === "content") table.hasContent = true;
    if (field.in === "body" && field.mediaType !== null) {
      if (isJsonType(field.mediaType)) {
        let list = table.json.get(field.mediaType);
        if (!list) table.json.set(field.mediaType, (list = []));
        list.push({ pointer: field.name, class: field.class });
      } else if (field.mediaType === "application/x-www-form-urlencoded" && !field.name.slice(1).includes("/")) {
        let map = table.form.get(field.mediaType);
        if (!map) table.form.set(field.mediaType, (map = new Map()));
        map.set(unescapePointerToken(field.name.slice(1)), field.class);
      }
    } else if (field.in === "query" || field.in === "header" || field.in === "cookie") table[field.in].set(field.name, field.class);
  }
  return table;
}

class Gate implements RequestGate {
  private readonly jsonFields: Array<{ pointer: string; class: FieldClass }> | null;
  private readonly formFields: Map<string, FieldClass> | null;
  /** The body is one the gate can attribute to fields (JSON or urlencoded form), or there is none. */
  private readonly bodyReadable: boolean;
  readonly jsonStrings: ((pointer: string, value: string, isKey: boolean) => void) | null;
  /** Content-field strings of the JSON body, pointer and value, as the engine's walk handed them over. */
  private readonly jsonContent: string[] = [];

  constructor(
    private readonly table: OperationTable,
    private readonly ctx: RequestContext,
    private readonly relaxable: ReadonlySet<string>,
  ) {
    const type = ctx.mediaType;
    this.jsonFields = table.json.get(type) ?? null;
    this.formFields = table.form.get(type) ?? null;
    const content = ctx.content ?? ctx.body;
    this.bodyReadable = content === null || content.length === 0 || this.jsonFields !== null || this.formFields !== null;
    this.jsonStrings =
      table.hasContent && this.jsonFields !== null && this.jsonFields.some((f) => f.class.kind === "content")
        ? (pointer, value, isKey) => {
            if (!isKey && value.length > 0 && this.jsonContent.length < MAX_JSON_STRINGS * 2 && this.jsonClass(pointer)?.kind === "content")
              this.jsonContent.push(pointer, value);
          }
        : null;
  }

  private classOf(part: string, name: string): FieldClass | null {
    switch (part) {
      case "json-pointer": {
        if (this.jsonFields === null) return null;
        for (const field of this.jsonFields) if (pointerMatches(field.pointer, name)) return field.class;
        return null;
      }
      case "parameter": {
        // A name may come from the query and from a form body: it is content only where every source says so.
        if (!this.bodyReadable) return null;
        const inQuery = this.table.query.get(name);
        const inForm = this.formFields?.get(name);
        if (this.formFields !== null) {
          if (inForm === undefined) return null;
          if (inQuery !== undefined && inQuery.kind !== inForm.kind) return null;
          return inForm;
        }
        return inQuery ?? null;
      }
      case "header":
        return this.table.header.get(name.toLowerCase()) ?? null;
      case "cookie":
        return this.table.cookie.get(name) ?? null;
      default:
        return null;
    }
  }

  profileOf(match: DetectionMatch): ProfileName | null {
    const field = this.classOf(match.part, match.name);
    if (field === null || field.kind === "undescribed") return null;
    return field.kind === "content" ? field.profile : "identifier";
  }

  relaxes(match: DetectionMatch): boolean {
    // The profile's own findings are what the relaxed families give way to: they never relax.
    if (NEVER.has(match.ruleId) || match.ruleId in CONTENT_RULES || !this.relaxable.has(ENGINE_FAMILY_POLICY[match.family])) return false;
    return this.classOf(match.part, match.name)?.kind === "content";
  }

  findings(jsonWalked: boolean): ContentFindingAt[] {
    if (!this.table.hasContent) return [];
    const out: ContentFindingAt[] = [];
    const check = (part: ContentFindingAt["part"], name: string, value: string, field: FieldClass | null | undefined) => {
      if (field?.kind !== "content" || value.length === 0) return;
      const found = checkContent(field.profile, value);
      if (found) out.push({ ...found, part, name, profile: field.profile });
    };
    const ctx = this.ctx;
    if (ctx.query.length > 0 && this.table.query.size > 0) {
      for (const [name, value] of decodeFormPairs(ctx.query, MAX_PAIRS) ?? []) check("parameter", name, value, this.table.query.get(name));
    }
    for (const [name, field] of this.table.header) if (field.kind === "content") check("header", name, ctx.header(name) ?? "", field);
    if (this.table.cookie.size > 0) {
      const header = ctx.header("cookie");
      if (header !== undefined) forEachCookie(header, (name, value) => check("cookie", name, value, this.table.cookie.get(name)));
    }
    const content = ctx.content ?? ctx.body;
    if (content !== null && content.length > 0) {
      if (this.jsonStrings !== null) {
        const strings = this.jsonContent;
        if (jsonWalked) {
          // The engine's own walk, so every value it saw — duplicate keys included — is checked as the field it is.
          for (let i = 0; i < strings.length; i += 2) check("json-pointer", strings[i]!, strings[i + 1]!, this.jsonClass(strings[i]!));
        } else {
          // The engine did not read the body as JSON whole (cut at a cap, or not JSON): walk it here, as before.
          try {
            forEachJsonString(
              content.toString("utf8"),
              (pointer, value, isKey) => {
                if (!isKey) check("json-pointer", pointer, value, this.jsonClass(pointer));
              },
              MAX_JSON_STRINGS,
            );
          } catch {
            // Not JSON: the engine inspected it as a raw body (never relaxed) and OpenAPI validation refuses it.
          }
        }
      } else if (this.formFields !== null) {
        for (const [name, value] of decodeFormPairs(content.toString("latin1"), MAX_PAIRS) ?? []) check("parameter", name, value, this.formFields.get(name));
      }
    }
    return out;
  }

  private jsonClass(pointer: string): FieldClass | null {
    for (const field of this.jsonFields!) if (pointerMatches(field.pointer, pointer)) return field.class;
    return null;
  }
}

function isJsonType(type: string): boolean {
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}
