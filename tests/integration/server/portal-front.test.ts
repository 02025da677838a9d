// The portal's HTTP front (lib/server/portal-front.ts, what lib/cli/serve.ts puts before
// Next.js) on real sockets, plain and TLS, in front of the real sign-in route handler:
// X-Forwarded-Host and X-Forwarded-Proto count only when TRUSTED_PROXY_HOPS says a proxy
// set them, and HSTS is sent exactly when the request arrived over https.
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as login } from "@/app/api/v1/auth/login/route";
import { db } from "@/lib/db/client";
import { portalFront, STRICT_TRANSPORT_SECURITY } from "@/lib/server/portal-front";
import { createPortalServer } from "@/lib/server/portal-listener";
import { createUser } from "@/prisma/factories";

// scrypt at OWASP's parameters costs a fraction of a second per sign-in; CI shares two cores.
vi.setConfig({ testTimeout: 120_000 });

const TESTDATA = path.resolve(import.meta.dirname, "../../../proxy/testdata");
const PASSWORD = "correct-horse-battery";
let email: string;

beforeAll(async () => {
  email = (await createUser(db, { email: "front@front.test", password: PASSWORD })).email;
});

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Stands in for Next.js: hands the request, as the front left it, to the real sign-in route handler. */
async function nextStandIn(req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
  const response = await login(request, { params: Promise.resolve({}) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

async function startFront(trustedHops: number, tls: boolean): Promise<string> {
  const portal = createPortalServer(
    portalFront(nextStandIn, trustedHops),
    tls ? { tlsCertFile: path.join(TESTDATA, "server.pem"), tlsKeyFile: path.join(TESTDATA, "server-key.pem") } : {},
  );
  await new Promise<void>((resolve) => portal.server.listen(0, "127.0.0.1", resolve));
  servers.push({
    close: () => {
      portal.close();
      portal.server.closeAllConnections();
      return new Promise((resolve) => portal.server.close(() => resolve()));
    },
  });
  const port = (portal.server.address() as AddressInfo).port;
  return tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`;
}

type Answer = { status: number; headers: http.IncomingHttpHeaders };

function signIn(base: string, headers: Record<string, string> = {}): Promise<Answer> {
  const body = JSON.stringify({ email, password: PASSWORD });
  const url = new URL("/api/v1/auth/login", base);
  const options = { method: "POST", headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers } };
  return new Promise((resolve, reject) => {
    const request =
      url.protocol === "https:"
        ? https.request(url, { ...options, ca: readFileSync(path.join(TESTDATA, "ca.pem")) }, collect)
        : http.request(url, options, collect);
    function collect(res: http.IncomingMessage) {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers }));
    }
    request.on("error", reject);
    request.end(body);
  });
}

const isSecureCookie = (answer: Answer) => /;\s*Secure/i.test(String(answer.headers["set-cookie"]));

describe("X-Forwarded-Host", () => {
  it("is ignored without TRUSTED_PROXY_HOPS: a forged one neither passes the same-origin check nor changes the cookie", async () => {
    const base = await startFront(0, false);
    const forged = { "x-forwarded-host": "portal.example.com", "x-forwarded-proto": "https" };
    // As if a page of portal.example.com sent it: the portal is 127.0.0.1, whatever the header says.
    expect((await signIn(base, { ...forged, origin: "https://portal.example.com" })).status).toBe(403);
    const signedIn = await signIn(base, forged);
    expect(signedIn.status).toBe(200);
    // Plain http on loopback: the cookie is not Secure, as it would be for https://portal.example.com.
    expect(isSecureCookie(signedIn)).toBe(false);
    expect(signedIn.headers["strict-transport-security"]).toBeUndefined();
  });

  it("is the origin a trusted proxy names when TRUSTED_PROXY_HOPS is set", async () => {
    const base = await startFront(1, false);
    const fromProxy = { "x-forwarded-host": "portal.example.com", "x-forwarded-proto": "https", origin: "https://portal.example.com" };
    const signedIn = await signIn(base, fromProxy);
    expect(signedIn.status).toBe(200);
    expect(isSecureCookie(signedIn)).toBe(true);
    // Another site is still another site.
    expect((await signIn(base, { ...fromProxy, origin: "https://evil.example" })).status).toBe(403);
  });
});

describe("Strict-Transport-Security", () => {
  it("is sent over TLS, to every response", async () => {
    const base = await startFront(0, true);
    const refused = await signIn(base, { origin: "https://evil.example" });
    expect(refused.status).toBe(403);
    expect(refused.headers["strict-transport-security"]).toBe(STRICT_TRANSPORT_SECURITY);
    const signedIn = await signIn(base);
    expect(signedIn.headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    // A client claiming plain http over TLS changes nothing: the front saw the socket.
    expect((await signIn(base, { "x-forwarded-proto": "http" })).headers["strict-transport-security"]).toBe(STRICT_TRANSPORT_SECURITY);
  });

  it("is not sent over plain http, whatever X-Forwarded-Proto a client claims", async () => {
    const base = await startFront(0, false);
    expect((await signIn(base)).headers["strict-transport-security"]).toBeUndefined();
    expect((await signIn(base, { "x-forwarded-proto": "https" })).headers["strict-transport-security"]).toBeUndefined();
  });

  it("follows a trusted proxy's X-Forwarded-Proto when TRUSTED_PROXY_HOPS is set", async () => {
    const base = await startFront(1, false);
    expect((await signIn(base, { "x-forwarded-proto": "https" })).headers["strict-transport-security"]).toBe(STRICT_TRANSPORT_SECURITY);
    expect((await signIn(base, { "x-forwarded-proto": "http" })).headers["strict-transport-security"]).toBeUndefined();
    // No word from the proxy: the scheme of the proxy's own connection, here http.
    expect((await signIn(base)).headers["strict-transport-security"]).toBeUndefined();
  });
});
