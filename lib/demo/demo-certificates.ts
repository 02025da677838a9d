// Key material for the demo's HTTPS upstream: a CA made for this checkout and a server
// certificate for the name the payments API's policy verifies (upstreamTls.serverName),
// so the demo proxy really checks the upstream's certificate, as the policy demands.
// Generated once into the demo directory (private keys mode 0600) by `npm run demo`;
// never the test key material of proxy/testdata, whose private keys are public.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as x509 from "@peculiar/x509";

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;

export type DemoCertificates = {
  /** PEM of the CA that signed the upstream's certificate. */
  caPem: string;
  certificatePem: string;
  keyPem: string;
};

/** The demo CA and an upstream certificate for `serverName` (and 127.0.0.1), made once and kept in `directory`. */
export async function ensureDemoCertificates(directory: string, serverName: string): Promise<DemoCertificates> {
  const files = {
    caPem: path.join(directory, "demo-ca.pem"),
    certificatePem: path.join(directory, "upstream.pem"),
    keyPem: path.join(directory, "upstream-key.pem"),
  };
  const marker = path.join(directory, "upstream.name");
  if (Object.values(files).every((file) => existsSync(file)) && existsSync(marker) && readFileSync(marker, "utf8") === serverName) {
    return { caPem: readFileSync(files.caPem, "utf8"), certificatePem: readFileSync(files.certificatePem, "utf8"), keyPem: readFileSync(files.keyPem, "utf8") };
  }
  const made = await makeCertificates(serverName);
  mkdirSync(directory, { recursive: true });
  writeFileSync(files.caPem, made.caPem);
  writeFileSync(files.certificatePem, made.certificatePem);
  writeFileSync(files.keyPem, made.keyPem, { mode: 0o600 });
  chmodSync(files.keyPem, 0o600);
  writeFileSync(marker, serverName);
  return made;
}

async function makeCertificates(serverName: string): Promise<DemoCertificates> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const notBefore = new Date(Date.now() - DAY_MS);
  const notAfter = new Date(Date.now() + 365 * DAY_MS);
  const caKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=Rampart demo CA",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const serverKeys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${serverName}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingKey: caKeys.privateKey,
    publicKey: serverKeys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: "dns", value: serverName },
        { type: "ip", value: "127.0.0.1" },
      ]),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", serverKeys.privateKey)).toString("base64");
  return {
    caPem: `${ca.toString("pem")}\n`,
    certificatePem: `${certificate.toString("pem")}\n`,
    keyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join("\n")}\n-----END PRIVATE KEY-----\n`,
  };
}

function serial(): string {
  // Positive, 16 random bytes: what CAs use so serials never collide.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f;
  return Buffer.from(bytes).toString("hex");
}
