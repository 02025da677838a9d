import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson, serializeBundle } from "@/lib/policy-spec";
import { APP_POLICY, BASELINE } from "../test-support/start-test-proxy.js";
import { buildBundle } from "../test-support/bundle-fixtures.js";
import { loadBundleSet } from "./load-bundle-set.js";
import { loadTrustedKeys } from "./parse-bundle.js";
import { PolicyLoadError } from "./policy-load-error.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "rampart-load-"));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const now = new Date("2026-11-01T00:00:00Z");
const load = (files: string[], trusted = new Map()) => loadBundleSet({ kind: "files", files, upstream: "http://127.0.0.1:1" }, { now, trustedKeys: trusted });
const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof PolicyLoadError) return error.message;
    throw error;
  }
  throw new Error("expected a PolicyLoadError");
};

describe("loading policy files", () => {
  it("compiles a baseline alone, and a baseline with the example application policy", () => {
    const alone = load([BASELINE]);
    expect(alone.routes).toHaveLength(1);
    expect(alone.routes[0]!.bundle.sources.application).toBeNull();
    const both = load([BASELINE, APP_POLICY]);
    expect(both.routes[0]!.bundle.sources.application?.application).toBe("payments-api");
    expect(both.fingerprint).not.toBe(alone.fingerprint);
  });

  it("loads a compiled bundle and refuses one whose content no longer matches its hash", () => {
    const bundle = buildBundle();
    const good = file("bundle.json", serializeBundle(bundle));
    expect(load([good]).routes[0]!.bundle.contentHash).toBe(bundle.contentHash);
    const tampered = file("tampered.json", serializeBundle({ ...bundle, methods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"] }));
    expect(problemsOf(() => load([tampered]))).toMatch(/does not match the bundle's content/);
  });

  it("verifies a signed bundle against the trusted key and refuses other signers", () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const other = generateKeyPairSync("ed25519");
    const bundle = buildBundle();
    const payload = canonicalJson(bundle);
    const envelope = (key = privateKey) =>
      JSON.stringify({
        payload,
        contentHash: bundle.contentHash,
        signature: { algorithm: "ed25519", keyId: "portal-1", value: sign(null, Buffer.from(payload), key).toString("base64") },
      });
    const keyFile = file("portal-1.pem", publicKey.export({ format: "pem", type: "spki" }) as string);
    const trusted = loadTrustedKeys([`portal-1=${keyFile}`]);
    expect(load([file("signed.json", envelope())], trusted).routes[0]!.bundle.contentHash).toBe(bundle.contentHash);
    expect(problemsOf(() => load([file("forged.json", envelope(other.privateKey))], trusted))).toMatch(/does not verify/);
    expect(problemsOf(() => load([file("signed2.json", envelope())]))).toMatch(/not among the trusted keys/);
  });

  it("reports every problem of an invalid policy with file, field and line", () => {
    const bad = file(
      "bad.yaml",
      "apiVersion: rampart.dev/v1alpha1\nkind: BaselinePolicy\nmetadata: { name: x }\nlimits:\n  maxBodyBytes: -1\nmethods: { allowed: [GETT] }\n",
    );
    const message = problemsOf(() => load([bad]));
    expect(message).toMatch(/bad\.yaml:5: \$\.limits\.maxBodyBytes/);
    expect(message).toMatch(/methods/);
  });

  it("refuses an application policy that loosens the baseline, naming the baseline rule", () => {
    const loose = file(
      "loose.yaml",
      "apiVersion: rampart.dev/v1alpha1\nkind: ApplicationPolicy\nmetadata: { application: x, applicationVersion: '1' }\nlimits: { maxBodyBytes: 999999999 }\n",
    );
    expect(problemsOf(() => load([BASELINE, loose]))).toMatch(/maxBodyBytes/);
  });

  it("refuses two baselines, an application policy alone, and a bundle with other files", () => {
    expect(problemsOf(() => load([BASELINE, BASELINE]))).toMatch(/second baseline/);
    expect(problemsOf(() => load([APP_POLICY]))).toMatch(/needs the baseline/);
    expect(problemsOf(() => load([file("b.json", serializeBundle(buildBundle())), BASELINE]))).toMatch(/only --policy/);
  });

  it("loads a gateway config: routes by host and path, each with its policy", () => {
    const config = file(
      "gateway.yaml",
      [
        "apiVersion: rampart.dev/v1alpha1",
        "kind: GatewayConfig",
        `baseline: ${BASELINE}`,
        "routes:",
        "  - { name: payments, host: api.example.com, path: /payments, upstream: 'https://127.0.0.1:9443', policy: " + APP_POLICY + " }",
        "  - { name: shop, upstream: 'http://127.0.0.1:9000' }",
      ].join("\n"),
    );
    const set = loadBundleSet({ kind: "gateway", configFile: config }, { now, trustedKeys: new Map() });
    expect(set.routes.map((r) => [r.name, r.host, r.pathPrefix])).toEqual([
      ["payments", "api.example.com", "/payments"],
      ["shop", null, "/"],
    ]);
    expect(set.watchFiles).toEqual(expect.arrayContaining([config, BASELINE, APP_POLICY]));
  });

  it("refuses a gateway config with duplicate routes or unknown fields", () => {
    const config = file(
      "gw-bad.yaml",
      `apiVersion: rampart.dev/v1alpha1\nkind: GatewayConfig\nbaseline: ${BASELINE}\nroutes:\n  - { name: a, upstream: 'http://127.0.0.1:1' }\n  - { name: a, upstream: 'http://127.0.0.1:2', extra: 1 }\n`,
    );
    const message = problemsOf(() => loadBundleSet({ kind: "gateway", configFile: config }, { now, trustedKeys: new Map() }));
    expect(message).toMatch(/duplicate route name/);
    expect(message).toMatch(/extra/i);
  });
});
