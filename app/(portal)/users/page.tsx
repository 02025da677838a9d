import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "@/components/date-time";
import { PageHeader } from "@/components/page-header";
import { Pagination } from "@/components/pagination";
import { roleLabel } from "@/components/role-label";
import { SearchForm } from "@/components/search-form";
import { UserAccessButton } from "@/components/users/user-access-button";
import { can } from "@/lib/auth/actor";
import { requirePagePermission } from "@/lib/auth/current-actor";
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
      {users.items.length === 0 ? (
        <div className="panel empty-state">
          <h2>No users found</h2>
          <p>Try another search.</p>
        </div>
      ) : (
        <div className="table-wrap" role="region" aria-label="Users" tabIndex={0}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Roles</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                {canManage ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {users.items.map((user) => (
                <tr key={user.id}>
                  <td>
                    <strong>{user.name}</strong>
                    <div className="muted">{user.email}</div>
                  </td>
                  <td>
                    {user.memberships.length === 0 ? (
                      <span className="muted">None</span>
                    ) : (
                      <ul className="compact-list">
                        {user.memberships.map((m) => (
                          <li key={m.id}>
                            {roleLabel(m.role)} · <Link href={`/teams/${m.teamId}`}>{m.teamName}</Link>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{user.disabled ? <span className="badge badge-danger">Disabled</span> : <span className="badge badge-success">Active</span>}</td>
                  <td>
                    <DateTime value={user.createdAt} />
                  </td>
                  {canManage ? (
                    <td className="actions">
                      {user.id === actor.user.id ? (
                        <span className="muted">You</span>
                      ) : (
                        <UserAccessButton user={{ id: user.id, name: user.name, disabled: user.disabled, version: user.version }} />
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={users.page} pageSize={users.pageSize} total={users.total} basePath="/users" params={{ q: query.q }} label="User pages" />
    </>
  );
}
