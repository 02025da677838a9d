// `npm start` without RAMPART_SIGNING_KEY / RAMPART_ENCRYPTION_KEY: generate each once into
// the data directory (mode 0600) and reuse it on every later start, so the two-command start
// keeps working and what was signed or encrypted yesterday still verifies and decrypts.
// Several replicas must share the keys: set the variables explicitly there.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const FILES = {
  RAMPART_SIGNING_KEY: { file: "signing-key.pem", create: () => generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString() },
  RAMPART_ENCRYPTION_KEY: { file: "encryption-key", create: () => `${randomBytes(32).toString("base64")}\n` },
} as const;

/** Sets the missing key variables in process.env from RAMPART_DATA_DIR, generating files the first time. */
export function ensureDeliveryKeys(dataDir: string, say: (line: string) => void): void {
  for (const [variable, { file, create }] of Object.entries(FILES)) {
    if (process.env[variable]) continue;
    const target = path.resolve(dataDir, file);
    if (!existsSync(target)) {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, create(), { mode: 0o600, flag: "wx" });
      say(`first start: generated ${variable} into ${target} (mode 0600; set ${variable} to use your own)`);
    }
    // Tighten a file someone loosened: these are secrets.
    chmodSync(target, 0o600);
    process.env[variable] = readFileSync(target, "utf8").trim();
  }
}
