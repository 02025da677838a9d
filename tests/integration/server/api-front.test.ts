// The API front (lib/server/api-front.ts: the API served without Next.js) on real sockets:
// the portal's real route handlers on a real database, and fixture routes for what the
// portal's own do not exercise (streams, a client that leaves, a handler that throws).
// Next.js itself is stood in for by a handler that says it was asked; the browser suite
// (tests/e2e) runs the front in front of the real Next.js.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { apiFront } from "@/lib/server/api-front";
import { ApiRouteTable, findRouteFiles } from "@/lib/server/api-route-table";
import { portalFront } from "@/lib/server/portal-front";
import { API_CONTENT_SECURITY_POLICY, EVERY_RESPONSE_HEADERS } from "@/lib/server/response-security-headers";
import { createUser } from "@/prisma/factories";

vi.setConfig({ testTimeout: 120_000 });

const APP_API = path.resolve(import.meta.dirname, "../../../app/api");
const PASSWORD = "correct-horse-battery";

// Fixture route modules, as Next would load a route.ts: named exports per method.
const FIXTURES: Record<string, string> = {
  "echo.mjs": `
    export async function GET(request, { params }) { return Response.json({ url: request.url, method: request.method, params: await params, forwardedProto: request.headers.get("x-forwarded-proto") }); }
    export async function POST(request) { return Response.json({ body: await request.text(), type: request.headers.get("content-type") }); }
    export async function DELETE(request) { return Response.json({ body: await request.text() }); }`,
  "big.mjs": `
    const big = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ i, name: "item " + i })) });
    export function GET(request) {
      const noTransform = new URL(request.url).searchParams.has("no-transform");
      return new Response(big, { headers: { "content-type": "application/json", "cache-control": noTransform ? "no-store, no-transform" : "no-store" } });
    }`,
  "stream.mjs": `
    globalThis.apiFrontFixture = { cancelled: false, aborted: false, chunks: 0 };
    export function GET(request) {
      const state = globalThis.apiFrontFixture = { cancelled: false, aborted: false, chunks: 0 };
      request.signal.addEventListener("abort", () => { state.aborted = true; });
      const limit = Number(new URL(request.url).searchParams.get("chunks") ?? "1000000");
      const stream = new ReadableStream({
        async pull(controller) {
          if (state.chunks >= limit) return controller.close();
          state.chunks++;
          controller.enqueue(new TextEncoder().encode(JSON.stringify({ line: state.chunks }) + "\\n"));
          await new Promise((resolve) => setImmediate(resolve));
        },
        cancel() { state.cancelled = true; },
      });
      return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
    }`,
  "cookies.mjs": `
    export function GET() {
      const headers = new Headers({ "content-type": "text/plain" });
      headers.append("set-cookie", "a=1; Path=/");
      headers.append("set-cookie", "b=2; Path=/; HttpOnly");
      return new Response("ok", { headers });
    }`,
  "throws.mjs": `export function GET() { throw new Error("a handler's own bug"); }`,
  "broken.mjs": `throw new Error("this module does not load");`,
};

let fixtureDir: string;
let base: string;
let server: http.Server;
const loadErrors: string[] = [];

