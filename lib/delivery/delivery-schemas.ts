import { z } from "zod";
import { patchOf } from "@/lib/shared/patch-schema";
import { slugSchema } from "@/lib/applications/application-schemas";
import { kubeconfigProblems } from "@/lib/kubernetes/cluster/check-kubeconfig";
import { localPathProblem, remoteHostOf } from "@/lib/kubernetes/gitops/git-repository";
import { hostTextProblem } from "@/lib/outbound/url-text-problem";

// The delivery API's shapes: targets (create, update, view) and the rollout view. The wire
// format between the portal and a proxy is the contract in lib/policy-spec/delivery-schema.ts.

export const DELIVERY_TARGET_KINDS = ["proxy", "kubernetes", "git"] as const;
export const PROXY_MODES = ["gateway", "microgateway"] as const;
/** What a Kubernetes target renders (lib/kubernetes/render). */
export const KUBERNETES_RENDERS = ["rampart", "airlock", "kyverno", "gatekeeper", "rbac"] as const;
/** A proxy with no heartbeat for this long is stale (three missed 10-second heartbeats). */
export const STALE_AFTER_SECONDS = 30;

const name = z.string().trim().min(1, "is required").max(80, "must be at most 80 characters");
const description = z.string().max(2000).default("");
const environment = slugSchema.nullable().default(null);
const applicationIds = z
  .array(z.uuid({ error: "must be an application id (UUID)" }))
  .max(500)
  .refine((ids) => new Set(ids).size === ids.length, "lists an application twice")
  .default([]);

// Only inline credentials, and a server the portal may call (lib/kubernetes/cluster/check-kubeconfig.ts):
// each problem is named at its path inside the document (kubeconfig.users.0.user.exec).
const kubeconfig = z
  .string()
  .min(1, "is required")
  .max(256 * 1024, "must be at most 256 KiB")
  .superRefine((text, context) => {
    for (const issue of kubeconfigProblems(text)) context.addIssue({ code: "custom", path: issue.path, message: issue.message });
  });
const namespaces = z
  .array(
    z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes namespace name")
      .max(63),
  )
  .min(1, "name at least one namespace")
  .max(50)
  .refine((v) => new Set(v).size === v.length, "lists a namespace twice");
const renders = z
  .array(z.enum(KUBERNETES_RENDERS))
  .min(1, "choose at least one thing to render")
  .refine((v) => new Set(v).size === v.length, "lists a format twice");

const repository = z
  .string()
  .trim()
  .min(1, "is required")
  .max(2048)
  .superRefine((value, context) => {
    const problem = repositoryProblem(value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

/**
 * A Git URL (https, http, ssh or user@host:path) without a password in it, whose host is not
 * an address inside the portal's network; or a local path (or file:// URL) inside the folder
 * the operator allows (lib/kubernetes/gitops/git-repository.ts). git:// has no
 * authentication and other schemes (ext::) run commands: refused.
 */
function repositoryProblem(value: string): string | null {
  if (value.startsWith("/")) return localPathProblem(value);
  if (value.startsWith("file:")) {
    try {
      return localPathProblem(decodeURIComponent(new URL(value).pathname));
    } catch {
      return "must be a file:// URL of an absolute path";
    }
  }
  if (/^[\w.-]+@[\w.-]+:[\w./~-]+$/.test(value)) return hostTextProblem(remoteHostOf(value) ?? ""); // git@host:org/repo.git
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be a Git URL (https://, ssh:// or user@host:path) or a local path";
  }
  if (!["https:", "http:", "ssh:"].includes(url.protocol)) return "must be an https://, http:// or ssh:// Git URL (or user@host:path)";
  if (url.password) return "must not contain a password (put credentials in their own field)";
  return hostTextProblem(url.hostname);
}
const branch = z
  .string()
  .trim()
  .min(1, "is required")
  .max(200)
  .regex(/^(?!\/|.*\/\/|.*\.\.|.*@\{|.*\.lock$|.*\/$)[^\s~^:?*[\\\x00-\x1f]+$/, "must be a valid branch name");
const folder = z
  .string()
  .trim()
  .max(500)
  .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\0]*$/, "must be a path inside the repository (relative, no ..)");

export const gitCredentialsSchema = z
  .strictObject({
    username: z.string().max(200).optional(),
    /** A password or an access token. */
    password: z.string().max(4096).optional(),
    sshPrivateKey: z
      .string()
      .max(16 * 1024)
      .optional(),
  })
  .refine((c) => !!(c.password || c.sshPrivateKey), "give a password/token or an SSH private key");
export type GitCredentials = z.output<typeof gitCredentialsSchema>;

const common = { name, description, environment, applicationIds };

export const createDeliveryTargetInput = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("proxy"), ...common, mode: z.enum(PROXY_MODES) }),
  z.strictObject({ kind: z.literal("kubernetes"), ...common, kubeconfig, namespaces, renders }),
  z.strictObject({
    kind: z.literal("git"),
    ...common,
    repository,
    branch,
    folder: folder.default(""),
    credentials: gitCredentialsSchema.nullable().default(null),
  }),
]);
export type CreateDeliveryTargetInput = z.input<typeof createDeliveryTargetInput>;

/** A change to a target: any of its fields; fields of another kind are refused by the domain, naming the field. */
export const updateDeliveryTargetInput = patchOf(
  z.strictObject({
    name,
    description: z.string().max(2000),
    environment: slugSchema.nullable(),
    applicationIds,
    mode: z.enum(PROXY_MODES),
    kubeconfig,
    namespaces,
    renders,
    repository,
    branch,
    folder,
    credentials: gitCredentialsSchema.nullable(),
  }),
);
export type UpdateDeliveryTargetInput = z.input<typeof updateDeliveryTargetInput>;

