// The differential suite: every class of request that once carried an attack
// past the proxy (inspection caps, multipart and XML read differently from
// backends, duplicate headers and parameters, encodings, fragments, Host,
// version lines), sent as raw bytes over a real socket to the proxy in front
// of a recording origin. Each attack must get a 4xx and the origin must
// receive nothing; each benign control must pass unchanged.

import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { sendRaw } from "../test-support/raw-http.js";
import { BASELINE, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

let origin: Origin;
let proxy: TestProxy;
let counter = 0;

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startTestProxy(["--policy", BASELINE, "--upstream", origin.url]);
});
afterAll(async () => {
  await proxy.stop();
  await origin.close();
});

const SQLI = "1' UNION SELECT password FROM users--";
const XSS = "<script>alert(document.cookie)</script>";

/** A unique path per request, so "the origin received nothing" is about this request alone. */
function marker(): string {
  return `/d${++counter}`;
}

function reached(path: string): boolean {
  return origin.received.some((r) => r.url.startsWith(path));
}

interface RawRequest {
  method?: string;
  path?: string;
  version?: string;
  headers?: Array<[string, string]>;
  body?: string | Buffer;
}

function rawBytes(path: string, r: RawRequest): Buffer {
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, "utf8");
  const headers: Array<[string, string]> = [["Host", "app.example.com"], ...(r.headers ?? [])];
  if (r.body !== undefined && !headers.some(([n]) => n.toLowerCase() === "content-length" || n.toLowerCase() === "transfer-encoding")) headers.push(["Content-Length", String(body.length)]);
  headers.push(["Connection", "close"]);
  const head = `${r.method ?? (r.body === undefined ? "GET" : "POST")} ${path}${r.path ?? ""} ${r.version ?? "HTTP/1.1"}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}

/** Sends the request under a fresh marker path; returns the status and whether the origin saw it. */
async function send(r: RawRequest): Promise<{ status: number; reached: boolean; text: string }> {
  const path = marker();
  const res = await sendRaw(proxy.port, rawBytes(path, r));
  return { status: res.status, reached: reached(path), text: res.text };
}

async function expectRefused(r: RawRequest, status?: number): Promise<void> {
  const res = await send(r);
  expect(res.reached, `the origin received a refused request (status ${res.status})`).toBe(false);
  if (status !== undefined) expect(res.status).toBe(status);
  else {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  }
}

async function expectPassed(r: RawRequest): Promise<void> {
  const res = await send(r);
  expect(res.status, res.text.slice(0, 300)).toBe(200);
  expect(res.reached).toBe(true);
}

describe("protocol: version lines, fragments, Host", () => {
  it.each(["HTTP/2.0", "HTTP/1.2", "HTTP/3.0"])("answers %s on the HTTP/1 listener with 505 and forwards nothing", async (version) => {
    const res = await send({ version });
    expect(res.status).toBe(505);
    expect(res.text).not.toMatch(/at \w+ \(|stack/i);
    expect(res.reached).toBe(false);
  });

  it("accepts HTTP/1.0 and HTTP/1.1", async () => {
    await expectPassed({ version: "HTTP/1.0" });
    await expectPassed({ version: "HTTP/1.1" });
  });

  it.each(["/admin#x", "/x#y", "/x?q=1#frag"])("refuses a fragment in the request target: %s (400)", async (target) => {
    const res = await sendRaw(proxy.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(origin.received.some((r) => r.url.startsWith(target.split("#")[0]!) && target.startsWith("/admin"))).toBe(false);
  });

  it("refuses two Host headers and a Host with a space and SQL", async () => {
    await expectRefused({ headers: [["Host", "other.example.com"]] }, 400);
    const path = marker();
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: x' UNION SELECT 1--\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(reached(path)).toBe(false);
  });

  it.each([
    "app.example.com", "app.example.com:8080", "127.0.0.1:80", "[::1]:8443", "localhost", "my_host.internal",
  ])("accepts Host %s", async (host) => {
    const path = marker();
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(200);
    expect(origin.received.find((r) => r.url === path)?.headers.host).toBe(host);
  });

  it.each(["a@b.example", "a b", "exa%6dple.com", "<script>", "example.com:99999", "example.com:"])("refuses Host %s", async (host) => {
    const path = marker();
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(reached(path)).toBe(false);
  });

  it("refuses an absolute-form target whose authority differs from Host", async () => {
    const path = marker();
    const res = await sendRaw(proxy.port, `GET http://evil.example${path} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(400);
    expect(reached(path)).toBe(false);
    const same = marker();
    expect((await sendRaw(proxy.port, `GET http://app.example.com${same} HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n`)).status).toBe(200);
  });

  it.each(["Authorization", "Content-Type", "User-Agent", "Referer"])("refuses two %s headers", async (name) => {
    await expectRefused({ headers: [[name, "a"], [name, "b"]] }, 400);
  });

  it("sends Expect: 100-continue's interim answer only after the head passed the policy", async () => {
    const blockedPath = `/admin${marker()}`;
    const refused = await sendRaw(proxy.port, [`POST ${blockedPath} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`, "hello"], { gapMs: 100 });
    expect(refused.text).not.toMatch(/100 Continue/);
    expect(refused.status).toBe(403);
    const path = marker();
    const passed = await sendRaw(proxy.port, [`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`, "hello"], { gapMs: 100 });
    expect(passed.text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200/);
  });
});

describe("protocol: blocked path prefixes in the spellings backends accept", () => {
  it.each([
    ["a suffix extension", "/admin.json"],
    ["a suffix extension below", "/admin.php/users"],
    ["a trailing dot", "/admin."],
    ["encoded trailing whitespace", "/admin%20"],
    ["an encoded tab", "/admin%09/users"],
    ["full-width letters", "/%EF%BD%81%EF%BD%84%EF%BD%8D%EF%BD%89%EF%BD%8E"],
    ["full-width letters below", "/%EF%BD%81dmin/settings"],
    ["mixed case with an extension", "/ADMIN.html"],
  ])("refuses %s (403)", async (_name, path) => {
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(403);
    expect(origin.received.some((r) => r.url === path)).toBe(false);
  });

  it.each(["/admins-guide", "/static/admin-guide.pdf", "/adminx.json", "/docs/v1.2/index.html"])("lets %s through", async (path) => {
    const res = await sendRaw(proxy.port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBe(200);
  });
});

