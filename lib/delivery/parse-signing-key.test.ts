import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { defaultSigningKeyId, parseEd25519PrivateKey } from "./parse-signing-key";

describe("parseEd25519PrivateKey", () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const der = privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");

  it("reads PKCS#8 PEM and base64 DER as the same key", () => {
    expect(defaultSigningKeyId(parseEd25519PrivateKey(pem))).toBe(defaultSigningKeyId(parseEd25519PrivateKey(der)));
    expect(defaultSigningKeyId(parseEd25519PrivateKey(pem))).toMatch(/^ed25519-[0-9a-f]{16}$/);
  });

  it("refuses other key types and garbage rather than guessing", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    expect(() => parseEd25519PrivateKey(rsa)).toThrow(/not Ed25519/);
    expect(() => parseEd25519PrivateKey("not a key")).toThrow();
  });

  it("derives different ids for different keys", () => {
    const other = generateKeyPairSync("ed25519").privateKey;
    expect(defaultSigningKeyId(other)).not.toBe(defaultSigningKeyId(privateKey));
  });
});
