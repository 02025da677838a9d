// Deny rules: the detection engine (proxy/detection, compiled once) inspects
// the path, query, headers, cookies and body; this middleware turns its matches
// into decisions. Exceptions are evaluated here rather than in the engine so
// they use the policy's own path matchers and its expiry instants: an
// exception stops applying at `expiresAt` by this process's clock, with no
// reload needed. The Log4Shell virtual patch in block mode blocks JNDI lookups
// whatever the java family's mode, and no exception can lift it.

import type { Bundle } from "@/lib/policy-spec";
import { compileDetector, type DetectionMatch, type DetectionRequest } from "../../detection/index.js";
import { compilePathMatchers, type PathPredicate } from "../../match/path-matchers.js";
import { blocked, logged, maskExcerpt, type Decision } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";
import type { RequestContext } from "../../runtime/request-context.js";
import { newContentFieldGate, type ContentGateConfig } from "./content-field-gate.js";
import { detectorConfigFor, ENGINE_FAMILY_POLICY, engineRuleFor } from "./detector-config.js";

export interface DenyRulesConfig {
  denyRules: Bundle["denyRules"];
  /** The operation table and the baseline's floor, for content profiles per field (content-field-gate.ts). Absent: none. */
  contentFields?: ContentGateConfig;
  /** What happens to a request with a part the engine did not inspect whole. */
  uninspected: Bundle["limits"]["uninspected"];
  virtualPatches: Bundle["virtualPatches"];
  exceptions: Bundle["exceptions"];
}

export interface DenyRulesOptions {
  /** Body bytes the engine inspects. */
  maxInspectBytes: number;
  /** The clock exceptions expire by; injectable for tests. */
  now?: () => number;
}

interface CompiledException {
  id: string;
  family: string;
  ruleId: string | null;
  part: string;
  name: string | null;
  pointer: string | null;
  applies: PathPredicate;
  methods: ReadonlySet<string> | null;
  expiresAt: number;
}

const JNDI_RULE = "java.jndi-lookup";

export function newDenyRules(config: DenyRulesConfig, options: DenyRulesOptions): Middleware {
  const detector = compileDetector(detectorConfigFor(config.denyRules), { maxInspectBytes: options.maxInspectBytes });
  const now = options.now ?? Date.now;
  const patchJndi = config.virtualPatches.log4shell === "block";
  const gateFor = config.contentFields ? newContentFieldGate(config.contentFields) : null;
  const contentMode = config.denyRules.xss.mode;
  const exceptions: CompiledException[] = config.exceptions.map((e) => {
    let ruleId: string | null = null;
    if (e.ruleId !== null) {
      const rule = engineRuleFor(e.ruleId);
      if (!rule) throw new Error(`exception "${e.id}": the proxy has no rule "${e.ruleId}" (the policy spec's catalog and the engine disagree)`);
      ruleId = rule.id;
    }
    return {
      id: e.id,
      family: e.family,
      ruleId,
      part: e.part,
      name: e.name,
      pointer: e.pointer,
      applies: compilePathMatchers(e.paths),
      methods: e.methods === null ? null : new Set(e.methods),
      expiresAt: Date.parse(e.expiresAt),
    };
  });

  const isExcepted = (ctx: RequestContext, match: DetectionMatch, at: number): boolean => {
    for (const e of exceptions) {
      if (at >= e.expiresAt) continue;
      if (e.part !== match.part) continue;
      if (e.ruleId !== null ? e.ruleId !== match.ruleId : e.family !== ENGINE_FAMILY_POLICY[match.family]) continue;
      if (
        e.part === "json-pointer"
          ? e.pointer !== match.name
          : e.name !== null && (e.part === "header" ? e.name !== match.name.toLowerCase() : e.name !== match.name)
      )
        continue;
      if (e.methods !== null && !e.methods.has(ctx.method)) continue;
      if (!e.applies(ctx.path, ctx.pathLower)) continue;
      return true;
    }
    return false;
  };

  return {
    name: "deny-rules",
    onBody(ctx) {
      const gate = gateFor === null ? null : gateFor(ctx);
      const request: DetectionRequest = {
        method: ctx.method,
        path: ctx.rawPath,
        query: ctx.query,
        headers: ctx.headerPairs(),
        body: ctx.content ?? ctx.body ?? undefined,
      };
      // The gate reads the JSON body's content fields from the engine's walk: one parse per request.
      if (gate !== null && gate.jsonStrings !== null) request.jsonStrings = gate.jsonStrings;
      const result = detector.inspect(request);
      if (result.uninspected.length > 0) {
        const first = result.uninspected[0]!;
        // Fail closed: a part past an inspection cap would reach the application unread.
        if (config.uninspected === "refuse")
          return blocked(
            first.part === "header" || first.part === "cookie" ? 431 : 413,
            "limits",
            `limits.inspection-${first.cap}`,
            first.part,
            first.name,
            `${first.cap} cap reached`,
          );
        for (const part of result.uninspected)
          ctx.log(logged("limits", `limits.inspection-${part.cap}`, part.part, part.name, `${part.cap} cap reached; forwarded uninspected`));
      }
      let matches = result.matches;
      if (gate !== null) {
        // The field's own profile checks its value for what hurts when shown; its findings are xss matches like any other.
        const findings = gate.findings(result.jsonWalked === true);
        if (findings.length > 0) {
          matches = [
            ...matches,
            ...findings.map((f) => ({
              ruleId: f.ruleId,
              family: "xss" as const,
              part: f.part,
              name: f.name,
              excerpt: maskExcerpt(f.excerpt),
              action: contentMode === "block" ? ("blocked" as const) : ("logged" as const),
            })),
          ];
        }
      }
      if (matches.length === 0) return null;
      const at = now();
      let verdict: Decision | null = null;
      for (const match of matches) {
        const patched = patchJndi && match.ruleId === JNDI_RULE;
        if (!patched && gate !== null && gate.relaxes(match)) continue;
        if (!patched && exceptions.length > 0 && isExcepted(ctx, match, at)) continue;
        const action = patched ? "blocked" : match.action;
        const profile = gate?.profileOf(match) ?? null;
        const decision: Decision = {
          status: 403,
          family: match.family,
          ruleId: match.ruleId,
          part: match.part,
          name: match.name,
          excerpt: match.excerpt,
          action,
          ...(profile !== null ? { profile: `field ${match.name}: ${profile} profile` } : {}),
        };
        if (action === "blocked" && verdict === null) verdict = decision;
        else ctx.log(decision);
      }
      return verdict;
    },
  };
}
