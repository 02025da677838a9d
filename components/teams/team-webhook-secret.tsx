"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { apiRequest } from "@/lib/query/api-client";
import { teamWebhookSecretSchema } from "@/lib/teams/team-schemas";

/**
 * Generates the team webhook's signing secret and shows it this once (the API never
 * returns it again), with how a receiver checks the X-Rampart-Signature header.
 */
export function TeamWebhookSecret({ team }: { team: { id: string; version: number; webhookSigned: boolean } }) {
  const router = useRouter();
  const shownRef = useRef<HTMLDivElement>(null);
  const rotate = useMutation({
    mutationFn: () => apiRequest(`/teams/${team.id}/webhook-secret`, { method: "POST", ifMatch: team.version, schema: teamWebhookSecretSchema }),
    onSuccess: () => router.refresh(),
  });
  const secret = rotate.data?.webhookSecret ?? null;
  useEffect(() => {
    if (secret) shownRef.current?.focus();
  }, [secret]);

  return (
    <div className="form-stack">
      <p className="muted">
        {team.webhookSigned
          ? "Deliveries are signed. A new secret replaces the current one at once."
          : "Deliveries are not signed. With a secret, each carries X-Rampart-Signature so the receiver can tell they come from Rampart."}
      </p>
      {secret ? (
        <div ref={shownRef} className="alert alert-success token-secret" role="region" aria-labelledby="webhook-secret-heading" tabIndex={-1}>
          <h3 id="webhook-secret-heading">Signing secret</h3>
          <p>
            Copy it now into the receiver. <strong>It will not be shown again.</strong>
          </p>
          <label htmlFor="webhook-secret-value" className="visually-hidden">
            Signing secret
          </label>
          <input id="webhook-secret-value" readOnly value={secret} className="mono" onFocus={(e) => e.currentTarget.select()} />
          <p className="muted">
            The header reads <code>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>: v1 is HMAC-SHA256 with this secret over <code>&lt;t&gt;.&lt;raw body&gt;</code>
            .
          </p>
        </div>
      ) : null}
      <div className="button-row">
        <button type="button" className="button button-secondary" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
          {rotate.isPending ? "Generating…" : team.webhookSigned ? "Replace signing secret" : "Generate signing secret"}
        </button>
      </div>
      {rotate.error ? (
        <p className="field-error" role="alert">
          {rotate.error.message}
        </p>
      ) : null}
    </div>
  );
}
