// Bundle text → a validated Bundle. The wire format is lib/policy-spec's
// bundleSchema; on top of it the content hash is recomputed over the canonical
// JSON, and a signed envelope is checked against the operator's trusted
// Ed25519 keys before its payload is even parsed.

import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { BUNDLE_FORMAT, bundleSchema, canonicalJson, sha256Hex, signedBundleSchema, type Bundle } from "@/lib/policy-spec";
import { failLoad, PolicyLoadError } from "./policy-load-error.js";

export type TrustedKeys = ReadonlyMap<string, KeyObject>;

/** What a policy-like file holds, judged by its content. */
export type BundleFileKind = "bundle" | "signed-bundle" | "policy-document";

export function classifyPolicyText(text: string): { kind: BundleFileKind; json: unknown } {
  if (!text.trimStart().startsWith("{")) return { kind: "policy-document", json: undefined };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "policy-document", json: undefined };
  }
  if (json !== null && typeof json === "object") {
    const record = json as Record<string, unknown>;
    if (record.format === BUNDLE_FORMAT) return { kind: "bundle", json };
    if (typeof record.payload === "string" && record.signature !== undefined) return { kind: "signed-bundle", json };
  }
  return { kind: "policy-document", json };
}

/** A compiled bundle as JSON (object already parsed): schema-checked and hash-checked. */
export function parseBundle(json: unknown, source: string): Bundle {
  const result = bundleSchema.safeParse(json);
  if (!result.success) {
    throw new PolicyLoadError(
      result.error.issues.slice(0, 20).map((issue) => ({
        source,
        path: issue.path.length === 0 ? "$" : `$.${issue.path.map(String).join(".")}`,
        message: issue.message,
      })),
    );
  }
  verifyBundleHash(result.data, source, "$.contentHash");
  return result.data;
}

/** Recomputes a schema-valid bundle's content hash as lib/policy-spec's compiler does (sha256 of the canonical JSON of every other field). */
export function verifyBundleHash(bundle: Bundle, source: string, path: string): void {
  const { contentHash, ...body } = bundle;
  const actual = `sha256:${sha256Hex(canonicalJson(body))}`;
  if (actual !== contentHash) {
    failLoad(source, `contentHash ${contentHash} does not match the bundle's content (${actual}): the bundle was altered or truncated`, path);
  }
}

/** A signed envelope: the signature must verify with a trusted key before the payload is trusted. */
export function parseSignedBundle(json: unknown, source: string, trustedKeys: TrustedKeys): Bundle {
  const envelope = signedBundleSchema.safeParse(json);
  if (!envelope.success) failLoad(source, `not a valid signed bundle: ${envelope.error.issues[0]?.message ?? "invalid"}`);
  const { payload, contentHash, signature } = envelope.data;
  const key = trustedKeys.get(signature.keyId);
  if (!key) {
    failLoad(
      source,
      `signed with key "${signature.keyId}", which is not among the trusted keys (${[...trustedKeys.keys()].join(", ") || "none given; use --trusted-key"})`,
    );
  }
  const valid = verify(null, Buffer.from(payload, "utf8"), key, Buffer.from(signature.value, "base64"));
  if (!valid) failLoad(source, `the Ed25519 signature of key "${signature.keyId}" does not verify: refusing the bundle`);
  let inner: unknown;
  try {
    inner = JSON.parse(payload);
  } catch {
    failLoad(source, "the signed payload is not JSON");
  }
  const bundle = parseBundle(inner, source);
  if (bundle.contentHash !== contentHash) failLoad(source, "the envelope's contentHash differs from the payload's");
  if (canonicalJson(bundle) !== payload) failLoad(source, "the signed payload is not in canonical form");
  return bundle;
}

/** Reads "keyId=path" pairs: Ed25519 public keys in PEM (SPKI) or as a raw 32-byte base64 value. */
export function loadTrustedKeys(specs: readonly string[]): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    if (eq <= 0) failLoad("--trusted-key", `"${spec}" must be KEY_ID=PATH`);
    const keyId = spec.slice(0, eq);
    const file = spec.slice(eq + 1);
    keys.set(keyId, ed25519PublicKey(readFileSync(file, "utf8"), file, "--trusted-key"));
  }
  return keys;
}

/** An Ed25519 public key from PEM (SPKI), base64 DER SPKI, or the raw 32 bytes in base64. */
export function ed25519PublicKey(text: string, source: string, flag: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  try {
    if (trimmed.startsWith("-----")) key = createPublicKey(trimmed);
    else {
      const bytes = Buffer.from(trimmed, "base64");
      key =
        bytes.length === 32
          ? createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: bytes.toString("base64url") }, format: "jwk" })
          : createPublicKey({ key: bytes, format: "der", type: "spki" });
    }
  } catch (error) {
    failLoad(flag, `${source}: not an Ed25519 public key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== "ed25519") failLoad(flag, `${source}: bundle signatures are Ed25519; this is a ${key.asymmetricKeyType} key`);
  return key;
}
