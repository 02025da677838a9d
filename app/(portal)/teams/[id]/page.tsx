import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ACTIONS_HEADER, DataTable } from "@/components/data-table";
import { PageHeader } from "@/components/page-header";
import { roleLabel } from "@/components/role-label";
import { DateTime } from "@/components/date-time";
import { MembershipSource } from "@/components/membership-source";
import { AddMembershipForm } from "@/components/teams/add-membership-form";
import { RemoveMembershipButton } from "@/components/teams/remove-membership-button";
import { TeamWebhookForm } from "@/components/teams/team-webhook-form";
import { TeamWebhookSecret } from "@/components/teams/team-webhook-secret";
import { can } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { orNotFound } from "@/lib/next/or-not-found";
import { getTeam } from "@/lib/teams/get-team";
import { findUsers } from "@/lib/users/find-users";
import { findWebhookDeliveries, type WebhookDeliveryView } from "@/lib/webhooks/find-webhook-deliveries";

export const metadata: Metadata = { title: "Team" };

// The member picker lists at most this many users (the API's page size limit).
const USER_PICKER_LIMIT = 100;

export default async function TeamPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePagePermission("teams:read");
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const team = await orNotFound(getTeam({ actor, id }));
  const canManageMembers = can(actor, "memberships:manage");
  const users = canManageMembers ? await findUsers({ query: { page: 1, pageSize: USER_PICKER_LIMIT } }) : null;
  const canManageTeam = can(actor, "teams:manage");
  const deliveries = canManageTeam ? await findWebhookDeliveries({ teamId: team.id }) : null;

  return (
    <>
      <PageHeader title={team.name} description={team.description || undefined} back={{ href: "/teams", label: "Teams" }} />
      <section className="panel" aria-labelledby="team-facts">
        <h2 id="team-facts" className="visually-hidden">
          Team facts
        </h2>
        <dl className="details details-inline">
          <div>
            <dt>Slug</dt>
            <dd className="mono">{team.slug}</dd>
          </div>
          <div>
            <dt>Members</dt>
            <dd>{team.memberCount}</dd>
          </div>
          <div>
            <dt>Applications</dt>
            <dd>{team.applicationCount}</dd>
          </div>
          <div>
            <dt>Webhook</dt>
            <dd>{team.webhookConfigured ? "Configured" : "None"}</dd>
          </div>
        </dl>
      </section>
      <section className="panel" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <DataTable
          labelledBy="members-heading"
          rows={team.members}
          empty={<p className="muted">This team has no members yet.</p>}
          columns={[
            { header: "Name", cell: (m) => m.name },
            { header: "Email", cell: (m) => m.email },
            { header: "Role", cell: (m) => roleLabel(m.role) },
            { header: "Source", cell: (m) => <MembershipSource source={m.source} provider={m.provider} idpGroup={m.idpGroup} /> },
            canManageMembers && {
              header: ACTIONS_HEADER,
              cellClassName: "actions",
              cell: (m) => <RemoveMembershipButton teamId={team.id} membershipId={m.id} description={`${m.name} as ${roleLabel(m.role)}`} />,
            },
          ]}
        />
      </section>
      {users ? (
        <section className="panel" aria-labelledby="add-member-heading">
          <h2 id="add-member-heading">Add a member</h2>
          <p className="muted">
            A person can hold several roles in a team; each role is a separate membership. A membership from the identity provider (IdP) comes back at the
            person&apos;s next sign-in while their group is mapped: change the mapping on the Single sign-on page to take it away for good.
          </p>
          <AddMembershipForm teamId={team.id} users={users.items.filter((u) => !u.disabled).map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }))} />
          {users.total > USER_PICKER_LIMIT ? <p className="muted">Only the first {USER_PICKER_LIMIT} users (by email) are listed.</p> : null}
        </section>
      ) : null}
      {deliveries ? (
        <section className="panel" aria-labelledby="webhook-heading">
          <h2 id="webhook-heading">Webhook</h2>
          <p className="muted">
            Exception expiry notices for this team&apos;s applications are also POSTed as JSON to this URL (header <code>X-Rampart-Event</code>), retried with
            backoff when the receiver fails.
          </p>
          <TeamWebhookForm team={{ id: team.id, version: team.version, webhookUrl: team.webhookUrl ?? null }} />
          <TeamWebhookSecret team={{ id: team.id, version: team.version, webhookSigned: team.webhookSigned }} />
          <h3 id="deliveries-heading">Recent deliveries</h3>
          <DataTable
            labelledBy="deliveries-heading"
            rows={deliveries}
            empty={<p className="muted">Nothing has been sent yet.</p>}
            columns={[
              { header: "Event", cell: (d) => <span className="mono">{d.event}</span> },
              { header: "Queued", cell: (d) => <DateTime value={d.createdAt} /> },
              { header: "State", cell: (d) => <DeliveryState delivery={d} /> },
              { header: "Attempts", cell: (d) => d.attempts },
              { header: "Last error", cell: (d) => d.lastError ?? "—" },
            ]}
          />
        </section>
      ) : null}
    </>
  );
}

function DeliveryState({ delivery }: { delivery: WebhookDeliveryView }) {
  if (delivery.state === "delivered") return <span className="badge badge-success">Delivered</span>;
  if (delivery.state === "failed") return <span className="badge badge-danger">Given up</span>;
  return (
    <span>
      <span className="badge badge-neutral">Pending</span> next try <DateTime value={delivery.nextAttemptAt} />
    </span>
  );
}
