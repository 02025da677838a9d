// TLS listener with ALPN (HTTP/2 and HTTP/1.1), the example application
// policy end to end in front of an HTTPS upstream (verified against its CA,
// by server name), with JWT verification against a JWKS served over HTTPS.

import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http2 from "node:http2";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { APP_POLICY, BASELINE, TESTDATA, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

const pem = (name: string) => readFileSync(path.join(TESTDATA, name));
const CA = pem("ca.pem");
const signing = generateKeyPairSync("rsa", { modulusLength: 2048 });

function token(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: "k1", typ: "JWT" })).toString("base64url");
  const payload = Buffer.from(
    JSON.stringify({ iss: "https://login.example.com/", aud: "payments-api", sub: "u1", exp: now + 300, iat: now, ...claims }),
  ).toString("base64url");
  return `${header}.${payload}.${sign("sha256", Buffer.from(`${header}.${payload}`), signing.privateKey).toString("base64url")}`;
}

interface H2Response {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: string;
}

function h2request(port: number, pathName: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const client = http2.connect(`https://localhost:${port}`, { ca: CA });
    client.on("error", reject);
    const req = client.request({ ":method": init.method ?? "GET", ":path": pathName, ...(init.headers ?? {}) });
    let headers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on("response", (h) => (headers = h));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      client.close();
      resolve({ status: Number(headers[":status"]), headers, body: Buffer.concat(chunks).toString("utf8") });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

let origin: Origin;
let jwks: https.Server;
let proxy: TestProxy;
const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-tls-"));

beforeAll(async () => {
  origin = await startOrigin({ cert: pem("upstream.pem"), key: pem("upstream-key.pem") });
  jwks = https.createServer({ cert: pem("server.pem"), key: pem("server-key.pem") }, (_req, res) => {
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ keys: [{ ...(signing.publicKey.export({ format: "jwk" }) as object), kid: "k1", use: "sig" }] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  const app = readFileSync(APP_POLICY, "utf8").replace(
    "https://login.example.com/.well-known/jwks.json",
    `https://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`,
  );
  writeFileSync(path.join(dir, "app.yaml"), app);
  proxy = await startTestProxy(
    [
      "--policy",
      BASELINE,
      "--policy",
      path.join(dir, "app.yaml"),
      "--upstream",
      origin.url,
      "--secrets-dir",
      TESTDATA,
      "--jwks-ca",
      path.join(TESTDATA, "ca.pem"),
    ],
    { tls: true },
  );
});
afterAll(async () => {
  await proxy.stop();
  await origin.close();
  jwks.close();
});

describe("TLS listener", () => {
  it("speaks HTTP/2 when the client offers h2, with the policy's headers", async () => {
    const res = await h2request(proxy.tlsPort!, "/health");
    expect(res.status).toBe(200);
    expect(res.headers["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(res.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.server).toBeUndefined();
    expect(origin.received.at(-1)!.headers["x-forwarded-proto"]).toBe("https");
  });

  it("speaks HTTP/1.1 over TLS when the client offers only http/1.1", async () => {
    const res = await new Promise<{ status: number; alpn: string | false | null }>((resolve, reject) => {
      const req = https.get(
        {
          host: "127.0.0.1",
          port: proxy.tlsPort!,
          path: "/health",
          ca: CA,
          servername: "localhost",
          ALPNProtocols: ["http/1.1"],
          agent: false,
        } as https.RequestOptions,
        (r) => {
          const alpn = (r.socket as tls.TLSSocket).alpnProtocol;
          r.resume();
          r.on("end", () => resolve({ status: r.statusCode ?? 0, alpn }));
        },
      );
      req.on("error", reject);
    });
    expect(res).toEqual({ status: 200, alpn: "http/1.1" });
  });

  it("refuses a TLS 1.1 handshake (the policy's minimum is 1.2)", async () => {
    const outcome = await new Promise<string>((resolve) => {
      const socket = tls.connect({ host: "127.0.0.1", port: proxy.tlsPort!, ca: CA, servername: "localhost", minVersion: "TLSv1", maxVersion: "TLSv1.1" });
      socket.on("secureConnect", () => resolve("connected"));
      socket.on("error", () => resolve("refused"));
    });
    expect(outcome).toBe("refused");
  });

  it("serves the certificate the policy names for a host (SNI), the default one otherwise", async () => {
    const baseline = readFileSync(BASELINE, "utf8").replace(
      "  cipherSuites: intermediate",
      "  cipherSuites: intermediate\n  certificates:\n    - ref: file:proxy/testdata/payments-upstream-combined.pem\n      hosts: [payments.internal.example.com]",
    );
    writeFileSync(path.join(dir, "sni-baseline.yaml"), baseline);
    const sni = await startTestProxy(["--policy", path.join(dir, "sni-baseline.yaml"), "--upstream", "http://127.0.0.1:1"], { tls: true });
    const subject = (servername: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port: sni.tlsPort!, ca: CA, servername }, () => {
          resolve(String(socket.getPeerCertificate().subject.CN));
          socket.destroy();
        });
        socket.on("error", reject);
      });
    try {
      expect(await subject("payments.internal.example.com")).toBe("payments.internal.example.com");
      expect(await subject("localhost")).toBe("localhost");
    } finally {
      await sni.stop();
    }
  });

  it("blocks an attack arriving over HTTP/2", async () => {
    const res = await h2request(proxy.tlsPort!, "/payments?cursor=%3Cscript%3Ealert(1)%3C/script%3E", {
      headers: { authorization: `Bearer ${token({ scope: "payments:read" })}` },
    });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body)).toMatchObject({ status: 403 });
  });

  it("refuses an HTTP/2 request whose host differs from :authority, and sends exactly one Host upstream otherwise", async () => {
    const before = origin.received.length;
    const mismatch = await h2request(proxy.tlsPort!, "/health", { headers: { ":authority": `localhost:${proxy.tlsPort}`, host: "evil.example" } });
    expect(mismatch.status).toBe(400);
    expect(origin.received.length).toBe(before);
    const agreeing = await h2request(proxy.tlsPort!, "/health", { headers: { host: `localhost:${proxy.tlsPort}` } });
    expect(agreeing.status, JSON.stringify(proxy.decisions().at(-1))).toBe(200);
    const seen = origin.received.at(-1)!;
    expect(seen.rawHeaders.filter((_, i) => i % 2 === 0 && seen.rawHeaders[i]!.toLowerCase() === "host")).toHaveLength(1);
    expect(seen.headers.host).toMatch(/^localhost/);
  });
});

