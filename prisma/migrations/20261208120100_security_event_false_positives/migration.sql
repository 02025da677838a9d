-- "This is a false positive" marks (lib/security-events/draft-exception-from-event.ts): which
-- application, family and rule a person called a false positive, and when. The log-only
-- suggestion (a family that only logged, with no false positive marked for a quiet period,
-- may switch to block) reads them.
CREATE TABLE "security_event_false_positives" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "family" TEXT NOT NULL,
    "rule_id" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "marked_by_id" UUID NOT NULL,
    "marked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "security_event_false_positives_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "security_event_false_positives_application_id_family_marked_idx" ON "security_event_false_positives"("application_id", "family", "marked_at");
