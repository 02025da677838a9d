// The portal calls nothing inside its own network unless the operator allows it
// (RAMPART_EGRESS_ALLOW, lib/outbound/egress-rules.ts), loopback included. Tests whose
// stand-in servers (Kubernetes API, Git, webhook receivers, identity providers) listen on
// 127.0.0.1 open exactly that address, the way an operator would, and nothing else.
export const LOOPBACK_EGRESS = "127.0.0.1/32";

export function allowLoopbackEgress(): void {
  const current = (process.env.RAMPART_EGRESS_ALLOW ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
  if (!current.includes(LOOPBACK_EGRESS)) process.env.RAMPART_EGRESS_ALLOW = [...current, LOOPBACK_EGRESS].join(",");
}

/** Closes loopback again (a test proving a refusal). */
export function disallowLoopbackEgress(): void {
  const rest = (process.env.RAMPART_EGRESS_ALLOW ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v && v !== LOOPBACK_EGRESS);
  if (rest.length > 0) process.env.RAMPART_EGRESS_ALLOW = rest.join(",");
  else delete process.env.RAMPART_EGRESS_ALLOW;
}
