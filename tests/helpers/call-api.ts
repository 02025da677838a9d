// Calls the portal's real route handlers in-process with real Request objects: the
// same code path as `next start` minus the HTTP socket (covered by tests/e2e).
import path from "node:path";
import "@/lib/api/operations";
import { registeredOperations, type HttpMethod } from "@/lib/api/operation";

type RouteModule = Partial<Record<HttpMethod, (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>>>;

const APP_API = path.resolve(import.meta.dirname, "../../app/api/v1");

function matchOperation(method: HttpMethod, pathname: string) {
  const relative = pathname.replace(/^\/api\/v1/, "");
  for (const op of registeredOperations()) {
    if (op.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp("^" + op.path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), "([^/]+)")).replace(/\./g, "\\.") + "$");
    const m = pattern.exec(relative);
    if (!m) continue;
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    const file = path.join(APP_API, op.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
    return { op, params, file };
  }
  return null;
}

export type ApiCall = {
  method: HttpMethod;
  path: string;
  cookie?: string;
  bearer?: string;
  body?: unknown;
  rawBody?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
};

export async function callApi(call: ApiCall): Promise<Response> {
  const url = new URL(call.path, "http://127.0.0.1:3000");
  const match = matchOperation(call.method, url.pathname);
  if (!match) throw new Error(`no operation for ${call.method} ${url.pathname}`);
  const mod = (await import(match.file)) as RouteModule;
  const handler = mod[call.method];
  if (!handler) throw new Error(`${match.file} exports no ${call.method}`);
  const headers = new Headers({ host: "127.0.0.1:3000", "x-forwarded-for": "203.0.113.7", ...call.headers });
  if (call.cookie) headers.set("cookie", call.cookie);
  if (call.bearer) headers.set("authorization", `Bearer ${call.bearer}`);
  let body: string | Uint8Array<ArrayBuffer> | undefined = call.rawBody;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new Request(url, { method: call.method, headers, body });
  return handler(request, { params: Promise.resolve(match.params) });
}

export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
