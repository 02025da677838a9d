import "server-only";
import { requirePermission, type RequestContext } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { isAppError } from "@/lib/errors/app-error";
import { buildDeliverySet, type DesiredDelivery } from "./build-delivery-set";
import { deliverySetPayload } from "./delivery-set-hash";
import { STALE_AFTER_SECONDS, type RolloutState, type RolloutView } from "./delivery-schemas";
import { deliveryTargetReadScope, visibleApplicationFilter } from "./delivery-target-records";
import { getSigningKey } from "./signing-key";

// Instances silent for a day are left out of the view (restarted under a new id, scaled down).
const SHOW_INSTANCES_FOR_MS = 86_400_000;

type Counters = RolloutView["targets"][number]["instances"][number]["counters"];
// Rows written before refusedHash existed lack it.
type StoredReloadError = { at: string; message: string; refusedHash?: string | null };

/**
 * Desired versus running, per target and per application: what each target should run now
 * (computed from what is published, the same way its proxies receive it) against what
 * each of its proxy instances last reported. Flags: in sync, rolling out, stale (no
 * heartbeat for STALE_AFTER_SECONDS), failing, never connected, revoked; Kubernetes and
 * Git targets report nothing here yet.
 *
 * Failing means not in sync and either refused the desired set (its refusedHash is the
 * desired hash) or reporting an error that names no set (an older proxy: it cannot be told
 * apart). An error about an earlier set is history: the instance is rolling out. An
 * instance that refused the desired set while running nothing stays failing once silent:
 * a proxy with no policy to enforce exits after that one report.
 */
export async function getDeliveryRollout({ ctx }: { ctx: RequestContext }): Promise<RolloutView> {
  const actor = requirePermission(ctx, "delivery:read");
  const now = Date.now();
  const visible = visibleApplicationFilter(actor);
  const targets = await db.deliveryTarget.findMany({
    where: deliveryTargetReadScope(actor),
    select: {
      id: true,
      kind: true,
      name: true,
      mode: true,
      environment: true,
      revokedAt: true,
      lastSeenAt: true,
      version: true,
      applications: { select: { application: { select: { id: true, slug: true, teamId: true } } } },
      instances: { where: { lastSeenAt: { gt: new Date(now - SHOW_INSTANCES_FOR_MS) } }, orderBy: { instanceId: "asc" } },
    },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { name: "asc" }],
  });

  let signingKeyId: string | null = null;
  try {
    signingKeyId = getSigningKey().keyId;
  } catch {
    signingKeyId = null;
  }

  const view = await Promise.all(
    targets.map(async (target) => {
      let desired: DesiredDelivery | null = null;
      let desiredHash: string | null = null;
      let desiredError: string | null = null;
      if (!target.revokedAt) {
        try {
          desired = await buildDeliverySet({ targetId: target.id });
          desiredHash = deliverySetPayload(desired.set).contentHash;
        } catch (error) {
          desiredError = isAppError(error) ? error.message : "The desired set could not be computed.";
        }
      }
      const instances = target.instances.map((instance) => {
        const reloadErrors = (instance.reloadErrors as StoredReloadError[])
          .slice(0, 3)
          .map((e) => ({ at: e.at, message: e.message, refusedHash: e.refusedHash ?? null }));
        const running = new Map((instance.running as { applicationId: string; contentHash: string }[]).map((r) => [r.applicationId, r.contentHash]));
        const stale = now - instance.lastSeenAt.getTime() > STALE_AFTER_SECONDS * 1000;
        const inSync = desiredHash !== null && instance.runningHash === desiredHash;
        const refused = desiredHash !== null && !inSync ? (reloadErrors.find((e) => e.refusedHash === desiredHash) ?? null) : null;
        const refusedDesired = refused ? { hash: refused.refusedHash!, at: refused.at, message: refused.message } : null;
        const failing = !inSync && (refusedDesired !== null || reloadErrors.some((e) => e.refusedHash === null));
        const gaveUp = refusedDesired !== null && instance.runningHash === null;
        const state: RolloutState = stale ? (gaveUp ? "failing" : "stale") : inSync ? "in-sync" : failing ? "failing" : "rolling-out";
        return {
          view: {
            instanceId: instance.instanceId,
            hostname: instance.hostname,
            mode: instance.mode,
            proxyVersion: instance.proxyVersion,
            startedAt: instance.startedAt.toISOString(),
            runningHash: instance.runningHash,
            lastSeenAt: instance.lastSeenAt.toISOString(),
            state,
            reloadErrors,
            refusedDesired,
            counters: instance.counters as Counters,
          },
          running,
          live: !stale,
        };
      });

      const live = instances.filter((i) => i.live);
      const applications = target.applications
        .map((a) => a.application)
        .filter(visible)
        .sort((a, b) => a.slug.localeCompare(b.slug))
        .map((application) => {
          const wanted = desired?.applications.find((d) => d.applicationId === application.id) ?? null;
          const excluded = desired?.excluded.find((e) => e.applicationId === application.id) ?? null;
          return {
            applicationId: application.id,
            slug: application.slug,
            teamId: application.teamId,
            desired: wanted
              ? { contentHash: wanted.contentHash, baselineVersion: wanted.baselineVersion, applicationVersion: wanted.applicationVersion }
              : null,
            excludedReason: excluded?.reason ?? (desired || target.revokedAt ? null : desiredError),
            instancesInSync: wanted ? live.filter((i) => i.running.get(application.id) === wanted.contentHash).length : 0,
            instancesLive: live.length,
          };
        });

      return {
        id: target.id,
        kind: target.kind,
        name: target.name,
        mode: target.mode as "gateway" | "microgateway" | null,
        environment: target.environment,
        revokedAt: target.revokedAt?.toISOString() ?? null,
        lastSeenAt: target.lastSeenAt?.toISOString() ?? null,
        version: target.version,
        state: targetState(
          target,
          instances.map((i) => ({ state: i.view.state, live: i.live })),
        ),
        desiredHash,
        desiredError,
        applications,
        instances: instances.map((i) => i.view),
      };
    }),
  );
  return { generatedAt: new Date(now).toISOString(), staleAfterSeconds: STALE_AFTER_SECONDS, signingKeyId, targets: view };
}

function targetState(
  target: { kind: string; revokedAt: Date | null; lastSeenAt: Date | null },
  instances: { state: RolloutState; live: boolean }[],
): RolloutState {
  if (target.revokedAt) return "revoked";
  if (target.kind !== "proxy") return "not-reported";
  if (instances.length === 0) return target.lastSeenAt ? "rolling-out" : "never-connected";
  const live = instances.filter((i) => i.live).map((i) => i.state);
  // A proxy that gave up on the desired set is the target's story only while no other instance reports (a restart that works supersedes it).
  if (live.length === 0) return instances.some((i) => i.state === "failing") ? "failing" : "stale";
  if (live.includes("failing")) return "failing";
  if (live.includes("rolling-out")) return "rolling-out";
  return "in-sync";
}
