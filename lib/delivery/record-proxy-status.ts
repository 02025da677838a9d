import "server-only";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ProxyStatusReport } from "@/lib/policy-spec";
import type { DeliveryTargetPrincipal } from "./authenticate-delivery-target";

// Instances that stopped reporting a week ago are gone (restarted under a new id, scaled down).
const FORGET_AFTER_MS = 7 * 86_400_000;

/**
 * Records a proxy instance's heartbeat: one row per (target, instance), replaced by each
 * report. Not audited: it is telemetry, arriving every few seconds from every proxy.
 */
export async function recordProxyStatus({ target, report }: { target: DeliveryTargetPrincipal; report: ProxyStatusReport }) {
  const now = new Date();
  const fields = {
    hostname: report.hostname,
    mode: report.mode,
    proxyVersion: report.proxyVersion,
    startedAt: new Date(report.startedAt),
    runningHash: report.runningHash,
    running: report.running as unknown as Prisma.InputJsonValue,
    // refusedHash is optional on the wire (proxies of an earlier release leave it out); stored rows always carry it.
    reloadErrors: report.reloadErrors.map((e) => ({ at: e.at, message: e.message, refusedHash: e.refusedHash ?? null })) as Prisma.InputJsonValue,
    counters: report.counters as unknown as Prisma.InputJsonValue,
    lastSeenAt: now,
  };
  await db.$transaction([
    db.proxyInstanceStatus.upsert({
      where: { targetId_instanceId: { targetId: target.id, instanceId: report.instanceId } },
      create: { targetId: target.id, instanceId: report.instanceId, ...fields },
      update: fields,
    }),
    db.proxyInstanceStatus.deleteMany({ where: { targetId: target.id, lastSeenAt: { lt: new Date(now.getTime() - FORGET_AFTER_MS) } } }),
  ]);
}
