// The policy's TLS floor for its own route. The listener is configured with
// the loosest settings any route needs (one port can serve several routes in
// gateway mode); each route then refuses connections below its own minimum
// version or outside its cipher list. Judged once per connection.

import type { TLSSocket } from "node:tls";
import type { Bundle } from "@/lib/policy-spec";
import { blocked } from "../../runtime/decision.js";
import type { Middleware } from "../../runtime/middleware.js";

const VERSION_RANK: Record<string, number> = { TLSv1: 10, "TLSv1.1": 11, "TLSv1.2": 12, "TLSv1.3": 13 };

export function newTlsPolicy(tls: Bundle["tls"]): Middleware {
  const minRank = tls.minVersion === "1.3" ? 13 : 12;
  const ciphers = new Set(tls.cipherSuites);
  const verdicts = new WeakMap<TLSSocket, string | null>();
  const judge = (socket: TLSSocket): string | null => {
    const version = socket.getProtocol() ?? "";
    if ((VERSION_RANK[version] ?? 0) < minRank) return `tls.min-version:${version || "unknown"}`;
    const cipher = socket.getCipher();
    if (!ciphers.has(cipher.name) && !ciphers.has(cipher.standardName)) return `tls.cipher:${cipher.name}`;
    return null;
  };
  return {
    name: "tls-policy",
    onRequest(ctx) {
      const socket = ctx.tlsSocket;
      if (socket === null) return null;
      let verdict = verdicts.get(socket);
      if (verdict === undefined) {
        verdict = judge(socket);
        verdicts.set(socket, verdict);
      }
      if (verdict === null) return null;
      const colon = verdict.indexOf(":");
      return blocked(403, "tls", verdict.slice(0, colon), "connection", "", verdict.slice(colon + 1));
    },
  };
}