export const listDeliveryTargetsQuery = z.strictObject({
  kind: z.enum(DELIVERY_TARGET_KINDS).optional(),
  /** Only the targets that deliver this application (a policy page's Delivery section). */
  applicationId: z.uuid({ error: "must be an application id (UUID)" }).optional(),
  revoked: z.enum(["false", "true", "all"]).default("false"),
});
export type ListDeliveryTargetsQuery = z.output<typeof listDeliveryTargetsQuery>;

export const proxyInstanceParams = z.strictObject({
  id: z.uuid({ error: "must be a delivery target id (UUID)" }),
  instanceId: z.string().min(1).max(200),
});

export const deliveryTargetSchema = z.object({
  id: z.uuid(),
  kind: z.enum(DELIVERY_TARGET_KINDS),
  name: z.string(),
  description: z.string(),
  environment: z.string().nullable(),
  mode: z.enum(PROXY_MODES).nullable(),
  /** The first characters of the proxy token, to tell tokens apart; never the token. */
  tokenPrefix: z.string().nullable(),
  tokenIssuedAt: z.iso.datetime().nullable(),
  namespaces: z.array(z.string()),
  renders: z.array(z.string()),
  repository: z.string().nullable(),
  branch: z.string().nullable(),
  folder: z.string().nullable(),
  /**
   * The kubeconfig (kubernetes) or credentials (git): whether one is stored, and (to those
   * who manage delivery) which, as an HMAC under a server key. Never the secret.
   */
  secret: z.object({ present: z.boolean(), fingerprint: z.string().nullable() }),
  applications: z.array(z.object({ id: z.uuid(), slug: z.string(), name: z.string(), teamId: z.uuid() })),
  revokedAt: z.iso.datetime().nullable(),
  lastSeenAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type DeliveryTargetView = z.output<typeof deliveryTargetSchema>;

export const deliveryTargetListSchema = z.object({ items: z.array(deliveryTargetSchema) });

export const deliveryTargetWithTokenSchema = deliveryTargetSchema.extend({
  /** The proxy token, in this response only (creation, rotation): `--token` of the proxy. */
  token: z.string().nullable(),
});

export const signingKeySchema = z.object({
  algorithm: z.literal("ed25519"),
  keyId: z.string(),
  /** SPKI PEM: pin it in the proxy's configuration. */
  publicKeyPem: z.string(),
});

export const deliveryBundleQuery = z.strictObject({
  /** The contentHash the proxy runs; unchanged → the request waits for a change. */
  hash: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/, "must be a content hash (sha256:<64 hex digits>)")
    .optional(),
  /** Seconds to wait for a change when `hash` is current (long poll). */
  wait: z.coerce.number().int("must be whole seconds").min(0).max(60, "must be at most 60 seconds").default(30),
});

export const ROLLOUT_STATES = ["in-sync", "rolling-out", "stale", "failing", "never-connected", "revoked", "not-reported"] as const;
export const rolloutStateSchema = z.enum(ROLLOUT_STATES);
export type RolloutState = z.output<typeof rolloutStateSchema>;

const versionRef = z.object({ id: z.uuid(), number: z.number().int() });

export const rolloutSchema = z.object({
  generatedAt: z.iso.datetime(),
  staleAfterSeconds: z.number().int(),
  /** null: no signing key is configured, so nothing is delivered. */
  signingKeyId: z.string().nullable(),
  targets: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(DELIVERY_TARGET_KINDS),
      name: z.string(),
      mode: z.enum(PROXY_MODES).nullable(),
      environment: z.string().nullable(),
      revokedAt: z.iso.datetime().nullable(),
      lastSeenAt: z.iso.datetime().nullable(),
      version: z.number().int(),
      state: rolloutStateSchema,
      /** The content hash of the delivery set the target should run now. */
      desiredHash: z.string().nullable(),
      /** Why the desired set could not be computed (e.g. the database failed mid-way). */
      desiredError: z.string().nullable(),
      applications: z.array(
        z.object({
          applicationId: z.uuid(),
          slug: z.string(),
          teamId: z.uuid(),
          desired: z.object({ contentHash: z.string(), baselineVersion: versionRef, applicationVersion: versionRef.nullable() }).nullable(),
          /** Why the application is not delivered (then `desired` is null). */
          excludedReason: z.string().nullable(),
          instancesInSync: z.number().int(),
          instancesLive: z.number().int(),
        }),
      ),
      instances: z.array(
        z.object({
          instanceId: z.string(),
          hostname: z.string().nullable(),
          mode: z.string(),
          proxyVersion: z.string().nullable(),
          startedAt: z.iso.datetime(),
          runningHash: z.string().nullable(),
          lastSeenAt: z.iso.datetime(),
          state: rolloutStateSchema,
          /** Most recent first; refusedHash names the delivered set refused (null: an older proxy, or not a delivered set). */
          reloadErrors: z.array(z.object({ at: z.string(), message: z.string(), refusedHash: z.string().nullable() })),
          /** The latest report that this instance refused the set it should run now (then it is failing, not rolling out). */
          refusedDesired: z.object({ hash: z.string(), at: z.string(), message: z.string() }).nullable(),
          counters: z.object({ requests: z.number(), blocked: z.number(), upstreamErrors: z.number(), reloads: z.number() }),
        }),
      ),
    }),
  ),
});
export type RolloutView = z.output<typeof rolloutSchema>;
