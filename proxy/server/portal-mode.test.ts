// Connected mode against a stand-in portal speaking the portal's wire format
// (GET /api/v1/applications/{id}/policy/bundle, Bearer token, ETag). The real
// portal process is not started here.

import { generateKeyPairSync, sign } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson, serializeBundle, type Bundle } from "@/lib/policy-spec";
import { buildBundle } from "../test-support/bundle-fixtures.js";
import { request } from "../test-support/http-request.js";
import { startOrigin, type Origin } from "../test-support/origin-server.js";
import { startTestProxy } from "../test-support/start-test-proxy.js";

let origin: Origin;
let portal: http.Server;
let portalUrl = "";
let serving: () => { status: number; body: string; etag?: string } = () => ({ status: 503, body: "" });
const seen: Array<{ url: string; authorization?: string; ifNoneMatch?: string }> = [];
const stateDir = mkdtempSync(path.join(os.tmpdir(), "rampart-state-"));

const bundleWith = (referrer: string): Bundle => buildBundle({ securityHeaders: { referrerPolicy: referrer } });
const plain = (bundle: Bundle) => () => ({ status: 200, body: serializeBundle(bundle), etag: `"${bundle.contentHash}"` });

beforeAll(async () => {
  origin = await startOrigin();
  portal = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization, ifNoneMatch: req.headers["if-none-match"] as string | undefined });
    const answer = serving();
    if (answer.etag && req.headers["if-none-match"] === answer.etag) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json", ...(answer.etag ? { etag: answer.etag } : {}) }).end(answer.body);
  });
  await new Promise<void>((resolve) => portal.listen(0, "127.0.0.1", resolve));
  portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
});
afterAll(async () => {
  portal.close();
  await origin.close();
});

const args = (extra: string[] = []) => ["--portal", portalUrl, "--token", "rpt_test", "--application", "app-1", "--environment", "production", "--upstream", origin.url, "--state-dir", stateDir, "--poll-interval", "1", ...extra];

describe("connected mode", () => {
  it("pulls the bundle with its token, applies new ones as they come, refuses invalid ones and keeps the last good on disk", async () => {
    serving = plain(bundleWith("no-referrer"));
    const proxy = await startTestProxy(args());
    try {
      expect(seen[0]).toMatchObject({ url: "/api/v1/applications/app-1/policy/bundle?environment=production", authorization: "Bearer rpt_test" });
      expect((await request(`${proxy.url}/a`)).headers["referrer-policy"]).toBe("no-referrer");
      expect(existsSync(path.join(stateDir, "bundle-app-1.json"))).toBe(true);

      await new Promise((r) => setTimeout(r, 1300));
      expect(seen.at(-1)!.ifNoneMatch).toMatch(/^"sha256:/); // unchanged: 304

      serving = plain(bundleWith("same-origin"));
      await new Promise((r) => setTimeout(r, 1500));
      expect((await request(`${proxy.url}/b`)).headers["referrer-policy"]).toBe("same-origin");

      const tampered = JSON.parse(serializeBundle(bundleWith("origin"))) as Record<string, unknown>;
      tampered.methods = ["GET", "TRACE"];
      serving = () => ({ status: 200, body: JSON.stringify(tampered), etag: '"x"' });
      const failures = proxy.running.controller.reloads.failure;
      await new Promise((r) => setTimeout(r, 1500));
      expect(proxy.running.controller.reloads.failure).toBeGreaterThan(failures);
      expect((await request(`${proxy.url}/c`)).headers["referrer-policy"]).toBe("same-origin");
    } finally {
      await proxy.stop();
    }
  }, 20_000);

  it("starts from the last good bundle on disk when the portal is unreachable", async () => {
    serving = () => ({ status: 503, body: "" });
    const proxy = await startTestProxy(args());
    try {
      expect((await request(`${proxy.url}/d`)).headers["referrer-policy"]).toBe("same-origin");
    } finally {
      await proxy.stop();
    }
  });

  it("fails to start without a portal and without a bundle on disk", async () => {
    serving = () => ({ status: 503, body: "" });
    const empty = mkdtempSync(path.join(os.tmpdir(), "rampart-empty-"));
    await expect(startTestProxy(args(["--state-dir", empty]).filter((a, i, all) => !(a === "--state-dir" && all[i + 1] === stateDir) && a !== stateDir))).rejects.toThrow(/no last good bundle/);
  });

  it("with a trusted key, accepts signed bundles and refuses unsigned ones", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const keyFile = path.join(stateDir, "portal.pem");
    writeFileSync(keyFile, publicKey.export({ format: "pem", type: "spki" }) as string);
    const bundle = bundleWith("strict-origin");
    const payload = canonicalJson(bundle);
    const signed = JSON.stringify({ payload, contentHash: bundle.contentHash, signature: { algorithm: "ed25519", keyId: "portal-2026", value: sign(null, Buffer.from(payload), privateKey).toString("base64") } });
    const signedDir = mkdtempSync(path.join(os.tmpdir(), "rampart-signed-"));
    const signedArgs = ["--portal", portalUrl, "--token", "t", "--application", "app-2", "--upstream", origin.url, "--state-dir", signedDir, "--trusted-key", `portal-2026=${keyFile}`];
    serving = () => ({ status: 200, body: signed, etag: `"${bundle.contentHash}"` });
    const proxy = await startTestProxy(signedArgs);
    try {
      expect((await request(`${proxy.url}/e`)).headers["referrer-policy"]).toBe("strict-origin");
    } finally {
      await proxy.stop();
    }
    serving = plain(bundleWith("origin"));
    const unsignedDir = mkdtempSync(path.join(os.tmpdir(), "rampart-unsigned-"));
    await expect(startTestProxy(signedArgs.map((a) => (a === signedDir ? unsignedDir : a)))).rejects.toThrow();
  });
});
