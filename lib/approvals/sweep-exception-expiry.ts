// No "server-only" marker: the portal's maintenance tick (lib/cli/serve.ts) runs this
// outside the Next.js bundle, like the seed.
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { RequestContext } from "@/lib/auth/actor";
import { db as defaultDb, type Db, type DbTransaction } from "@/lib/db/client";
import { createNotifications } from "@/lib/notifications/create-notifications";
import { describeExceptionTarget } from "@/lib/policy-spec/describe-exception";
import type { PolicyException } from "@/lib/policy-spec";
import { enqueueTeamWebhook } from "@/lib/webhooks/enqueue-team-webhook";
import { expiryStageOf, type ExpiryStage } from "./exception-expiry-stage";

// Several portal replicas share one database, and each runs this every few minutes: one
// of them sweeps at a time (a transaction-scoped advisory lock, released on commit or
// crash), and the notice table's unique key records what was sent, committed with the
// notifications themselves, so a notice is sent once and a failed sweep sends nothing
// (the next one retries).
const SWEEP_LOCK = "rampart:exception-expiry-sweep";
const SYSTEM: RequestContext = { actor: null, ip: null, anonymousLabel: "system: exception expiry sweep" };

export type ExpiryNoticeSent = { policyId: string; application: string; exceptionId: string; expires: string; stage: ExpiryStage; recipients: number };
export type ExpirySweepResult = { swept: boolean; sent: ExpiryNoticeSent[] };

/**
 * Tells each application's team, by in-app notification, of every deny-rule exception in
 * its published policy that expires within a warning threshold (14, then 3 days) or has
 * expired and dropped out of the compiled bundle. Returns swept: false when another
 * replica holds the sweep.
 */
export async function sweepExceptionExpiry({ db = defaultDb, now = new Date() }: { db?: Db; now?: Date } = {}): Promise<ExpirySweepResult> {
  return db.$transaction(
    async (tx) => {
      const [{ locked }] = await tx.$queryRaw<[{ locked: boolean }]>`SELECT pg_try_advisory_xact_lock(hashtextextended(${SWEEP_LOCK}, 0)) AS locked`;
      if (!locked) return { swept: false, sent: [] };
      const sent: ExpiryNoticeSent[] = [];
      for (const due of await dueNotices(tx, now)) {
        const notice = await sendOnce(tx, due, now);
        if (notice) sent.push(notice);
      }
      return { swept: true, sent };
    },
    // Many notices may be due after a long outage; the default 5 s would cut the sweep short.
    { maxWait: 10_000, timeout: 120_000 },
  );
}

type DueNotice = {
  policyId: string;
  application: { slug: string; name: string; teamId: string };
  exception: Pick<PolicyException, "id" | "expires"> & Partial<PolicyException>;
  stage: ExpiryStage;
  daysLeft: number;
};

/** Every exception of a published application policy that has reached a stage. */
async function dueNotices(tx: DbTransaction, now: Date): Promise<DueNotice[]> {
  const policies = await tx.policy.findMany({
    where: { kind: "application", publishedVersionId: { not: null }, application: { archivedAt: null } },
    select: { id: true, application: { select: { slug: true, name: true, teamId: true } }, publishedVersion: { select: { content: true } } },
    orderBy: { id: "asc" },
  });
  const due: DueNotice[] = [];
  for (const policy of policies) {
    if (!policy.application || !policy.publishedVersion) continue;
    for (const exception of exceptionsIn(policy.publishedVersion.content)) {
      const stage = expiryStageOf(exception.expires, now);
      if (stage) due.push({ policyId: policy.id, application: policy.application, exception, ...stage });
    }
  }
  return due;
}

/** Records the notice; only if this call inserted it does the team get notified (and the sending audited). */
async function sendOnce(tx: DbTransaction, due: DueNotice, now: Date): Promise<ExpiryNoticeSent | null> {
  const members = await tx.membership.findMany({
    where: { teamId: due.application.teamId, user: { disabledAt: null } },
    select: { userId: true },
    distinct: ["userId"],
  });
  const inserted = await tx.exceptionExpiryNotice.createManyAndReturn({
    data: [
      {
        policyId: due.policyId,
        exceptionId: due.exception.id,
        expires: new Date(`${due.exception.expires}T00:00:00Z`),
        stage: due.stage,
        recipients: members.length,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (inserted.length === 0) return null;

  const { title, body, kind } = wordingOf(due);
  const link = `/policies/${due.policyId}`;
  await createNotifications(
    tx,
    members.map(({ userId }) => ({ userId, kind, title, body, link })),
  );
  const notice = {
    policyId: due.policyId,
    application: due.application.slug,
    exceptionId: due.exception.id,
    expires: due.exception.expires,
    stage: due.stage,
    recipients: members.length,
  };
  // The team's webhook, if it has one, hears the same notice, from the outbox committed here.
  await enqueueTeamWebhook(tx, { teamId: due.application.teamId, now, notice: { event: kind, title, body, link, data: notice } });
  await recordAuditEvent(tx, SYSTEM, {
    action: "policy.exception.expiry-notice",
    target: { type: "policy", id: due.policyId },
    teamId: due.application.teamId,
    summary: { ...notice, at: now.toISOString() },
  });
  return notice;
}

function wordingOf({ application, exception, stage, daysLeft }: DueNotice) {
  const what = `Exception "${exception.id}" of ${application.name}`;
  let target = "";
  try {
    target = `It is ${describeExceptionTarget(exception as PolicyException)}. `;
  } catch {
    // A document stored under an older schema may lack a field the wording needs; the notice goes out without it.
  }
  const justification = exception.justification ? `Justification: ${exception.justification} ` : "";
  if (stage === "expired") {
    return {
      kind: "policy.exception.expired",
      title: `${what} expired on ${exception.expires}`,
      body: `${target}It no longer applies: compiled bundles leave it out, so the deny rule blocks again. ${justification}If it is still needed, add it back with a new expiry in a new policy version.`,
    };
  }
  const left = daysLeft === 0 ? "today" : daysLeft === 1 ? "in 1 day" : `in ${daysLeft} days`;
  return {
    kind: "policy.exception.expiring",
    title: `${what} expires ${left} (${exception.expires})`,
    body: `${target}After that day compiled bundles leave it out and the deny rule blocks again. ${justification}To keep it, renew it with a new expiry in a new policy version; the security team reviews it.`,
  };
}

/** The exceptions of a stored document that carry an id and an expiry (all valid ones do). */
function exceptionsIn(content: unknown): DueNotice["exception"][] {
  const list = (content as { exceptions?: unknown } | null)?.exceptions;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (e): e is DueNotice["exception"] =>
      typeof e === "object" && e !== null && typeof e.id === "string" && typeof e.expires === "string" && /^\d{4}-\d{2}-\d{2}$/.test(e.expires),
  );
}
