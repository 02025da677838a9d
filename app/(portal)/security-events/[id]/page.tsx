import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { FalsePositiveWizard } from "@/components/security-events/false-positive-wizard";
import { can } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { AppError } from "@/lib/errors/app-error";
import { getSecurityEvent } from "@/lib/security-events/get-security-event";

export const metadata: Metadata = { title: "Security event" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function SecurityEventPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("security-events:read");
  const { id } = await params;
  if (!UUID.test(id)) notFound();
  const event = await getSecurityEvent({ actor, id }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const today = new Date().toISOString().slice(0, 10);

  return (
    <>
      <PageHeader
        title={`${event.action === "blocked" ? "Blocked" : "Logged"}: ${event.ruleId}`}
        description={event.ruleDescription ?? undefined}
        back={{ href: "/security-events", label: "Security events" }}
      />
      <section className="panel" aria-labelledby="request-heading">
        <h2 id="request-heading">Request</h2>
        <dl className="details">
          <dt>Request line</dt>
          <dd className="mono">
            {event.method} {event.host}
            {event.path}
          </dd>
          <dt>Time (UTC)</dt>
          <dd>{new Date(event.occurredAt).toISOString().replace("T", " ").slice(0, 23)}</dd>
          <dt>Application</dt>
          <dd>
            {event.application ? <Link href={`/applications/${event.application.id}`}>{event.application.name}</Link> : "none (no application's route matched)"}
          </dd>
          <dt>Part</dt>
          <dd>{event.parameter ? `${event.part} ${event.parameter}` : event.part}</dd>
          <dt>Matched value (excerpt)</dt>
          <dd className="mono">{event.excerpt || "—"}</dd>
          <dt>Rule</dt>
          <dd className="mono">
            {event.family} · {event.ruleId}
          </dd>
          <dt>Status</dt>
          <dd>{event.status}</dd>
          <dt>Client</dt>
          <dd className="mono">{event.clientIp}</dd>
          <dt>Policy in force</dt>
          <dd className="mono">
            {event.policyVersionId ?? "—"} {event.policyHash ? `(${event.policyHash.slice(0, 19)}…)` : ""}
          </dd>
          <dt>Request id</dt>
          <dd className="mono">{event.requestId}</dd>
          <dt>Proxy</dt>
          <dd className="mono">{event.instanceId}</dd>
        </dl>
      </section>
      {event.falsePositive.available ? (
        can(actor, "policies:edit") ? (
          <FalsePositiveWizard eventId={event.id} proposal={event.falsePositive.proposal} today={today} />
        ) : (
          <p className="muted">Only those who edit the application&apos;s policy can turn this event into an exception.</p>
        )
      ) : (
        <p className="muted">{event.falsePositive.reason}</p>
      )}
    </>
  );
}
