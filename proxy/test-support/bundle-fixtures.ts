// Bundles built the way the portal builds them (parse → merge → compile), from
// small inline documents, for table-driven middleware tests.

import { compilePolicy, mergePolicies, parsePolicyDocument, type ApplicationPolicy, type BaselinePolicy, type Bundle } from "@/lib/policy-spec";
import { normalizeRequestPath } from "../match/normalize-request-path.js";
import { RequestContext } from "../runtime/request-context.js";

export function baselineDocument(sections: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: "rampart.dev/v1alpha1", kind: "BaselinePolicy", metadata: { name: "test" }, ...sections };
}

export function applicationDocument(sections: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: "rampart.dev/v1alpha1", kind: "ApplicationPolicy", metadata: { application: "test-app", applicationVersion: "1.0.0" }, ...sections };
}

export function buildBundle(
  baseline: Record<string, unknown> = {},
  application: Record<string, unknown> | null = null,
  now = new Date("2026-06-01T00:00:00Z"),
): Bundle {
  const b = parsePolicyDocument(baselineDocument(baseline), { kind: "BaselinePolicy" });
  if (!b.ok) throw new Error(JSON.stringify(b.errors));
  let a: ApplicationPolicy | null = null;
  if (application) {
    const parsed = parsePolicyDocument(applicationDocument(application), { kind: "ApplicationPolicy" });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    a = parsed.policy;
  }
  const merged = mergePolicies(b.policy as BaselinePolicy, a, { now });
  if (!merged.ok) throw new Error(JSON.stringify(merged.errors));
  return compilePolicy(merged.effective);
}

export interface RequestInit {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string;
  clientIp?: string;
}

/** A RequestContext as the handler would build it for an HTTP/1.1 request. */
export function requestContext(init: RequestInit = {}): RequestContext {
  const url = init.url ?? "/";
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const headers: Record<string, string> = {};
  const raw: string[] = [];
  for (const [name, value] of Object.entries({ host: "app.example.com", ...(init.headers ?? {}) })) {
    headers[name.toLowerCase()] = value;
    raw.push(name, value);
  }
  const ctx = new RequestContext("test-1", performance.now(), init.method ?? "GET", rawPath, q < 0 ? "" : url.slice(q + 1), headers, raw, false, null);
  ctx.clientIp = init.clientIp ?? "203.0.113.10";
  ctx.peer = ctx.clientIp;
  ctx.host = "app.example.com";
  ctx.path = normalizeRequestPath(rawPath) ?? "/";
  ctx.pathLower = ctx.path.toLowerCase();
  const type = headers["content-type"];
  if (type) ctx.mediaType = type.split(";")[0]!.trim().toLowerCase();
  if (init.body !== undefined) {
    ctx.body = Buffer.from(init.body);
    ctx.hasBody = true;
    ctx.contentLength = ctx.body.length;
  }
  return ctx;
}
