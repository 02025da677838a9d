// Name resolution for outbound connections: the name is resolved, every address it
// resolves to is judged (egress-rules.ts), and the connection is made to the address that
// was judged — handed straight to the socket as its `lookup` result, so nothing resolves
// the name a second time between the check and the connect (no DNS rebinding).

import { promises as dns, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { addressRefusal, EGRESS_ADVICE, isAllowedHostName } from "./egress-rules";
import { OutboundRefusedError } from "./outbound-refused";

/** How a name becomes addresses; tests pass their own to play a rebinding resolver. */
export type Resolve = (host: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (host) => dns.lookup(host, { all: true, verbatim: true });

/** The address to connect to for `host`, or an OutboundRefusedError naming why there is none. */
export async function resolveChecked(host: string, resolve: Resolve = systemResolve): Promise<LookupAddress> {
  const bare = host.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family !== 0) {
    const refusal = addressRefusal(bare);
    if (refusal) throw new OutboundRefusedError("address", `refused to connect to ${refusal}: ${EGRESS_ADVICE}`);
    return { address: bare, family };
  }
  const addresses = await resolve(bare);
  if (addresses.length === 0) throw Object.assign(new Error(`${bare} has no address`), { code: "ENOTFOUND" });
  if (!isAllowedHostName(bare)) {
    // One refused address refuses the name: which of several records a socket would pick is not ours to bet on.
    for (const { address } of addresses) {
      const refusal = addressRefusal(address);
      if (refusal) throw new OutboundRefusedError("address", `refused to connect to ${bare}: it resolves to ${refusal}; ${EGRESS_ADVICE}`);
    }
  }
  return addresses[0]!;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** resolveChecked as a socket's `lookup` option (net.connect, tls.connect). */
export function checkedLookup(resolve: Resolve = systemResolve) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolveChecked(hostname, resolve).then(
      (checked) => (options.all ? callback(null, [checked]) : callback(null, checked.address, checked.family)),
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
}
