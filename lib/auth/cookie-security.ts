import { env } from "@/lib/env";

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/**
 * Whether the session cookie carries `Secure`. On by default; off only for plain
 * http on a loopback host (a developer's or a demo's `npm start`), where browsers
 * would otherwise drop it. COOKIE_SECURE overrides either way.
 */
export function isSecureCookieRequest(headers: Headers): boolean {
  const configured = env().COOKIE_SECURE;
  if (configured !== undefined) return configured;
  const proto = headers.get("x-forwarded-proto") ?? "http";
  const host = headers.get("x-forwarded-host") ?? headers.get("host") ?? "";
  return !(proto === "http" && LOOPBACK.test(host));
}
