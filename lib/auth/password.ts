import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

// scrypt at OWASP's current parameters (Password Storage Cheat Sheet: N=2^17, r=8, p=1;
// 128 MiB per hash). Parameters are stored with each hash, so older hashes still verify
// and are rehashed at the next successful sign-in (needsRehash).
export const OWASP_SCRYPT = { N: 1 << 17, r: 8, p: 1 } as const;

/**
 * OWASP's parameters, except in a test run (vitest sets VITEST) that asks for a smaller N
 * with RAMPART_TEST_SCRYPT_N: the integration suite signs in thousands of times, and the
 * cost of each is not what it tests. lib/auth/password.test.ts and the browser tests run
 * at OWASP's parameters.
 */
export function scryptParams(env: Record<string, string | undefined>): { N: number; r: number; p: number } {
  const n = env.VITEST ? Number(env.RAMPART_TEST_SCRYPT_N) : NaN;
  return Number.isInteger(n) && n >= 1024 && n < OWASP_SCRYPT.N && (n & (n - 1)) === 0 ? { ...OWASP_SCRYPT, N: n } : OWASP_SCRYPT;
}

/** The parameters new hashes are made with. */
export const SCRYPT_PARAMS = scryptParams(process.env);
const PARAMS = SCRYPT_PARAMS;
const KEY_LENGTH = 32;
// Room for the hash's 128·N·r bytes plus scrypt's own; a stored hash asking for more is refused.
const MAX_MEMORY = 256 * 1024 * 1024;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: MAX_MEMORY });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, "base64url");
  const key = await scrypt(password, Buffer.from(saltB64, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_MEMORY,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a stored hash was made with weaker parameters than today's (rehash it after a successful sign-in). */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split("$");
  return scheme !== "scrypt" || Number(n) < PARAMS.N || Number(r) < PARAMS.r || Number(p) < PARAMS.p;
}

// A hash of a random password, verified against when the account does not exist,
// so a login for an unknown email costs the same time as one for a known email.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}
