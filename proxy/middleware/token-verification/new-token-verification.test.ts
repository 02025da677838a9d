import { createHmac, createPrivateKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundle, requestContext } from "../../test-support/bundle-fixtures.js";
import { TESTDATA } from "../../test-support/start-test-proxy.js";
import { DEFAULT_JWKS_OPTIONS, JwksCache } from "./jwks-cache.js";
import { newTokenVerification } from "./new-token-verification.js";

const ISSUER = "https://login.example.com/";
const NOW = Date.parse("2026-06-01T12:00:00Z");
const nowSeconds = NOW / 1000;

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
const rsaOther = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = generateKeyPairSync("ed25519");
const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });

const publicJwk = (key: KeyObject, kid: string) => ({ ...(key.export({ format: "jwk" }) as Record<string, string>), kid });

const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

function jwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  privateKey: KeyObject | null,
  options: { dsa?: "der" | "ieee-p1363" } = {},
): string {
  const input = `${b64(header)}.${b64(claims)}`;
  if (privateKey === null) return `${input}.`;
  const alg = header.alg as string;
  let signature: Buffer;
  if (alg.startsWith("RS")) signature = sign(`sha${alg.slice(2)}`, Buffer.from(input), privateKey);
  else if (alg.startsWith("PS")) signature = sign(`sha${alg.slice(2)}`, Buffer.from(input), { key: privateKey, padding: 6, saltLength: -1 });
  else if (alg.startsWith("ES")) signature = sign(`sha${alg.slice(2)}`, Buffer.from(input), { key: privateKey, dsaEncoding: options.dsa ?? "ieee-p1363" });
  else signature = sign(null, Buffer.from(input), privateKey);
  return `${input}.${signature.toString("base64url")}`;
}

const good = { iss: ISSUER, aud: "payments-api", sub: "user-1", exp: nowSeconds + 600, iat: nowSeconds - 10, scope: "payments:read payments:write" };

const bundle = buildBundle(
  {
    authentication: {
      required: true,
      issuers: [
        {
          issuer: ISSUER,
          keys: [publicJwk(rsa.publicKey, "rsa-1"), publicJwk(ec.publicKey, "ec-1"), publicJwk(ed.publicKey, "ed-1")],
          algorithms: ["RS256", "PS256", "ES256", "EdDSA"],
          audiences: ["payments-api"],
        },
      ],
      publicPaths: ["/health"],
      clockSkewSeconds: 30,
    },
  },
  {
    tokenVerification: {
      issuers: [{ issuer: ISSUER, audiences: ["payments-api"] }],
      rules: [{ paths: ["/payments/**"], methods: ["POST"], claims: [{ name: "scope", allOf: ["payments:write"] }] }],
    },
  },
);

const middleware = newTokenVerification(bundle.authentication, { tokenCookie: "session_jwt", jwks: DEFAULT_JWKS_OPTIONS, now: () => NOW })!;

async function check(token: string | null, init: { url?: string; method?: string; cookie?: boolean } = {}) {
  const headers: Record<string, string> = {};
  if (token !== null) {
    if (init.cookie) headers.cookie = `other=1; session_jwt=${token}`;
    else headers.authorization = `Bearer ${token}`;
  }
  const ctx = requestContext({ url: init.url ?? "/payments", method: init.method ?? "GET", headers });
  const verdict = await middleware.onRequest!(ctx);
  return verdict as { status: number; ruleId: string; headers?: Array<[string, string]> } | null;
}

