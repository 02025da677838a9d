import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { DbTransaction } from "@/lib/db/client";
import { createNotifications, usersWithRole } from "@/lib/notifications/create-notifications";

type TransitionNotice = {
  transition: string;
  policy: { id: string; name: string; kind: string; application?: { id: string } | null };
  version: { id: string; number: number; author: { id: string }; submittedBy: { id: string } | null };
  actor: Actor;
  note?: string;
};

/**
 * Who learns of a step in review: security officers of a new submission, the submitter
 * (and author) of a decision on their change. Nobody is told of their own action.
 */
export async function notifyVersionTransition(tx: DbTransaction, { transition, policy, version, actor, note }: TransitionNotice) {
  const what = `${policy.kind === "baseline" ? "baseline" : "policy"} ${policy.name} version ${version.number}`;
  // Reviewers go to the queue (filtered to the application, if any); authors to the version itself, which shows the decision and its comment.
  const link =
    transition === "submit"
      ? `/approvals${policy.application ? `?applicationId=${policy.application.id}` : "?kind=baseline"}`
      : `/policies/${policy.id}/versions/${version.id}`;
  let recipients: string[];
  let title: string;
  if (transition === "submit") {
    recipients = await usersWithRole(tx, "security-officer");
    title = `${actor.user.name} submitted ${what} for review`;
  } else {
    recipients = [version.author.id, version.submittedBy?.id].filter((id): id is string => Boolean(id));
    const verb = { approve: "approved", reject: "rejected", "request-changes": "sent back for changes", publish: "published" }[transition] ?? transition;
    title = `${actor.user.name} ${verb} ${what}`;
  }
  const unique = [...new Set(recipients)].filter((id) => id !== actor.user.id);
  await createNotifications(
    tx,
    unique.map((userId) => ({ userId, kind: `policy.version.${transition}`, title, body: note ?? "", link })),
  );
}
