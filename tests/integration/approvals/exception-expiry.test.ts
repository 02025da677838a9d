// Warnings before a deny-rule exception expires, and once it has, on real PostgreSQL:
// the owning team is notified once per stage (14 days, 3 days, expired), a second sweep
// sends nothing, concurrent sweeps (replicas) send each notice exactly once, a sweep
// held by another replica sends nothing, and the database itself refuses a duplicate.
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { sweepExceptionExpiry, type ExpiryNoticeSent } from "@/lib/approvals/sweep-exception-expiry";
import { db } from "@/lib/db/client";
import { createUser } from "@/prisma/factories";
import { applicationDocument, createPolicyFixture, dayFrom, searchException } from "../policies/policy-fixtures";
import { call, createCast, paymentsApp, type Cast } from "../policies/policy-test-kit";

const DAY = 86_400_000;
const NOW = new Date();
const day = (offset: number, from = NOW) => dayFrom(offset, from);
const exception = searchException;

let cast: Cast;

beforeAll(async () => {
  cast = await createCast();
});

/** A published application policy of the payments team carrying these exceptions. */
async function policyWith(exceptions: ReturnType<typeof exception>[]) {
  const app = await paymentsApp(cast);
  const { policy } = await createPolicyFixture(db, {
    kind: "application",
    application: app,
    authorId: cast.ids.lead,
    officerId: cast.ids.officer,
    versions: [{ state: "published", content: applicationDocument(app.slug, { exceptions }) }],
  });
  return { app, policyId: policy.id };
}

const of = (policyId: string, sent: ExpiryNoticeSent[]) =>
  sent
    .filter((n) => n.policyId === policyId)
    .map((n) => `${n.exceptionId}:${n.stage}`)
    .sort();

async function paymentsMembers() {
  return (await db.membership.findMany({ where: { teamId: cast.payments.id, user: { disabledAt: null } }, distinct: ["userId"] })).length;
}