describe("token verification", () => {
  it.each<[string, () => string | null, number | null, string?]>([
    ["a valid RS256 token", () => jwt({ alg: "RS256", kid: "rsa-1", typ: "JWT" }, good, rsa.privateKey), null],
    ["a valid PS256 token", () => jwt({ alg: "PS256", kid: "rsa-1" }, good, rsa.privateKey), null],
    ["a valid ES256 token", () => jwt({ alg: "ES256", kid: "ec-1" }, good, ec.privateKey), null],
    ["a valid EdDSA token without kid", () => jwt({ alg: "EdDSA" }, good, ed.privateKey), null],
    ["an audience list that includes ours", () => jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, aud: ["other", "payments-api"] }, rsa.privateKey), null],
    ["expired within the clock skew", () => jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, exp: nowSeconds - 20 }, rsa.privateKey), null],
    ["no token", () => null, 401, "auth.missing"],
    ['alg "none"', () => jwt({ alg: "none" }, good, null), 401, "auth.alg-not-allowed"],
    ['alg "None"', () => jwt({ alg: "None" }, good, null), 401, "auth.alg-not-allowed"],
    [
      "HS256 signed with the RSA public key (algorithm confusion)",
      () => {
        const input = `${b64({ alg: "HS256", kid: "rsa-1" })}.${b64(good)}`;
        const secret = rsa.publicKey.export({ format: "pem", type: "spki" });
        return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
      },
      401,
      "auth.alg-not-allowed",
    ],
    ["an embedded attacker jwk", () => jwt({ alg: "RS256", jwk: publicJwk(attacker.publicKey, "a") }, good, attacker.privateKey), 401, "auth.embedded-key"],
    ["a jku pointing elsewhere", () => jwt({ alg: "RS256", jku: "https://evil.example/jwks.json" }, good, attacker.privateKey), 401, "auth.embedded-key"],
    ["an x5u pointing elsewhere", () => jwt({ alg: "RS256", x5u: "https://evil.example/cert.pem" }, good, attacker.privateKey), 401, "auth.embedded-key"],
    ["a crit header", () => jwt({ alg: "RS256", kid: "rsa-1", crit: ["exp"] }, good, rsa.privateKey), 401, "auth.crit"],
    ["signed by another key under our kid", () => jwt({ alg: "RS256", kid: "rsa-1" }, good, rsaOther.privateKey), 401, "auth.bad-signature"],
    ["an unknown kid", () => jwt({ alg: "RS256", kid: "nope" }, good, rsa.privateKey), 401, "auth.no-key"],
    ["an RS256 header on an EC key id", () => jwt({ alg: "RS256", kid: "ec-1" }, good, rsa.privateKey), 401, "auth.no-key"],
    [
      "a tampered payload",
      () => {
        const [h, , s] = jwt({ alg: "RS256", kid: "rsa-1" }, good, rsa.privateKey).split(".");
        return `${h}.${b64({ ...good, sub: "admin" })}.${s}`;
      },
      401,
      "auth.bad-signature",
    ],
    ["a DER-encoded ES256 signature", () => jwt({ alg: "ES256", kid: "ec-1" }, good, ec.privateKey, { dsa: "der" }), 401, "auth.bad-signature"],
    ["expired beyond the skew", () => jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, exp: nowSeconds - 31 }, rsa.privateKey), 401, "auth.expired"],
    ["not valid yet", () => jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, nbf: nowSeconds + 120 }, rsa.privateKey), 401, "auth.not-yet-valid"],
    ["issued in the future", () => jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, iat: nowSeconds + 120 }, rsa.privateKey), 401, "auth.not-yet-valid"],
    ["no exp", () => jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, exp: undefined }, rsa.privateKey), 401, "auth.missing-exp"],
    ["an untrusted issuer", () => jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, iss: "https://evil.example/" }, rsa.privateKey), 401, "auth.unknown-issuer"],
    ["another audience", () => jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, aud: "billing-api" }, rsa.privateKey), 401, "auth.audience"],
    ["four segments", () => `${jwt({ alg: "RS256", kid: "rsa-1" }, good, rsa.privateKey)}.x`, 401, "auth.malformed"],
    ["non-base64url characters", () => "a+b.c/d.e=f", 401, "auth.malformed"],
    ["a 20 KiB token", () => "a".repeat(20_000), 401, "auth.too-large"],
  ])("%s", async (_name, make, status, ruleId) => {
    const verdict = await check(make());
    expect(verdict?.status ?? null).toBe(status);
    if (ruleId) expect(verdict?.ruleId).toBe(ruleId);
    if (status === 401) expect(verdict?.headers?.[0]?.[0]).toBe("www-authenticate");
  });

  it("requires the path's claims: payments:write for POST /payments/**", async () => {
    const readOnly = jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, scope: "payments:read" }, rsa.privateKey);
    expect(await check(readOnly, { method: "POST", url: "/payments/p1" })).toMatchObject({ status: 403, ruleId: "auth.claims" });
    expect(await check(readOnly, { method: "GET", url: "/payments/p1" })).toBeNull();
    expect(await check(jwt({ alg: "RS256", kid: "rsa-1" }, good, rsa.privateKey), { method: "POST", url: "/payments/p1" })).toBeNull();
  });

  it("lets public paths through without a token", async () => {
    expect(await check(null, { url: "/health" })).toBeNull();
  });

  it("reads the token from the configured cookie", async () => {
    expect(await check(jwt({ alg: "RS256", kid: "rsa-1" }, good, rsa.privateKey), { cookie: true })).toBeNull();
  });

  it("rechecks expiry of a cached token on every use", async () => {
    const token = jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, exp: nowSeconds + 5 }, rsa.privateKey);
    let now = NOW;
    const m = newTokenVerification(bundle.authentication, { tokenCookie: null, jwks: DEFAULT_JWKS_OPTIONS, now: () => now })!;
    const run = async () => m.onRequest!(requestContext({ url: "/x", headers: { authorization: `Bearer ${token}` } }));
    expect(await run()).toBeNull();
    now += 60_000;
    expect(await run()).toMatchObject({ status: 401, ruleId: "auth.expired" });
  });

  it("refuses RSA keys shorter than 2048 bits when the policy loads", () => {
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const weakBundle = buildBundle({
      authentication: { required: true, issuers: [{ issuer: ISSUER, keys: [publicJwk(weak.publicKey, "weak")], algorithms: ["RS256"] }] },
    });
    expect(() => newTokenVerification(weakBundle.authentication, { tokenCookie: null, jwks: DEFAULT_JWKS_OPTIONS })).toThrow(/2048/);
  });

  describe("JWKS over HTTPS", () => {
    let server: https.Server;
    let served: Array<Record<string, string>> = [publicJwk(rsa.publicKey, "rsa-1")];
    let hits = 0;
    let url = "";
    beforeAll(async () => {
      server = https.createServer(
        { cert: readFileSync(path.join(TESTDATA, "server.pem")), key: readFileSync(path.join(TESTDATA, "server-key.pem")) },
        (req, res) => {
          hits++;
          if (req.url === "/down") {
            res.writeHead(500).end();
            return;
          }
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: served }));
        },
      );
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => server.close());

    const jwksBundle = (jwksUrl: string) =>
      buildBundle({ authentication: { required: true, issuers: [{ issuer: ISSUER, jwksUrl, algorithms: ["RS256"], audiences: ["payments-api"] }] } });
    const options = () => ({ ...DEFAULT_JWKS_OPTIONS, minRefreshIntervalMs: 0, extraCa: [readFileSync(path.join(TESTDATA, "ca.pem"), "utf8")] });

    it("fetches keys once, verifies, and refetches when a token names a new kid (rotation)", async () => {
      const cache = new JwksCache(`${url}/jwks.json`, options());
      const m = newTokenVerification(jwksBundle(`${url}/jwks.json`).authentication, {
        tokenCookie: null,
        jwks: options(),
        now: () => NOW,
        jwksCacheFor: () => cache,
      })!;
      const run = async (token: string) => m.onRequest!(requestContext({ url: "/x", headers: { authorization: `Bearer ${token}` } }));
      expect(await run(jwt({ alg: "RS256", kid: "rsa-1" }, good, rsa.privateKey))).toBeNull();
      const before = hits;
      expect(await run(jwt({ alg: "RS256", kid: "rsa-1" }, { ...good, sub: "u2" }, rsa.privateKey))).toBeNull();
      expect(hits).toBe(before);
      served = [publicJwk(rsa.publicKey, "rsa-1"), publicJwk(rsaOther.publicKey, "rsa-2")];
      expect(await run(jwt({ alg: "RS256", kid: "rsa-2" }, good, rsaOther.privateKey))).toBeNull();
      expect(hits).toBe(before + 1);
    });

    it("answers 503 while no keys can be fetched", async () => {
      const cache = new JwksCache(`${url}/down`, options());
      const m = newTokenVerification(jwksBundle(`${url}/down`).authentication, {
        tokenCookie: null,
        jwks: options(),
        now: () => NOW,
        jwksCacheFor: () => cache,
      })!;
      const verdict = await m.onRequest!(
        requestContext({ url: "/x", headers: { authorization: `Bearer ${jwt({ alg: "RS256", kid: "rsa-1" }, good, rsa.privateKey)}` } }),
      );
      expect(verdict).toMatchObject({ status: 503, ruleId: "auth.keys-unavailable" });
    });

    it("bounds the size of a JWKS response", async () => {
      const cache = new JwksCache(`${url}/jwks.json`, { ...options(), maxBytes: 100 });
      await cache.load();
      expect(cache.lastError).toMatch(/larger than 100 bytes/);
    });
  });
});

// Keep the private key helper import used even when a test is skipped.
void createPrivateKey;
