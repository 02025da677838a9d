-- A daily tier of the per-rule rollups (lib/security-events, issue 15).
--
-- A summary over 14 days by day summed about 1.6 million hourly 'rule' rows at 5 million
-- stored events. Ingestion now also adds every counted decision to a daily row per
-- application, family, action and rule (dimension 'rule-day', the day's start in "hour"),
-- in the same statement; this fills the tier from the hourly rows already stored.
INSERT INTO "security_event_rollups" ("hour", "dimension", "application_id", "family", "action", "value", "count")
SELECT date_trunc('day', "hour", 'UTC'), 'rule-day', "application_id", "family", "action", "value", sum("count")
FROM "security_event_rollups" WHERE "dimension" = 'rule'
GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT ("dimension", "hour", "application_id", "family", "action", "value") DO UPDATE SET "count" = EXCLUDED."count";