describe("the example application policy in front of an HTTPS upstream", () => {
  const key = "123e4567-e89b-12d3-a456-426614174000";

  it("asks for a token on protected paths (401 with WWW-Authenticate)", async () => {
    const res = await h2request(proxy.tlsPort!, "/payments");
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
  });

  it("forwards a valid, authorised, schema-valid payment to the upstream over verified TLS", async () => {
    const res = await h2request(proxy.tlsPort!, "/payments", {
      method: "POST",
      headers: { authorization: `Bearer ${token({ scope: "payments:write" })}`, "content-type": "application/json", "idempotency-key": key },
      body: '{"amount":1250,"currency":"EUR","source":"card_123"}',
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ method: "POST", url: "/payments" });
    expect(origin.received.at(-1)!.headers.host).toBe(`localhost:${proxy.tlsPort}`);
  });

  it("refuses a write with a read-only token (403)", async () => {
    const res = await h2request(proxy.tlsPort!, "/payments", {
      method: "POST",
      headers: { authorization: `Bearer ${token({ scope: "payments:read" })}`, "content-type": "application/json", "idempotency-key": key },
      body: '{"amount":1,"currency":"EUR","source":"x"}',
    });
    expect(res.status).toBe(403);
  });

  it("refuses a body that breaks the OpenAPI schema (400)", async () => {
    const res = await h2request(proxy.tlsPort!, "/payments", {
      method: "POST",
      headers: { authorization: `Bearer ${token({ scope: "payments:write" })}`, "content-type": "application/json", "idempotency-key": key },
      body: '{"amount":1,"currency":"euro","source":"x"}',
    });
    expect(res.status).toBe(400);
  });

  it("honours the policy's exception: free-text search may contain SQL words", async () => {
    const res = await h2request(proxy.tlsPort!, `/payments/search?q=${encodeURIComponent("customer said ' OR 1=1 -- in the note")}`, {
      headers: { authorization: `Bearer ${token({ scope: "payments:read" })}` },
    });
    expect(res.status).toBe(200);
  });

  it("answers 502 when the upstream's certificate does not verify against the policy's CA", async () => {
    const secrets = mkdtempSync(path.join(os.tmpdir(), "rampart-secrets-"));
    // The listener's certificate is not the CA that signed the upstream's.
    writeFileSync(path.join(secrets, "payments-upstream-ca.pem"), pem("server.pem"));
    const wrong = await startTestProxy(["--policy", BASELINE, "--policy", path.join(dir, "app.yaml"), "--upstream", origin.url, "--secrets-dir", secrets]);
    try {
      const res = await fetch(`${wrong.url}/health`);
      expect(res.status).toBe(502);
    } finally {
      await wrong.stop();
    }
  });

  it("refuses an http:// upstream when the policy requires TLS to the upstream", async () => {
    await expect(
      startTestProxy(["--policy", BASELINE, "--policy", path.join(dir, "app.yaml"), "--upstream", "http://127.0.0.1:1", "--secrets-dir", TESTDATA]),
    ).rejects.toThrow(/requires TLS to the upstream/);
  });
});
