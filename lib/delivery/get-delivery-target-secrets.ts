import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { gitCredentialsSchema, type GitCredentials } from "./delivery-schemas";
import { decryptSecret } from "./secret-box";
import { targetSecretAad } from "./target-secret";

/**
 * A Kubernetes or Git target with its secret decrypted, for the server-side code that
 * delivers to it (lib/kubernetes). SERVER ONLY, and never behind an API response: no
 * actor is checked here because no user ever receives the result. A target that is
 * revoked, of another kind, or whose ciphertext fails its integrity check is refused
 * (fail closed: nothing is delivered with a secret that may have been tampered with).
 */
export async function getDeliveryTargetSecrets({ targetId }: { targetId: string }) {
  const target = await db.deliveryTarget.findUnique({
    where: { id: targetId },
    select: {
      id: true,
      kind: true,
      name: true,
      environment: true,
      namespaces: true,
      renders: true,
      repository: true,
      branch: true,
      folder: true,
      secretCiphertext: true,
      revokedAt: true,
      version: true,
      applications: { select: { applicationId: true } },
    },
  });
  if (!target) throw new AppError("NOT_FOUND", "No such delivery target.");
  if (target.revokedAt) throw new AppError("CONFLICT", `Delivery target ${target.name} is revoked.`);
  const { secretCiphertext, applications, ...rest } = target;
  const base = { ...rest, applicationIds: applications.map((a) => a.applicationId) };
  if (target.kind === "kubernetes") {
    if (!secretCiphertext) throw new AppError("CONFLICT", `Delivery target ${target.name} has no kubeconfig.`);
    return {
      ...base,
      kind: "kubernetes" as const,
      kubeconfig: decryptSecret(secretCiphertext, targetSecretAad(target.id, "kubeconfig")),
      gitCredentials: null,
    };
  }
  if (target.kind === "git") {
    const gitCredentials: GitCredentials | null = secretCiphertext
      ? gitCredentialsSchema.parse(JSON.parse(decryptSecret(secretCiphertext, targetSecretAad(target.id, "git-credentials"))))
      : null;
    return { ...base, kind: "git" as const, kubeconfig: null, gitCredentials };
  }
  throw new AppError("CONFLICT", `Delivery target ${target.name} is a proxy target; proxies fetch their policy themselves.`);
}

export type DeliveryTargetWithSecrets = Awaited<ReturnType<typeof getDeliveryTargetSecrets>>;
