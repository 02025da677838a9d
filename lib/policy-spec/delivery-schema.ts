// The delivery wire format between the portal and a connected proxy.
//
//   GET  /api/v1/delivery/bundle?hash=<running contentHash>&wait=<seconds>
//        Authorization: Bearer <delivery target token>
//        X-Rampart-Instance: <instance id>
//     200 → signedBundleSchema envelope whose payload is the canonical JSON of a
//           DeliverySet (ETag: the envelope's contentHash)
//     304 → nothing newer than `hash` was published within `wait` seconds
//     401 → unknown or revoked token (the proxy keeps serving its last good set)
//
//   POST /api/v1/delivery/status   (same token) body: ProxyStatusReport → 204
//
// One target may cover several applications (a gateway), so the signed unit is
// the whole set: a proxy can never be handed a mix of bundles nobody signed
// together. The set carries no timestamps, so the same published policy always
// produces the same bytes and the same hash — which is what the long poll compares.

import { z } from "zod";
import { bundleSchema } from "./bundle-schema";

export const DELIVERY_FORMAT = "rampart.delivery/v1";

const sha256Ref = z.string().regex(/^sha256:[0-9a-f]{64}$/);

export const deliverySetSchema = z.strictObject({
  format: z.literal(DELIVERY_FORMAT),
  target: z.strictObject({ id: z.string().min(1), name: z.string().min(1) }),
  /** Sorted by applicationId. */
  applications: z.array(
    z.strictObject({
      applicationId: z.string().min(1),
      /** The application's slug or name, for logs and route configs. */
      name: z.string().min(1),
      bundle: bundleSchema,
    }),
  ),
});
export type DeliverySet = z.output<typeof deliverySetSchema>;

/** What a proxy instance reports with every heartbeat. */
export const proxyStatusReportSchema = z.strictObject({
  /** Stable per process (replicas of one target share the token, not the id). */
  instanceId: z.string().min(1).max(200),
  hostname: z.string().max(255).nullable(),
  mode: z.enum(["gateway", "microgateway"]),
  proxyVersion: z.string().max(100).nullable(),
  startedAt: z.iso.datetime(),
  /** The delivery set in force (null: nothing loaded yet). */
  runningHash: sha256Ref.nullable(),
  /** Per application: the content hash of the bundle in force. */
  running: z.array(z.strictObject({ applicationId: z.string().min(1), contentHash: sha256Ref })).max(1000),
  /** Most recent first; a refused (tampered, invalid) set is reported here. */
  reloadErrors: z
    .array(
      z.strictObject({
        at: z.iso.datetime(),
        message: z.string().max(2000),
        /**
         * The contentHash the refused envelope claimed (it did not verify, so it is a claim),
         * letting the portal tell "refused the set it should run" from an old error. Absent
         * or null: a proxy of an earlier release, or an error that is not about a delivered
         * set (a local reload, an envelope with no readable hash).
         */
        refusedHash: sha256Ref.nullable().optional(),
      }),
    )
    .max(20),
  counters: z.strictObject({
    requests: z.int().min(0),
    blocked: z.int().min(0),
    upstreamErrors: z.int().min(0),
    reloads: z.int().min(0),
  }),
});
export type ProxyStatusReport = z.output<typeof proxyStatusReportSchema>;
