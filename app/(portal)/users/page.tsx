import type { Metadata } from "next";
import Link from "next/link";
import { ACTIONS_HEADER, DataTable, EmptyState } from "@/components/data-table";
import { DateTime } from "@/components/date-time";
import { MembershipSource } from "@/components/membership-source";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { roleLabel } from "@/components/role-label";
import { SearchForm } from "@/components/search-form";
import { UserAccessButton } from "@/components/users/user-access-button";
import { can } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/next/current-actor";
import { parseSearchParams, type RawSearchParams } from "@/lib/query/search-params";
import { findUsers } from "@/lib/users/find-users";
import { listUsersQuery } from "@/lib/users/user-schemas";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const actor = await requirePagePermission("users:read");
  const { query } = parseSearchParams(listUsersQuery, await searchParams, ["page", "pageSize", "q"]);
  const users = await findUsers({ query });
  const canManage = can(actor, "users:manage");

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone with an account. Roles are given per team, on each team's page."
        actions={
          canManage ? (
            <Link href="/users/new" className="button">
              New user
            </Link>
          ) : null
        }
      />
      <SearchForm action="/users" label="Search users" q={query.q} placeholder="Name or email" />
      <DataTable
        label="Users"
        rows={users.items}
        empty={<EmptyState title="No users found">Try another search.</EmptyState>}
        columns={[
          {
            header: "User",
            cell: (user) => (
              <>
                <strong>{user.name}</strong>
                <div className="muted">{user.email}</div>
              </>
            ),
          },
          {
            header: "Roles",
            cell: (user) =>
              user.memberships.length === 0 ? (
                <span className="muted">None</span>
              ) : (
                <ul className="compact-list">
                  {user.memberships.map((m) => (
                    <li key={m.id}>
                      {roleLabel(m.role)} · <Link href={`/teams/${m.teamId}`}>{m.teamName}</Link>{" "}
                      {m.source === "idp" ? <MembershipSource source={m.source} provider={m.provider} idpGroup={m.idpGroup} /> : null}
                    </li>
                  ))}
                </ul>
              ),
          },
          {
            header: "Status",
            cell: (user) => (user.disabled ? <span className="badge badge-danger">Disabled</span> : <span className="badge badge-success">Active</span>),
          },
          { header: "Created", cell: (user) => <DateTime value={user.createdAt} /> },
          canManage && {
            header: ACTIONS_HEADER,
            cellClassName: "actions",
            cell: (user) =>
              user.id === actor.user.id ? (
                <span className="muted">You</span>
              ) : (
                <UserAccessButton user={{ id: user.id, name: user.name, disabled: user.disabled, version: user.version }} />
              ),
          },
        ]}
      />
      <Pagination page={users.page} pageSize={users.pageSize} total={users.total} basePath="/users" params={{ q: query.q }} label="User pages" />
    </>
  );
}
