// Shared by the API schema, the team form and the sender: no server-only imports.
import { z } from "zod";
import { hostTextProblem } from "@/lib/outbound/url-text-problem";

/**
 * Loopback hosts, the only ones plain http may reach: a development receiver on the same
 * machine. Anything crossing a network must be https, since a notice names applications,
 * exceptions and their justifications.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Why a URL may not receive a team's notices, or null when it may. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https:// URL";
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    return "must use https:// (http:// only to localhost or 127.0.0.1, for development)";
  }
  // Credentials in the authority would be shown on the team page and logged by proxies;
  // a receiver that needs a secret can take it in the path.
  if (url.username || url.password) return "must not contain a user name or password";
  if (url.hash) return "must not contain a #fragment";
  // An address inside the portal's own network only where the operator allows it (lib/outbound).
  const egress = hostTextProblem(url.hostname);
  if (egress) return egress;
  return null;
}

export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000, "must be at most 2000 characters")
  .superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
