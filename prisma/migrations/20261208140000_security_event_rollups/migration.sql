-- Exact hourly rollups of security events (lib/security-events, issue 15).
--
-- The summary's top paths and top clients were counted over the latest 50,000 stored
-- events of the window: cheap, but wrong for a long window. Ingestion now adds every
-- stored event to an hourly count per application, family, action and path, and per
-- application, family, action and client IP (dimension 'path' / 'client'), and every
-- counted decision (the proxies' exact per-minute counters) per rule (dimension 'rule'),
-- in the same statement that stores the batch. A summary over 14 days sums at most
-- 14 × 24 hours of these rows instead of millions of events; the log-only evidence
-- (what a family would have blocked) reads them too. Retention deletes their old hours
-- with the partitions.
CREATE TABLE "security_event_rollups" (
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "dimension" TEXT NOT NULL,
    "application_id" TEXT NOT NULL DEFAULT '',
    "family" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "security_event_rollups_pkey" PRIMARY KEY ("dimension", "hour", "application_id", "family", "action", "value")
);
