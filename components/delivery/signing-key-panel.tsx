import styles from "./delivery.module.css";

/** The public key proxies pin to verify what they receive (also at GET /api/v1/delivery/signing-key). */
export function SigningKeyPanel({ signingKey }: { signingKey: { keyId: string; publicKeyPem: string } | null }) {
  return (
    <section className="panel" aria-labelledby="signing-key-heading">
      <h2 id="signing-key-heading">Signing key</h2>
      {signingKey ? (
        <>
          <p>
            Every delivery set is signed with Ed25519 key <code className="mono">{signingKey.keyId}</code>. Proxies verify the signature and the content hash
            before they load anything; pin this public key in their configuration.
          </p>
          <pre className={styles.publicKey} aria-label="Public key (PEM)">
            {signingKey.publicKeyPem}
          </pre>
        </>
      ) : (
        <p className="field-error">No signing key is configured (RAMPART_SIGNING_KEY): nothing is delivered until one is.</p>
      )}
    </section>
  );
}
