import { DENY_FAMILY_LABELS, VIRTUAL_PATCHES } from "@/lib/policy-spec";

// What the editor calls each field of a policy document: its key in words, with the
// abbreviations people use. Keys not named here are turned from camelCase into words.

const LABELS: Record<string, string> = {
  apiVersion: "API version",
  tls: "TLS",
  minVersion: "Minimum TLS version",
  cipherSuites: "Cipher suites",
  ipAllow: "IP allow rules",
  allowFrom: "Allow only from",
  denyRules: "Deny rules",
  virtualPatches: "Virtual patches",
  adminBlocking: "Admin-interface blocking",
  securityHeaders: "Security headers",
  hsts: "HSTS",
  maxAgeSeconds: "Max-age (seconds)",
  includeSubDomains: "includeSubDomains",
  frameOptions: "X-Frame-Options",
  contentTypeOptions: "X-Content-Type-Options",
  referrerPolicy: "Referrer-Policy",
  permissionsPolicy: "Permissions-Policy",
  contentSecurityPolicy: "Content-Security-Policy",
  custom: "Custom headers",
  geolocation: "Geolocation",
  allowCountries: "Allow only these countries",
  denyCountries: "Deny these countries",
  threatIntel: "Threat intelligence",
  limits: "Request limits",
  maxBodyBytes: "Max body size (bytes)",
  maxHeaderBytes: "Max header size (bytes)",
  maxHeaderCount: "Max header count",
  maxUrlBytes: "Max URL length (bytes)",
  maxParameterCount: "Max parameter count",
  maxParameterBytes: "Max parameter length (bytes)",
  maxJsonDepth: "Max JSON depth",
  maxJsonBytes: "Max JSON size (bytes)",
  uninspected: "What the proxy could not inspect",
  bodies: "Request bodies",
  contentEncoding: "Compressed bodies (Content-Encoding)",
  xmlDoctype: "XML document type declarations",
  blockedUploadExtensions: "Blocked upload extensions",
  exceptionPolicy: "Exception policy",
  maxLifetimeDays: "Max lifetime (days)",
  openapi: "OpenAPI validation",
  spec: "OpenAPI specification",
  upstreamTls: "Upstream TLS",
  caRef: "CA reference",
  serverName: "Server name (SNI)",
  clientCertificate: "Client certificate",
  allow: "Allowed routes",
  cors: "CORS",
  tokenVerification: "Token verification",
  jwksUrl: "JWKS URL",
  rateLimits: "Rate limits",
  publicPaths: "Public paths",
  applicationVersion: "Application version",
  log4shell: VIRTUAL_PATCHES.log4shell.title,
};

export function fieldLabel(key: string | number): string {
  if (typeof key === "number") return `Item ${key + 1}`;
  if (key in DENY_FAMILY_LABELS) return `${key} — ${DENY_FAMILY_LABELS[key as keyof typeof DENY_FAMILY_LABELS]}`;
  if (LABELS[key]) return LABELS[key]!;
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "denyRules.sqli.level" → "Deny rules › sqli — SQL injection › Level", for error lists. */
export function pathLabel(path: readonly (string | number)[]): string {
  return path.length === 0 ? "The document" : path.map((segment) => fieldLabel(/^\d+$/.test(String(segment)) ? Number(segment) : segment)).join(" › ");
}
