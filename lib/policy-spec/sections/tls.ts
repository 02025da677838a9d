// TLS for public listeners (baseline, tightened per application) and for the
// hop from the proxy to the application (application only).

import { z } from "zod";
import { certificateRefSchema, hostnameSchema, tlsVersionSchema, uniqueList } from "./policy-fields";

const TLS13_SUITES = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"] as const;
const TLS12_AEAD_SUITES = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
  "DHE-RSA-AES128-GCM-SHA256",
  "DHE-RSA-AES256-GCM-SHA384",
  "DHE-RSA-CHACHA20-POLY1305",
] as const;
const TLS12_LEGACY_SUITES = [
  "ECDHE-ECDSA-AES128-SHA256",
  "ECDHE-RSA-AES128-SHA256",
  "ECDHE-ECDSA-AES256-SHA384",
  "ECDHE-RSA-AES256-SHA384",
  "AES128-GCM-SHA256",
  "AES256-GCM-SHA384",
] as const;

/** OpenSSL names, as Node's `tls` accepts them. Unknown names are refused: a typo must not silently fall back to a default. */
export const CIPHER_SUITES = [...TLS13_SUITES, ...TLS12_AEAD_SUITES, ...TLS12_LEGACY_SUITES] as const;
export type CipherSuite = (typeof CIPHER_SUITES)[number];

/** Mozilla's server-side TLS profiles (v5.7). */
export const CIPHER_PROFILES = {
  modern: [...TLS13_SUITES],
  intermediate: [...TLS13_SUITES, ...TLS12_AEAD_SUITES],
} as const satisfies Record<string, readonly CipherSuite[]>;
export type CipherProfile = keyof typeof CIPHER_PROFILES;

export const cipherSuitesSchema = z.union([z.enum(["modern", "intermediate"]), uniqueList(z.enum(CIPHER_SUITES), "cipher suite").min(1)], {
  error: 'cipherSuites must be a profile ("modern" or "intermediate") or a list of OpenSSL cipher suite names',
});
export type CipherSuites = z.output<typeof cipherSuitesSchema>;

/** The explicit suites a profile or list stands for. */
export function resolveCipherSuites(value: CipherSuites): CipherSuite[] {
  return typeof value === "string" ? [...CIPHER_PROFILES[value]] : [...value];
}

export const certificateSchema = z.strictObject({
  ref: certificateRefSchema,
  hosts: uniqueList(hostnameSchema, "host").default([]),
});

export const baselineTlsSchema = z.strictObject({
  minVersion: tlsVersionSchema.default("1.2"),
  cipherSuites: cipherSuitesSchema.default("intermediate"),
  certificates: z.array(certificateSchema).default([]),
});

/** An application may only raise the bar on its own listener. */
export const applicationTlsSchema = z.strictObject({
  minVersion: tlsVersionSchema.optional(),
  cipherSuites: cipherSuitesSchema.optional(),
});

export const upstreamTlsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Verifying the upstream certificate is the default; turning it off is flagged for review. */
  verify: z.boolean().default(true),
  minVersion: tlsVersionSchema.default("1.2"),
  serverName: hostnameSchema.optional(),
  caRef: certificateRefSchema.optional(),
  clientCertificate: certificateRefSchema.optional(),
});
