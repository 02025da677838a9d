-- A rolling upgrade across portal replicas (lib/security-events, issue 15).
--
-- 20261209100000 moved the summary's rule counts to security_event_rule_rollups and
-- security_event_family_rollups. A replica still running the code before it keeps adding
-- them to security_event_rollups as 'rule' and 'rule-day' rows until it is replaced, and
-- nothing reads those rows any more: the series and top rules would miss its batches.
-- This trigger carries each such row into the new tables instead (and stores nothing in
-- the old one), so an old and a new replica can ingest side by side. The current code
-- never writes those dimensions, so for it the trigger only passes the logged path and
-- client rows through.
CREATE FUNCTION "security_event_rollups_bridge"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  bucket_grain TEXT;
BEGIN
  IF NEW."dimension" NOT IN ('rule', 'rule-day') THEN
    RETURN NEW;
  END IF;
  bucket_grain := CASE NEW."dimension" WHEN 'rule' THEN 'hour' ELSE 'day' END;
  INSERT INTO "security_event_rule_rollups" ("grain", "bucket", "application_id", "family", "rule_id", "action", "count")
  VALUES (bucket_grain, NEW."hour", NEW."application_id", NEW."family", NEW."value", NEW."action", NEW."count")
  ON CONFLICT ("grain", "bucket", "application_id", "family", "rule_id", "action")
  DO UPDATE SET "count" = "security_event_rule_rollups"."count" + EXCLUDED."count";
  INSERT INTO "security_event_family_rollups" ("grain", "bucket", "application_id", "family", "action", "count")
  VALUES (bucket_grain, NEW."hour", NEW."application_id", NEW."family", NEW."action", NEW."count")
  ON CONFLICT ("grain", "bucket", "application_id", "family", "action")
  DO UPDATE SET "count" = "security_event_family_rollups"."count" + EXCLUDED."count";
  -- Skipped here, so the old statement's ON CONFLICT never sees it either.
  RETURN NULL;
END;
$$;

CREATE TRIGGER "security_event_rollups_bridge"
BEFORE INSERT ON "security_event_rollups"
FOR EACH ROW EXECUTE FUNCTION "security_event_rollups_bridge"();