describe("the exception expiry sweep", () => {
  it("tells the owning team once per stage: 14 days ahead, 3 days ahead, and once expired", async () => {
    const { app, policyId } = await policyWith([exception("far", day(30)), exception("soon", day(10)), exception("close", day(2)), exception("gone", day(-1))]);
    const first = await sweepExceptionExpiry({ now: NOW });
    expect(first.swept).toBe(true);
    expect(of(policyId, first.sent)).toEqual(["close:3d", "gone:expired", "soon:14d"]);
    const members = await paymentsMembers();
    expect(first.sent.filter((n) => n.policyId === policyId).every((n) => n.recipients === members)).toBe(true);

    // The team's lead reads them in the app, each linking to the policy.
    const notices = await call({ method: "GET", path: "/api/v1/notifications?unread=true&pageSize=50", cookie: cast.cookies.lead });
    const mine = notices.body.items.filter((n: { link: string }) => n.link === `/policies/${policyId}`);
    expect(mine.map((n: { kind: string }) => n.kind).sort()).toEqual(["policy.exception.expired", "policy.exception.expiring", "policy.exception.expiring"]);
    expect(mine.find((n: { title: string }) => n.title.startsWith('Exception "soon"')).title).toBe(
      `Exception "soon" of ${app.name} expires in 10 days (${day(10)})`,
    );
    expect(mine.find((n: { title: string }) => n.title.startsWith('Exception "gone"')).body).toMatch(/compiled bundles leave it out/);
    // Another team hears nothing of it.
    const storefront = await call({ method: "GET", path: "/api/v1/notifications", cookie: cast.cookies.storefrontDeveloper });
    expect(storefront.body.items.filter((n: { link: string }) => n.link === `/policies/${policyId}`)).toEqual([]);
    // Each sending is in the audit trail, by the system, scoped to the team.
    const events = await db.auditEvent.findMany({ where: { action: "policy.exception.expiry-notice", targetId: policyId } });
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ actorId: null, actorLabel: "system: exception expiry sweep", teamId: cast.payments.id, outcome: "success" });

    // A second sweep the same day sends nothing new.
    const second = await sweepExceptionExpiry({ now: NOW });
    expect(second.swept).toBe(true);
    expect(of(policyId, second.sent)).toEqual([]);

    // Nine days on, "soon" has a day left (its 3-day warning) and "close" has expired;
    // "far", 21 days out, and "gone", told already, stay quiet.
    const later = await sweepExceptionExpiry({ now: new Date(NOW.getTime() + 9 * DAY) });
    expect(of(policyId, later.sent)).toEqual(["close:expired", "soon:3d"]);
    expect(await db.exceptionExpiryNotice.count({ where: { policyId } })).toBe(5);
  });

  it("sends a missed stage late rather than never (the portal was down at the threshold)", async () => {
    const { policyId } = await policyWith([exception("late", day(5))]);
    const sent = await sweepExceptionExpiry({ now: NOW });
    expect(of(policyId, sent.sent)).toEqual(["late:14d"]);
    const notice = await db.exceptionExpiryNotice.findFirstOrThrow({ where: { policyId } });
    expect(notice.expires.toISOString().slice(0, 10)).toBe(day(5));
  });

  it("does not notify disabled members", async () => {
    const disabled = await createUser(db, { name: "Gone Member", memberships: [{ teamId: cast.payments.id, role: "developer" }] });
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const { policyId } = await policyWith([exception("quiet", day(1))]);
    await sweepExceptionExpiry({ now: NOW });
    expect(await db.notification.count({ where: { userId: disabled.id } })).toBe(0);
    expect(await db.notification.count({ where: { userId: cast.ids.developer, link: `/policies/${policyId}` } })).toBe(1);
  });

  it("sends each notice exactly once when replicas sweep at the same time", async () => {
    const { policyId } = await policyWith([exception("a", day(1)), exception("b", day(12)), exception("c", day(-2))]);
    const results = await Promise.all([0, 1, 2, 3].map(() => sweepExceptionExpiry({ now: NOW })));
    const sent = results.flatMap((r) => of(policyId, r.sent)).sort();
    expect(sent).toEqual(["a:3d", "b:14d", "c:expired"]);
    expect(results.some((r) => r.swept)).toBe(true);
    const members = await paymentsMembers();
    expect(await db.notification.count({ where: { link: `/policies/${policyId}` } })).toBe(3 * members);
    expect(await db.exceptionExpiryNotice.count({ where: { policyId } })).toBe(3);
  });

  it("leaves the sweep to the replica holding it, and sends nothing meanwhile", async () => {
    const { policyId } = await policyWith([exception("held", day(3))]);
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT pg_advisory_xact_lock(hashtextextended('rampart:exception-expiry-sweep', 0))");
      const blocked = await sweepExceptionExpiry({ now: NOW });
      expect(blocked).toEqual({ swept: false, sent: [] });
      await other.query("COMMIT");
    } finally {
      await other.end();
    }
    const after = await sweepExceptionExpiry({ now: NOW });
    expect(of(policyId, after.sent)).toEqual(["held:3d"]);
  });

  it("is backed by a unique key: the database refuses a second notice for the same stage", async () => {
    const { policyId } = await policyWith([exception("twice", day(2))]);
    await sweepExceptionExpiry({ now: NOW });
    await expect(
      db.exceptionExpiryNotice.create({ data: { policyId, exceptionId: "twice", expires: new Date(`${day(2)}T00:00:00Z`), stage: "3d", recipients: 1 } }),
    ).rejects.toThrow(/Unique constraint/);
    await expect(
      db.$executeRaw`INSERT INTO exception_expiry_notices (id, policy_id, exception_id, expires, stage, recipients) VALUES (gen_random_uuid(), ${policyId}::uuid, 'x', '2030-01-01', 'soon', 1)`,
    ).rejects.toThrow(/exception_expiry_notices_stage_check/);
  });
});
