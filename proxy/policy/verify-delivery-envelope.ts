// A signed delivery envelope (lib/policy-spec's delivery contract) → a
// DeliverySet this proxy may enforce. The order matters: nothing about the
// payload is believed before the signature over its exact bytes verifies with
// a pinned portal key; then the envelope's contentHash must be the payload's,
// the payload must be a DeliverySet, and every bundle's own contentHash must
// match its content. Any failure is a PolicyLoadError, and the caller keeps
// the set it already runs.

import { existsSync, readFileSync } from "node:fs";
import { verify, type KeyObject } from "node:crypto";
import { deliverySetSchema, sha256Hex, signedBundleSchema, type DeliverySet } from "@/lib/policy-spec";
import { ed25519PublicKey, verifyBundleHash } from "./parse-bundle.js";
import { failLoad, PolicyLoadError } from "./policy-load-error.js";

export interface VerifiedDelivery {
  /** The envelope's contentHash: what the long poll sends back as `hash`. */
  contentHash: string;
  keyId: string;
  set: DeliverySet;
}

/** The portal keys pinned with --portal-key: each a file (PEM or base64) or inline base64 SPKI. */
export function loadPortalKeys(specs: readonly string[]): KeyObject[] {
  return specs.map((spec) =>
    existsSync(spec) ? ed25519PublicKey(readFileSync(spec, "utf8"), spec, "--portal-key") : ed25519PublicKey(spec, "inline key", "--portal-key"),
  );
}

export function verifyDeliveryEnvelope(text: string, keys: readonly KeyObject[], source: string): VerifiedDelivery {
  if (keys.length === 0) failLoad(source, "no pinned portal key: refusing every delivered set");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    failLoad(source, "the delivery envelope is not JSON");
  }
  const envelope = signedBundleSchema.safeParse(json);
  if (!envelope.success)
    failLoad(source, `not a signed delivery envelope: ${envelope.error.issues[0]?.message ?? "invalid"}`, pathOf(envelope.error.issues[0]?.path));
  const { payload, contentHash, signature } = envelope.data;

  const bytes = Buffer.from(payload, "utf8");
  const signatureBytes = Buffer.from(signature.value, "base64");
  // keyId only names the key for logs and rotation; trust comes from the pinned keys alone.
  if (!keys.some((key) => verify(null, bytes, key, signatureBytes))) {
    failLoad(source, `the Ed25519 signature (key "${signature.keyId}") does not verify with the pinned portal key: refusing the set`, "$.signature");
  }
  const actual = `sha256:${sha256Hex(payload)}`;
  if (actual !== contentHash) failLoad(source, `the envelope's contentHash ${contentHash} is not the payload's (${actual})`, "$.contentHash");

  let inner: unknown;
  try {
    inner = JSON.parse(payload);
  } catch {
    failLoad(source, "the signed payload is not JSON", "$.payload");
  }
  const parsed = deliverySetSchema.safeParse(inner);
  if (!parsed.success) {
    throw new PolicyLoadError(
      parsed.error.issues.slice(0, 20).map((issue) => ({ source, path: `$.payload${pathOf(issue.path).slice(1)}`, message: issue.message })),
    );
  }
  const seen = new Set<string>();
  parsed.data.applications.forEach((application, index) => {
    if (seen.has(application.applicationId))
      failLoad(source, `application ${application.applicationId} appears twice in the set`, `$.payload.applications.${index}.applicationId`);
    seen.add(application.applicationId);
    verifyBundleHash(application.bundle, source, `$.payload.applications.${index}.bundle.contentHash`);
  });
  return { contentHash, keyId: signature.keyId, set: parsed.data };
}

/**
 * The contentHash an envelope claims, read without trusting it: only to name a refused set
 * in the status report, so the portal can tell whether the set it wants this proxy to run
 * is the one refused. null when the text has no well-formed hash to read.
 */
export function claimedContentHash(text: string): string | null {
  try {
    const claimed = (JSON.parse(text) as { contentHash?: unknown } | null)?.contentHash;
    return typeof claimed === "string" && /^sha256:[0-9a-f]{64}$/.test(claimed) ? claimed : null;
  } catch {
    return null;
  }
}

function pathOf(path: readonly PropertyKey[] | undefined): string {
  return path && path.length > 0 ? `$.${path.map(String).join(".")}` : "$";
}
