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
type ReloadError = { at: string; message: string };

/**
 * Desired versus running, per target and per application: what each target should run now
 * (computed from what is published, the same way its proxies receive it) against what
 * each of its proxy instances last reported. Flags: in sync, rolling out, stale (no
 * heartbeat for STALE_AFTER_SECONDS), failing (reload errors and not in sync), never
 * connected, revoked; Kubernetes and Git targets report nothing here yet.
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
        const reloadErrors = (instance.reloadErrors as ReloadError[]).slice(0, 3);
        const running = new Map((instance.running as { applicationId: string; contentHash: string }[]).map((r) => [r.applicationId, r.contentHash]));
        const stale = now - instance.lastSeenAt.getTime() > STALE_AFTER_SECONDS * 1000;
        const inSync = desiredHash !== null && instance.runningHash === desiredHash;
        const state: RolloutState = stale ? "stale" : inSync ? "in-sync" : reloadErrors.length > 0 ? "failing" : "rolling-out";
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
        state: targetState(target, instances.map((i) => i.view.state)),
        desiredHash,
        desiredError,
        applications,
        instances: instances.map((i) => i.view),
      };
    }),
  );
  return { generatedAt: new Date(now).toISOString(), staleAfterSeconds: STALE_AFTER_SECONDS, signingKeyId, targets: view };
}

function targetState(target: { kind: string; revokedAt: Date | null; lastSeenAt: Date | null }, instances: RolloutState[]): RolloutState {
  if (target.revokedAt) return "revoked";
  if (target.kind !== "proxy") return "not-reported";
  if (instances.length === 0) return target.lastSeenAt ? "rolling-out" : "never-connected";
  const live = instances.filter((s) => s !== "stale");
  if (live.length === 0) return "stale";
  if (live.includes("failing")) return "failing";
  if (live.includes("rolling-out")) return "rolling-out";
  return "in-sync";
}
