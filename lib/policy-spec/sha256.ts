// SHA-256 for content hashes. The contract must run unchanged in the portal, the
// proxy and the browser, so it cannot lean on node:crypto or the asynchronous
// WebCrypto API: @noble/hashes is a well-kept, audited, synchronous, dependency-free
// implementation that runs in all three. The proxy hashes with this function too,
// so a bundle's hash is computed one way everywhere.

import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

const utf8 = new TextEncoder();

/** SHA-256 of a UTF-8 string or of raw bytes, as 64 lower-case hex digits. */
export function sha256Hex(input: string | Uint8Array): string {
  return bytesToHex(sha256(typeof input === "string" ? utf8.encode(input) : input));
}
