import "server-only";
import { encryptSecret, secretFingerprint } from "./secret-box";

// Which secret a target holds and the associated data it is encrypted under: bound to the
// target's id and the secret's role, so a ciphertext is only ever readable where it was written.
export type TargetSecretKind = "kubeconfig" | "git-credentials";

export function targetSecretAad(targetId: string, kind: TargetSecretKind): string {
  return `rampart/delivery-target/${targetId}/${kind}`;
}

/** The columns that store a target's secret, encrypted. Throws (nothing stored) without RAMPART_ENCRYPTION_KEY. */
export function sealTargetSecret(targetId: string, kind: TargetSecretKind, plaintext: string) {
  return {
    secretCiphertext: new Uint8Array(encryptSecret(plaintext, targetSecretAad(targetId, kind))),
    secretFingerprint: secretFingerprint(plaintext),
  };
}
