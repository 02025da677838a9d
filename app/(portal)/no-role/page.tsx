import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { requireSignedIn } from "@/lib/next/current-actor";
import { findAdministrators } from "@/lib/users/find-administrators";

export const metadata: Metadata = { title: "No role yet" };

// Where a signed-in user without any role lands (a first single sign-on whose groups map
// to nothing, say): they are in, can see nothing yet, and learn whom to ask.
export default async function NoRolePage() {
  const actor = await requireSignedIn();
  if (actor.memberships.length > 0) redirect("/");
  const administrators = await findAdministrators();
  return (
    <>
      <PageHeader title="You have no role in Rampart yet" description={`You are signed in as ${actor.user.email}.`} />
      <section className="panel" aria-labelledby="whom-to-ask">
        <h2 id="whom-to-ask">Whom to ask</h2>
        <p>
          Roles come from teams. An administrator can add you to a team, or map one of your groups at your identity provider to a role (you get it the next time
          you sign in).
        </p>
        {administrators.length > 0 ? (
          <ul className="plain-list">
            {administrators.map((a) => (
              <li key={a.email}>
                {a.name} — <a href={`mailto:${a.email}`}>{a.email}</a>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Rampart has no administrator yet: ask whoever runs Rampart in your organisation.</p>
        )}
      </section>
    </>
  );
}
