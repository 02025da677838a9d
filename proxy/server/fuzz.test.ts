// Random and mutated requests at the live proxy and at its parsers and
// normalisers: no crash, no hang (every request is answered or closed within
// the timeouts), bounded memory, and the proxy still serves afterwards.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeRequestPath } from "../match/normalize-request-path.js";
import { decodeFormPairs, readScalarStyle } from "../middleware/openapi/parameter-styles.js";
import { decodeJwt } from "../middleware/token-verification/verify-jwt.js";
import { request } from "../test-support/http-request.js";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { sendRaw } from "../test-support/raw-http.js";
import { BASELINE, startTestProxy, type TestProxy } from "../test-support/start-test-proxy.js";

let seed = 0x2545f491;
const random = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const TEMPLATES = [
  "GET /search?q=shoes&page=2 HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: Mozilla/5.0\r\nCookie: sid=abc; theme=dark\r\n\r\n",
  'POST /api/items?x=1 HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{"name":"widget","qty":[3]}',
  "POST /form HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n7\r\na=1&b=2\r\n0\r\n\r\n",
  'POST /up HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 58\r\n\r\n--XX\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n--XX--\r\n',
];
const INSERTS = [
  "\r\n",
  "\n",
  "\r",
  "\u0000",
  "%",
  "%00",
  "%2e%2e%2f",
  "../",
  "\\",
  ";",
  " ",
  "\t",
  ":",
  "${jndi:ldap://x}",
  "<script>",
  "' OR 1=1--",
  "\u00ff",
  "\u00c0\u00ae",
  "Content-Length: 5\r\n",
  "Transfer-Encoding: chunked\r\n",
  "Host: y\r\n",
  "é",
  "{",
  "[",
  '"',
  "\\u0000",
  "99999999999999999999",
];

function mutate(template: string): string {
  let text = template;
  const steps = 1 + Math.floor(random() * 4);
  for (let i = 0; i < steps; i++) {
    const at = Math.floor(random() * (text.length + 1));
    const op = random();
    if (op < 0.4) text = text.slice(0, at) + pick(INSERTS) + text.slice(at);
    else if (op < 0.6) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 5));
    else if (op < 0.8) text = text.slice(0, at) + String.fromCharCode(Math.floor(random() * 256)) + text.slice(at + 1);
    else text = text.slice(0, at) + pick(INSERTS).repeat(1 + Math.floor(random() * 200)) + text.slice(at);
  }
  // Most mutated requests should still end their head so the proxy gets to parse them.
  return random() < 0.8 && !text.includes("\r\n\r\n") ? `${text}\r\n\r\n` : text;
}

const HANG_MS = 15_000;

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
    "1000",
    "--request-timeout",
    "1500",
    "--keepalive-timeout",
    "500",
  ]);
}, 120_000);
afterAll(async () => {
  await proxy.stop();
  await origin.close();
});

describe("fuzzing", () => {
  it("answers or closes every random/mutated request, without crashing or leaking", async () => {
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    // Enough requests to reach every template and mutation many times over; more only adds time on a loaded machine.
    const total = 600;
    let next = 0;
    const outcomes = new Map<number, number>();
    let hung = 0;
    const worker = async () => {
      while (next < total) {
        next++;
        const raw =
          random() < 0.1
            ? Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)))
            : Buffer.from(mutate(pick(TEMPLATES)), "latin1");
        // A hang is no answer and no close long after the proxy's own timeouts (1–1.5 s) have fired: 15 s leaves a loaded machine room.
        const res = await sendRaw(proxy.port, raw, { timeoutMs: HANG_MS });
        if (!res.closed && res.status === -1) hung++;
        outcomes.set(res.status, (outcomes.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(hung).toBe(0);
    for (const status of outcomes.keys()) expect([-1, 200, 400, 403, 404, 405, 408, 413, 414, 415, 431, 501, 502, 505]).toContain(status);
    expect((await request(`${proxy.url}/still-alive`)).status).toBe(200);
    global.gc?.();
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(150 * 1024 * 1024);
  }, 600_000);

  it("the path normaliser, form decoder, parameter reader and JWT decoder never throw on random input", () => {
    const alphabet = ["/", ".", "..", "%", "%2f", "%2e", "%5c", "\\", ";", "=", "&", "+", "a", "é", "\u0000", ",", "[", "]", "%zz", "%e0%a4", "~"];
    for (let i = 0; i < 20_000; i++) {
      let s = "";
      const n = Math.floor(random() * 30);
      for (let j = 0; j < n; j++) s += pick(alphabet);
      const path = `/${s}`;
      const normal = normalizeRequestPath(path);
      if (normal !== null) {
        expect(normal.startsWith("/")).toBe(true);
        expect(normal.split("/")).not.toContain("..");
      }
      decodeFormPairs(s, 100);
      readScalarStyle(s, {
        name: "id",
        in: "path",
        style: pick(["simple", "label", "matrix"] as const),
        explode: random() < 0.5,
        kind: pick(["string", "integer", "array", "object"] as const),
        itemKind: "integer",
        propertyKinds: new Map(),
      });
      decodeJwt(`${s}.${s}.${s}`);
    }
  }, 120_000);
});
