import Link from "next/link";
import { ExposureBadge } from "@/components/applications/exposure-badge";
import { DateTime } from "@/components/date-time";
import type { PolicyView } from "@/lib/policies/policy-schemas";
import { PolicyStateBadge } from "./policy-state-badge";

/** Baselines or application policies, as a table: what is in force, and what is in the works. */
export function PolicyList({ policies, kind, caption }: { policies: PolicyView[]; kind: "baseline" | "application"; caption: string }) {
  if (policies.length === 0) {
    return (
      <p className="muted">
        {kind === "baseline" ? "No baseline yet: until one is published, no application has an effective policy." : "No application policies yet."}
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{kind === "baseline" ? "Baseline" : "Application"}</th>
            <th scope="col">{kind === "baseline" ? "Applies to" : "Exposure"}</th>
            <th scope="col">In force</th>
            <th scope="col">Latest</th>
            <th scope="col">Changed</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((policy) => (
            <tr key={policy.id}>
              <th scope="row">
                <Link href={`/policies/${policy.id}`} className="strong-link">
                  {policy.application?.name ?? policy.name}
                </Link>
                {policy.application ? <div className="muted mono">{policy.application.slug}</div> : null}
              </th>
              <td>
                {policy.application ? <ExposureBadge exposure={policy.application.exposure} /> : policy.environment ? `${policy.environment} only` : "Every environment"}
              </td>
              <td>{policy.publishedVersion ? `Version ${policy.publishedVersion.number}` : <span className="muted">Nothing published</span>}</td>
              <td>
                {policy.latestVersion ? (
                  <>
                    <span className="nowrap">Version {policy.latestVersion.number}</span> <PolicyStateBadge state={policy.latestVersion.state} />
                  </>
                ) : null}
              </td>
              <td>
                <DateTime value={policy.updatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
