-- Secret fingerprints become an HMAC under a key derived from RAMPART_ENCRYPTION_KEY
-- (lib/delivery/secret-box.ts). A plain SHA-256 of a kubeconfig or Git credential lets
-- anyone who sees it guess a short secret offline, and SQL cannot compute the HMAC (it
-- needs the key and the plaintext), so the old values are retired: the secret is still
-- marked as stored, no fingerprint is shown, and the next change of the secret writes an
-- HMAC fingerprint.
UPDATE delivery_targets SET secret_fingerprint = 'retired' WHERE secret_fingerprint LIKE 'sha256:%';
