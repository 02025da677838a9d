// A replica still on the code before the rule and family rollup tables (20261209100000)
// adds its rule counts to security_event_rollups as 'rule' / 'rule-day' rows. During a
// rolling upgrade those must reach the tables the summary reads, exactly once, or the
// series and top rules miss the old replica's batches. The statement below is the old
// code's rollup upsert, as it ran inside its ingestion statement.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";

const OLD_ROLLUP_UPSERT = (rows: Array<[string, string, string, string, string, string, number]>) =>
  db.$executeRawUnsafe(
    `INSERT INTO security_event_rollups (hour, dimension, application_id, family, action, value, count)
   SELECT hour::timestamptz, dimension, application_id, family, action, value, count::bigint
   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[])
     AS r(hour, dimension, application_id, family, action, value, count)
   ORDER BY 1, 2, 3, 4, 5, 6
   ON CONFLICT (dimension, hour, application_id, family, action, value) DO UPDATE SET count = security_event_rollups.count + EXCLUDED.count`,
    rows.map((r) => r[0]),
    rows.map((r) => r[1]),
    rows.map((r) => r[2]),
    rows.map((r) => r[3]),
    rows.map((r) => r[4]),
    rows.map((r) => r[5]),
    rows.map((r) => r[6]),
  );

const HOUR = "2026-12-07T10:00:00.000Z";
const DAY = "2026-12-07T00:00:00.000Z";

afterEach(async () => {
  await db.$executeRawUnsafe("DELETE FROM security_event_rollups; DELETE FROM security_event_rule_rollups; DELETE FROM security_event_family_rollups");
});

describe("rollups written by a replica on the previous version", () => {
  it("land in the rule and family tables, summed with what the current code wrote, and not in the old table", async () => {
    // What a current replica wrote for the same hour.
    await db.securityEventRuleRollup.create({
      data: { grain: "hour", bucket: new Date(HOUR), applicationId: "app-1", family: "sqli", ruleId: "sqli.union", action: "blocked", count: 5 },
    });
    await db.securityEventFamilyRollup.create({
      data: { grain: "hour", bucket: new Date(HOUR), applicationId: "app-1", family: "sqli", action: "blocked", count: 5 },
    });

    // The old replica: two batches, the second repeating a key of the first.
    await OLD_ROLLUP_UPSERT([
      [HOUR, "rule", "app-1", "sqli", "blocked", "sqli.union", 3],
      [HOUR, "rule", "app-1", "sqli", "blocked", "sqli.tautology", 2],
      [DAY, "rule-day", "app-1", "sqli", "blocked", "sqli.union", 3],
      [HOUR, "path", "app-1", "sqli", "logged", "/search", 1],
    ]);
    await OLD_ROLLUP_UPSERT([[HOUR, "rule", "app-1", "sqli", "blocked", "sqli.union", 4]]);

    const rules = await db.securityEventRuleRollup.findMany({ orderBy: [{ grain: "asc" }, { ruleId: "asc" }] });
    expect(rules.map((r) => [r.grain, r.bucket.toISOString(), r.ruleId, Number(r.count)])).toEqual([
      ["day", DAY, "sqli.union", 3],
      ["hour", HOUR, "sqli.tautology", 2],
      ["hour", HOUR, "sqli.union", 12],
    ]);
    const families = await db.securityEventFamilyRollup.findMany({ orderBy: { grain: "asc" } });
    expect(families.map((r) => [r.grain, r.family, Number(r.count)])).toEqual([
      ["day", "sqli", 3],
      ["hour", "sqli", 14],
    ]);
    // Only the path row stays in the old table, where the log-only evidence reads it.
    const old = await db.securityEventRollup.findMany();
    expect(old.map((r) => [r.dimension, r.value, Number(r.count)])).toEqual([["path", "/search", 1]]);
  });
});