beforeAll(async () => {
  await createUser(db, { email: "front-api@front.test", password: PASSWORD });
  fixtureDir = mkdtempSync(path.join(os.tmpdir(), "api-front-"));
  for (const [name, text] of Object.entries(FIXTURES)) writeFileSync(path.join(fixtureDir, name), text);
  const fixture = (name: string) => path.join(fixtureDir, name);
  const table = new ApiRouteTable(
    [
      ...findRouteFiles(APP_API),
      { urlPath: "/api/fixture/echo/[thing]", file: fixture("echo.mjs") },
      { urlPath: "/api/fixture/big", file: fixture("big.mjs") },
      { urlPath: "/api/fixture/stream", file: fixture("stream.mjs") },
      { urlPath: "/api/fixture/cookies", file: fixture("cookies.mjs") },
      { urlPath: "/api/fixture/throws", file: fixture("throws.mjs") },
      { urlPath: "/api/fixture/broken", file: fixture("broken.mjs") },
    ],
    (file) => loadErrors.push(path.basename(file)),
  );
  // Stands in for Next.js: answers 299 so a test sees a request went on to it.
  const next = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.statusCode = 299;
    res.end("next");
  };
  server = http.createServer(portalFront(apiFront(next, { table, authority: "127.0.0.1:3000", log: () => {} }), 1));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(fixtureDir, { recursive: true, force: true });
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

function ask(method: string, pathname: string, { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const framing = body === undefined ? {} : { "content-length": String(Buffer.byteLength(body)) };
    const request = http.request(`${base}${pathname}`, { method, headers: { ...framing, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

const json = (answer: Answer) => JSON.parse(answer.body.toString("utf8"));

describe("the portal's route handlers, served without Next.js", () => {
  it("answers the health check and the API with next.config.ts's security headers", async () => {
    const health = await ask("GET", "/api/health");
    expect(health.status).toBe(200);
    expect(json(health)).toEqual({ status: "ok", database: { ok: true } });
    for (const [name, value] of Object.entries(EVERY_RESPONSE_HEADERS)) expect(health.headers[name.toLowerCase()]).toBe(value);
    expect(health.headers["content-security-policy"]).toBe(API_CONTENT_SECURITY_POLICY);
    expect(health.headers["cache-control"]).toBe("no-store");
  });

  it("authenticates, authorizes and validates as the operation says: sign in, then read and refuse", async () => {
    const anonymous = await ask("GET", "/api/v1/me");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["content-type"]).toBe("application/problem+json");

    const login = await ask("POST", "/api/v1/auth/login", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "front-api@front.test", password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const me = await ask("GET", "/api/v1/me", { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(json(me)).toMatchObject({ email: "front-api@front.test", authenticatedBy: "session" });

    // A signed-in user without the permission learns nothing about the shape of the request.
    expect((await ask("GET", "/api/v1/applications/not-a-uuid", { headers: { cookie } })).status).toBe(403);
    const badField = await ask("POST", "/api/v1/auth/login", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: 5, password: "x" }),
    });
    expect(badField.status).toBe(422);
    expect(json(badField).errors.map((e: { path: string }) => e.path)).toContain("body.email");
    const badBody = await ask("POST", "/api/v1/auth/login", { headers: { "content-type": "application/json" }, body: "{" });
    expect([400, 422]).toContain(badBody.status);
    expect(badBody.headers["content-type"]).toBe("application/problem+json");
  });
});

describe("what goes on to Next.js", () => {
  it("is everything the table is not sure of", async () => {
    for (const [method, pathname] of [
      ["HEAD", "/api/health"], // Next answers HEAD from GET itself
      ["OPTIONS", "/api/v1/me"],
      ["PUT", "/api/v1/me"], // the route exports no PUT: Next's 405 with its Allow header
      ["GET", "/api/v1/me/"],
      ["GET", "/api//v1/me"],
      ["GET", "/api/v1/%6De"],
      ["GET", "/api/v1/no-such-route"],
      ["GET", "/applications"],
      ["GET", "/"],
    ]) {
      expect((await ask(method!, pathname!)).status, `${method} ${pathname}`).toBe(299);
    }
  });

  it("is a route whose module does not load, which is logged", async () => {
    expect((await ask("GET", "/api/fixture/broken")).status).toBe(299);
    expect(loadErrors).toContain("broken.mjs");
  });
});

describe("the request a handler gets", () => {
  it("has the URL Next.js would give it: the listening address, https when a trusted proxy says so", async () => {
    const plain = json(await ask("GET", "/api/fixture/echo/a-thing?x=1&y=two"));
    expect(plain).toEqual({
      url: "http://127.0.0.1:3000/api/fixture/echo/a-thing?x=1&y=two",
      method: "GET",
      params: { thing: "a-thing" },
      forwardedProto: "http",
    });
    // The front above trusts one proxy hop (portalFront(…, 1)).
    expect(json(await ask("GET", "/api/fixture/echo/x", { headers: { "x-forwarded-proto": "https" } })).url).toBe("https://127.0.0.1:3000/api/fixture/echo/x");
  });

  it("carries the body of a POST and of a framed DELETE, and ignores a GET's", async () => {
    const posted = json(await ask("POST", "/api/fixture/echo/x", { headers: { "content-type": "text/plain" }, body: "hello body" }));
    expect(posted).toEqual({ body: "hello body", type: "text/plain" });
    expect(json(await ask("DELETE", "/api/fixture/echo/x", { body: "gone" })).body).toBe("gone");
    expect(json(await ask("DELETE", "/api/fixture/echo/x")).body).toBe("");
    const withBody = await ask("GET", "/api/fixture/echo/x", { headers: { "content-type": "text/plain" }, body: "ignored" });
    expect(withBody.status).toBe(200);
  });

  it("ends the connection when the handler answers before the body has all come, so the rest is never read as a request", async () => {
    const { port } = new URL(base);
    const socket = net.connect(Number(port), "127.0.0.1");
    let received = "";
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    const ended = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    // Anonymous, to an operation that needs a permission: 401 before the body is read. The
    // chunked body never ends, and what follows it would be a request of its own.
    socket.write('POST /api/v1/applications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n');
    await ended;
    expect(received).toMatch(/^HTTP\/1\.1 401 /);
    expect(received.toLowerCase()).toContain("connection: close");
    expect(received.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  });

  it("has a signal that aborts when the client goes away, and the stream is cancelled", async () => {
    const state = await new Promise<{ cancelled: boolean; aborted: boolean; chunks: number }>((resolve, reject) => {
      const request = http.get(`${base}/api/fixture/stream`, (res) => {
        res.once("data", () => {
          request.destroy();
          const check = () => {
            const s = (globalThis as { apiFrontFixture?: { cancelled: boolean; aborted: boolean; chunks: number } }).apiFrontFixture!;
            if (s.aborted && s.cancelled) resolve(s);
            else setImmediate(check);
          };
          check();
        });
      });
      request.on("error", (error) => ((error as NodeJS.ErrnoException).code === "ECONNRESET" ? undefined : reject(error)));
    });
    expect(state).toMatchObject({ aborted: true, cancelled: true });
    expect(state.chunks).toBeLessThan(1_000_000);
  });
});

describe("the response", () => {
  it("is gzipped when the client accepts it and the body is compressible and 1 KiB or more, unless it says no-transform", async () => {
    const gzipped = await ask("GET", "/api/fixture/big", { headers: { "accept-encoding": "gzip, br" } });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gzipped.headers.vary).toBe("Accept-Encoding");
    expect(Number(gzipped.headers["content-length"])).toBe(gzipped.body.length);
    expect(JSON.parse(gunzipSync(gzipped.body).toString("utf8")).items).toHaveLength(200);

    const refused = await ask("GET", "/api/fixture/big", { headers: { "accept-encoding": "gzip;q=0, deflate" } });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(json(refused).items).toHaveLength(200);
    const noTransform = await ask("GET", "/api/fixture/big?no-transform", { headers: { "accept-encoding": "gzip" } });
    expect(noTransform.headers["content-encoding"]).toBeUndefined();
    // A small answer is not worth it.
    expect((await ask("GET", "/api/health", { headers: { "accept-encoding": "gzip" } })).headers["content-encoding"]).toBeUndefined();
  });

  it("streams a streamed body, gzipped on the fly when accepted", async () => {
    const plain = await ask("GET", "/api/fixture/stream?chunks=50");
    expect(plain.headers["transfer-encoding"]).toBe("chunked");
    expect(plain.body.toString("utf8").trim().split("\n")).toHaveLength(50);
    const gzipped = await ask("GET", "/api/fixture/stream?chunks=50", { headers: { "accept-encoding": "gzip" } });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzipped.body).toString("utf8").trim().split("\n").at(-1)).toBe('{"line":50}');
  });

  it("keeps every Set-Cookie", async () => {
    expect((await ask("GET", "/api/fixture/cookies")).headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/; HttpOnly"]);
  });

  it("is a problem+json 500 that says nothing of the error when a handler throws past handleOperation", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const answer = await ask("GET", "/api/fixture/throws");
      expect(answer.status).toBe(500);
      expect(answer.headers["content-type"]).toBe("application/problem+json");
      expect(answer.body.toString("utf8")).not.toContain("own bug");
    } finally {
      spy.mockRestore();
    }
  });
});
