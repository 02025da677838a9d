import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { DELIVERY_FORMAT, type DeliverySet } from "@/lib/policy-spec";
import { deliverableApplicationSelect, resolveDeliverableApplications, type ExcludedApplication } from "./resolve-deliverable-applications";

export type { ExcludedApplication };

export type DesiredApplication = {
  applicationId: string;
  slug: string;
  contentHash: string;
  baselineVersion: { id: string; number: number };
  applicationVersion: { id: string; number: number } | null;
};

/** What a target should run: the set to sign, and per application what it was built from or why it was left out. */
export type DesiredDelivery = { set: DeliverySet; applications: DesiredApplication[]; excluded: ExcludedApplication[] };

// Concurrent requests for the same target at the same listener generation share one build.
const inFlight = new Map<string, Promise<DesiredDelivery>>();

/**
 * The delivery set of a target from the policy published now: the bundles of the
 * applications resolveDeliverableApplications finds deliverable (the rule Kubernetes and
 * Git targets follow too). An application left out keeps its reason; its proxies keep what
 * they run for it.
 *
 * `generation` (the delivery listener's notification count when the caller started) lets
 * callers that are equally fresh share one build; a caller woken by a later notification
 * never receives a build that began before it.
 */
export function buildDeliverySet({ targetId, generation = -1 }: { targetId: string; generation?: number }): Promise<DesiredDelivery> {
  const key = `${targetId}:${generation}`;
  const running = inFlight.get(key);
  if (running) return running;
  const build = buildNow(targetId).finally(() => inFlight.delete(key));
  inFlight.set(key, build);
  return build;
}

async function buildNow(targetId: string): Promise<DesiredDelivery> {
  const target = await db.deliveryTarget.findUnique({
    where: { id: targetId },
    select: { id: true, name: true, environment: true, applications: { select: { application: { select: deliverableApplicationSelect } } } },
  });
  if (!target) throw new AppError("NOT_FOUND", "No such delivery target.");
  // The set is sorted by application id (the contract), so equal policy gives equal bytes.
  const applications = target.applications.map((a) => a.application).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const resolved = await resolveDeliverableApplications({ environment: target.environment, applications });

  const set: DeliverySet = {
    format: DELIVERY_FORMAT,
    target: { id: target.id, name: target.name },
    applications: resolved.deliverable.map((d) => ({ applicationId: d.application.id, name: d.application.slug, bundle: d.bundle })),
  };
  const desired = resolved.deliverable.map((d) => ({
    applicationId: d.application.id,
    slug: d.application.slug,
    contentHash: d.bundle.contentHash,
    baselineVersion: d.baseline.version,
    applicationVersion: d.applicationVersion,
  }));
  return { set, applications: desired, excluded: resolved.excluded };
}
