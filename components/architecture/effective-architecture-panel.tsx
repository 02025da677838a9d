import Link from "next/link";
import { DateTime } from "@/components/date-time";
import { architectureTitle } from "@/lib/architecture/architecture-names";
import { DELIVERY_TARGET_LABELS } from "@/lib/architecture/architecture-profiles";
import type { EffectiveArchitectureView } from "@/lib/architecture/architecture-schemas";

/** On an application's page: the architecture in force and what it means for this application. */
export function EffectiveArchitecturePanel({
  applicationId,
  effective: e,
  canPropose,
}: {
  applicationId: string;
  effective: EffectiveArchitectureView;
  canPropose: boolean;
}) {
  return (
    <section className="panel" aria-labelledby="architecture-heading" data-testid="effective-architecture" data-architecture={e.architecture ?? "none"}>
      <h2 id="architecture-heading">Architecture</h2>
      {e.architecture && e.decision ? (
        <p>
          <strong>{architectureTitle(e.architecture)}</strong>, decided in <Link href={`/architecture/decisions/${e.decision.id}`}>{e.decision.reference}</Link>
          {e.decision.acceptedAt ? (
            <>
              {" "}
              (accepted <DateTime value={e.decision.acceptedAt} />)
            </>
          ) : null}{" "}
          {e.source === "application" ? "for this application." : "for the whole team."}
        </p>
      ) : (
        <p>No architecture has been decided for this application yet.</p>
      )}
      <dl className="details">
        <div>
          <dt>Baseline enforced</dt>
          <dd>
            {e.baselineEnforcement
              ? `At the ${e.baselineEnforcement.where === "gateway" ? "gateway" : "microgateways, kept in force by admission policies"}`
              : "Not decided"}
          </dd>
        </div>
        <div>
          <dt>Delivery targets</dt>
          <dd>{e.deliveryTargets.length > 0 ? e.deliveryTargets.map((t) => DELIVERY_TARGET_LABELS[t]).join(", ") : "None until a decision is accepted"}</dd>
        </div>
      </dl>
      <p>{e.editing.summary}</p>
      {e.pending.length > 0 ? (
        <p className="muted">
          Awaiting acceptance:{" "}
          {e.pending.map((p, i) => (
            <span key={p.id}>
              {i > 0 ? ", " : null}
              <Link href={`/architecture/decisions/${p.id}`}>{p.reference}</Link> (architecture {p.architecture})
            </span>
          ))}
        </p>
      ) : null}
      {canPropose ? (
        <p>
          {/* A team-wide decision is revisited for the whole team on its own page; here a
              record of this application's own can be revisited, or a first one made. */}
          {/* The application rides along to the result, where saving pre-selects it. */}
          <Link
            href={
              e.decision && e.source === "application"
                ? `/architecture/questionnaire?revisit=${e.decision.id}`
                : `/architecture/questionnaire?application=${encodeURIComponent(applicationId)}`
            }
          >
            {e.decision && e.source === "application" ? "Revisit the decision" : "Find the right architecture for this application"}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
