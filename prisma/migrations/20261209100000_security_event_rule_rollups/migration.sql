-- The summary's exact tiers get tables of their own (lib/security-events, issue 15).
--
-- At 5 million stored events the hourly 'rule' rows a 24-hour summary sums (about 120,000)
-- lay among about 11 million 'path' and 'client' rows of the same table: 650–810 ms per
-- summary, mostly reading heap pages shared with rows it did not want. Now:
--  - security_event_rule_rollups: every counted decision per application, family, rule and
--    action, by hour and by day (grain) — top rules, a rule-filtered series, the log-only
--    quiet check;
--  - security_event_family_rollups: the same without the rule, by hour and by day — the
--    series (at most applications × families × actions rows per bucket, whatever the rules);
--  - security_event_rollups keeps the hourly 'path' and 'client' counts of stored events,
--    which only the log-only evidence reads (what a logged family would have blocked), so
--    ingestion now writes them for logged events only. Rows of blocked events already
--    stored are left to age out with retention (nothing reads them; deleting millions of
--    rows here would only lengthen the migration).
-- Both new tables are filled from the rows already stored, and the 'rule' and 'rule-day'
-- rows are removed from security_event_rollups.
CREATE TABLE "security_event_rule_rollups" (
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "application_id" TEXT NOT NULL DEFAULT '',
    "family" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "security_event_rule_rollups_pkey" PRIMARY KEY ("grain", "bucket", "application_id", "family", "rule_id", "action")
);

CREATE TABLE "security_event_family_rollups" (
    "grain" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "application_id" TEXT NOT NULL DEFAULT '',
    "family" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "security_event_family_rollups_pkey" PRIMARY KEY ("grain", "bucket", "application_id", "family", "action")
);

INSERT INTO "security_event_rule_rollups" ("grain", "bucket", "application_id", "family", "rule_id", "action", "count")
SELECT CASE "dimension" WHEN 'rule' THEN 'hour' ELSE 'day' END, "hour", "application_id", "family", "value", "action", "count"
FROM "security_event_rollups" WHERE "dimension" IN ('rule', 'rule-day')
ORDER BY 1, 2, 3, 4, 5, 6;

INSERT INTO "security_event_family_rollups" ("grain", "bucket", "application_id", "family", "action", "count")
SELECT "grain", "bucket", "application_id", "family", "action", sum("count")
FROM "security_event_rule_rollups"
GROUP BY 1, 2, 3, 4, 5
ORDER BY 1, 2, 3, 4, 5;

DELETE FROM "security_event_rollups" WHERE "dimension" IN ('rule', 'rule-day');
