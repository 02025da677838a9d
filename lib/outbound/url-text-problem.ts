// What can be judged of an outbound URL from its text alone, at registration: the scheme,
// credentials in it, and a host that is an IP literal (or "localhost") in a refused range.
// A host name is resolved and checked at every call instead (guarded-lookup.ts): what a
// name points at can change after it was registered.

import { addressRefusal, EGRESS_ADVICE, isAllowedHostName, isIpLiteral, knowsOperatorSettings } from "./egress-rules";

/** Why this URL will never be called, or null when only resolving its host at call time can tell. */
export function urlTextProblem(text: string, { schemes }: { schemes: readonly string[] }): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be an absolute URL";
  }
  if (!schemes.includes(url.protocol)) return `must be a ${schemes.map((s) => `${s}//`).join(" or ")} URL`;
  return hostTextProblem(url.hostname);
}

/** The same judgement for a bare host (a Git remote in user@host:path form). */
export function hostTextProblem(hostText: string): string | null {
  const host = hostText.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "") return "must name a host";
  if (!knowsOperatorSettings()) return null;
  if (isAllowedHostName(host)) return null;
  if (host === "localhost" || host.endsWith(".localhost")) {
    const refusal = addressRefusal("127.0.0.1");
    return refusal ? `names ${host} (loopback): ${EGRESS_ADVICE}` : null;
  }
  if (!isIpLiteral(host)) return null;
  const refusal = addressRefusal(host);
  return refusal ? `points at ${refusal}: ${EGRESS_ADVICE}` : null;
}
