// The proxy over real sockets (HTTP/1.1): forwarding, blocking, upstream
// failures, slow clients and request smuggling.

import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../test-support/http-request.js";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { sendRaw } from "../test-support/raw-http.js";
import { BASELINE, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

let origin: Origin;
let proxy: TestProxy;

beforeAll(async () => {
  origin = await startOrigin();
  proxy = await startTestProxy([
    "--policy",
    BASELINE,
    "--upstream",
    origin.url,
    "--header-timeout",
    "800",
    "--request-timeout",
    "1500",
    "--upstream-timeout",
    "1000",
    "--inspect-bytes",
    "65536",
  ]);
});
afterAll(async () => {
  await proxy.stop();
  await origin.close();
});

const seenByOrigin = (marker: string) => origin.received.some((r) => r.url.includes(marker));

describe("forwarding", () => {
  it("forwards a request with a query string and a small JSON body, with forwarding headers", async () => {
    const res = await request(`${proxy.url}/api/items?page=2&sort=name`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "6.6.6.6", "x-request-id": "spoofed" },
      body: '{"name":"widget","qty":3}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ method: "POST", url: "/api/items?page=2&sort=name", bodyLength: 25 });
    const seen = origin.received.at(-1)!;
    expect(seen.headers["x-forwarded-for"]).toBe("127.0.0.1"); // the client's own value is not believed
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
    expect(seen.headers["x-request-id"]).toBe(res.headers["x-request-id"]);
    expect(seen.headers["x-request-id"]).not.toBe("spoofed");
  });

  it("removes Server/X-Powered-By-style leaks and sets the policy's security headers", async () => {
    const res = await request(`${proxy.url}/cookies`);
    expect(res.headers.server).toBeUndefined();
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["x-aspnet-version"]).toBeUndefined();
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(res.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(res.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; Path=/"]);
  });

  it("never exposes an upstream error page", async () => {
    const res = await request(`${proxy.url}/boom`);
    expect(res.status).toBe(500);
    expect(res.body).not.toMatch(/Traceback|hunter2/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 500, requestId: res.headers["x-request-id"] });
  });

  it("relays chunked, large, HEAD and 204 responses", async () => {
    expect((await request(`${proxy.url}/chunked`)).body).toBe("part1-part2");
    const big = await request(`${proxy.url}/big`);
    expect(big.body.length).toBe(2 * 1024 * 1024);
    const head = await request(`${proxy.url}/anything`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    expect((await request(`${proxy.url}/no-content`)).status).toBe(204);
  });

  it("serves several requests on one keep-alive connection", async () => {
    const res = await sendRaw(
      proxy.port,
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    expect(res.text.match(/HTTP\/1\.1 200/g)).toHaveLength(3);
  });

  it("handles Expect: 100-continue", async () => {
    const res = await sendRaw(
      proxy.port,
      ["POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", "hello"],
      { awaitReplyBetweenParts: true },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 100 Continue/);
    expect(res.text).toMatch(/HTTP\/1\.1 200 OK/);
  });
});

describe("blocking", () => {
  it("answers an attack with 403, a small body with the request id, and one decision line", async () => {
    const res = await request(`${proxy.url}/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--&marker=sqli1`);
    expect(res.status).toBe(403);
    const body = JSON.parse(res.body) as { requestId: string };
    expect(body).toEqual({ status: 403, error: "forbidden", requestId: res.headers["x-request-id"] });
    expect(res.headers["x-frame-options"]).toBe("DENY");
    expect(seenByOrigin("sqli1")).toBe(false);
    const lines = proxy.decisions().filter((d) => d.requestId === body.requestId);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines[0]).toMatchObject({
      type: "decision",
      clientIp: "127.0.0.1",
      method: "GET",
      path: "/search",
      family: "sqli",
      part: "parameter",
      name: "q",
      action: "blocked",
      status: 403,
    });
    expect(String(lines[0]!.excerpt).length).toBeLessThanOrEqual(64);
    expect(lines[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it.each([
    ["GET", "/admin/users", 403],
    ["GET", "/.git/config", 403],
    ["TRACE", "/", 405],
  ])("%s %s → %s", async (method, path, status) => {
    const res = await request(`${proxy.url}${path}`, { method });
    expect(res.status).toBe(status);
    if (status === 405) expect(res.headers.allow).toContain("GET");
  });

  it("answers CONNECT with 405 and WebSocket upgrades with 501", async () => {
    expect((await sendRaw(proxy.port, "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n")).status).toBe(405);
    expect((await sendRaw(proxy.port, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")).status).toBe(501);
  });

  it("refuses an ambiguous encoded path with 400", async () => {
    expect((await sendRaw(proxy.port, "GET /admin/..%2Fhealth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).status).toBe(400);
  });

  it("refuses bodies over the inspection limit (413) and closes the connection", async () => {
    const res = await request(`${proxy.url}/upload?marker=big1`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.alloc(200_000, 120),
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("close");
    expect(seenByOrigin("big1")).toBe(false);
  });
});

describe("upstream failures", () => {
  it("answers 502 at once when the upstream is down, without waiting for the upstream timeout", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    // An upstream timeout far beyond the test's own: only the refused connection can end the request in time.
    const down = await startTestProxy(["--policy", BASELINE, "--upstream", `http://127.0.0.1:${port}`, "--upstream-timeout", "600000"]);
    try {
      expect((await request(`${down.url}/`)).status).toBe(502);
    } finally {
      await down.stop();
    }
  });

  it("answers 504 when the upstream does not answer in time", async () => {
    // The origin holds /hold until released, so only the proxy's upstream timeout can answer it.
    expect((await request(`${proxy.url}/hold`)).status).toBe(504);
    origin.releaseHeld();
  });
});

describe("slow clients", () => {
  // The client never finishes on its own; the server's close is the event awaited (the
  // test's timeout names a server that never closes). The timeouts are what is tested, not
  // how long they took: a head that restarted the header timer at every line would never close.
  it("closes a connection whose head trickles in (slowloris) within the header timeout", async () => {
    const endless = ["GET / HTTP/1.1\r\n", "Host: x\r\n", ...Array.from({ length: 100_000 }, (_, i) => `X-${i}: y\r\n`)];
    const res = await sendRaw(proxy.port, endless, { gapMs: 100 });
    expect(res.closed).toBe(true);
    expect([408, -1]).toContain(res.status);
  }, 30_000);

  it("closes a connection whose body never completes within the request timeout", async () => {
    const res = await sendRaw(proxy.port, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly-a-bit");
    expect(res.closed).toBe(true);
  }, 30_000);
});

describe("request smuggling", () => {
  it.each([
    ["Content-Length with Transfer-Encoding", "POST /s1 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
    ["two different Content-Lengths", "POST /s2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"],
    ["two equal Content-Lengths", "POST /s3 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"],
    ["a Content-Length list", "POST /s4 HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc"],
    ["Transfer-Encoding: identity, chunked", "POST /s5 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity, chunked\r\n\r\n0\r\n\r\n"],
    ["Transfer-Encoding: chunked, identity", "POST /s6 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"],
    ["Transfer-Encoding: xchunked", "POST /s7 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"],
    ["a space before the colon", "POST /s8 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"],
    ["Transfer-Encoding on HTTP/1.0", "POST /s9 HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
    ["two Transfer-Encoding headers", "POST /s10 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
    ["two Host headers", "GET /s11 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"],
    ["a bad chunk size", "POST /s12 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3x\r\nabc\r\n0\r\n\r\n"],
    ["obs-fold", "GET /s13 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n 2\r\n\r\n"],
    ["a bare LF", "GET /s14 HTTP/1.1\nHost: x\n\n"],
  ])("refuses %s with 400, closes the connection and never forwards it", async (_name, raw) => {
    const marker = /^[A-Z]+ (\/s\d+)/.exec(raw)![1]!;
    // Nothing after a head two parsers read differently may be taken as a next request: the answer ends the connection.
    const res = await sendRaw(proxy.port, raw);
    expect(res.closed).toBe(true);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(res.text).toMatch(/"requestId":"[^"]+"/);
    expect(origin.received.some((r) => r.url === marker)).toBe(false);
  });

  it("a smuggled second request after a valid chunked body is parsed as its own request, and checked", async () => {
    const res = await sendRaw(
      proxy.port,
      "POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    expect(res.text).toMatch(/HTTP\/1\.1 200/);
    expect(res.text).toMatch(/HTTP\/1\.1 403/);
    expect(origin.received.some((r) => r.url === "/admin")).toBe(false);
  });
});
