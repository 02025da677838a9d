// Why the outbound guard stopped a request. The code is what callers classify on
// (lib/kubernetes/cluster/cluster-error.ts, lib/webhooks, lib/auth/sso/idp-fetch.ts); the
// message names the address and the reason, never anything the remote server said.

export type OutboundRefusalReason = "address" | "redirect" | "scheme" | "timeout";

export const OUTBOUND_REFUSED = "ERR_OUTBOUND_REFUSED";
export const OUTBOUND_TIMEOUT = "ERR_OUTBOUND_TIMEOUT";

export class OutboundRefusedError extends Error {
  readonly code: string;
  constructor(
    readonly reason: OutboundRefusalReason,
    message: string,
  ) {
    super(message);
    this.name = "OutboundRefusedError";
    this.code = reason === "timeout" ? OUTBOUND_TIMEOUT : OUTBOUND_REFUSED;
  }
}

/** The errno-like code of a network failure (ECONNREFUSED…), looking through fetch's cause chain. */
export function networkErrorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** The guard's refusal anywhere in an error's cause chain (fetch wraps it in "fetch failed"). */
export function outboundRefusalOf(error: unknown): OutboundRefusedError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof OutboundRefusedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
