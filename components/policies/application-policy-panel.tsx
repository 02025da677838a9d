import Link from "next/link";
import type { PolicyView } from "@/lib/policies/policy-schemas";

/** On an application's page: its fine-grained policy at a glance, and the way to it. */
export function ApplicationPolicyPanel({
  application,
  policy,
  canWrite,
}: {
  application: { id: string; exposure: "internet" | "internal" };
  policy: PolicyView | null;
  canWrite: boolean;
}) {
  return (
    <section className="panel" aria-labelledby="policy-heading">
      <h2 id="policy-heading">Security policy</h2>
      {policy ? (
        <p>
          {policy.publishedVersion
            ? `Version ${policy.publishedVersion.number} of its fine-grained policy is in force`
            : "Its fine-grained policy has no published version yet"}
          {policy.draft ? `; version ${policy.draft.number} is an open draft` : null}.
        </p>
      ) : (
        <p>
          It has no fine-grained policy: the baseline alone protects it.
          {application.exposure === "internet" ? " As it faces the internet, it cannot go live like this unless a security officer accepts the risk." : ""}
        </p>
      )}
      <div className="button-row">
        <Link href={`/policies/applications/${application.id}`} className="button button-secondary">
          Effective policy
        </Link>
        {policy ? (
          <Link href={`/policies/${policy.id}`} className="button button-secondary">
            Fine-grained policy
          </Link>
        ) : canWrite ? (
          <Link href={`/policies/new?applicationId=${application.id}`} className="button">
            Write a fine-grained policy
          </Link>
        ) : null}
      </div>
    </section>
  );
}
