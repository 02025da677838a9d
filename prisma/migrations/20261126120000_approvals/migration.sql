-- Approval queue (lib/approvals) and in-app notifications (lib/notifications).

-- AlterTable
ALTER TABLE "policy_versions" ADD COLUMN "submission_summary" TEXT,
ADD COLUMN "risk_flags" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN "risk_count" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "link" TEXT,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
-- The queue lists pending versions (state = 'submitted') by age: this index serves the
-- filter, the order and the page at once, however many other versions exist.
CREATE INDEX "policy_versions_state_submitted_at_id_idx" ON "policy_versions"("state", "submitted_at", "id");

-- CreateIndex
-- The queue filtered by author.
CREATE INDEX "policy_versions_state_author_id_submitted_at_idx" ON "policy_versions"("state", "author_id", "submitted_at");

-- CreateIndex
-- The queue sorted by risk (most flags first).
CREATE INDEX "policy_versions_state_risk_count_submitted_at_idx" ON "policy_versions"("state", "risk_count", "submitted_at");

-- CreateIndex
-- Unread count and the newest notices of one user.
CREATE INDEX "notifications_user_id_read_at_created_at_idx" ON "notifications"("user_id", "read_at", "created_at");

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in the Prisma schema ------------------------------------------

-- Risk flags are a list of objects.
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_risk_flags_check" CHECK (
    jsonb_typeof("risk_flags") = 'array' AND "risk_count" = jsonb_array_length("risk_flags")
);

-- Versions stay immutable once they leave draft, with one exception: a reviewer may
-- send a submitted version back to its author ("request changes"), which is only
-- allowed with the reviewer's comment (review_note) and without touching the content.
CREATE OR REPLACE FUNCTION "policy_versions_immutable"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW."state" <> 'draft' THEN
            RAISE EXCEPTION 'a policy version starts as a draft, not %', NEW."state"
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD."state" <> 'draft' THEN
            RAISE EXCEPTION 'policy version % is % and cannot be deleted', OLD."id", OLD."state"
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW."policy_id" <> OLD."policy_id" OR NEW."number" <> OLD."number" OR NEW."author_id" <> OLD."author_id"
        OR NEW."parent_id" IS DISTINCT FROM OLD."parent_id" OR NEW."created_at" <> OLD."created_at" THEN
        RAISE EXCEPTION 'the policy, number, author, parent and creation time of a policy version never change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW."content" IS DISTINCT FROM OLD."content" OR NEW."content_hash" IS DISTINCT FROM OLD."content_hash")
        AND (OLD."state" <> 'draft' OR NEW."state" <> 'draft') THEN
        RAISE EXCEPTION 'policy version % is % and its content is frozen', OLD."id", OLD."state"
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only a draft can be edited; create a new draft instead.';
    END IF;
    IF OLD."state" <> 'draft' AND NEW."state" = 'draft'
        AND NOT (OLD."state" = 'submitted' AND length(btrim(COALESCE(NEW."review_note", ''))) > 0) THEN
        RAISE EXCEPTION 'policy version % cannot return from % to draft', OLD."id", OLD."state"
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only a submitted version returns to draft, when a reviewer requests changes with a comment.';
    END IF;
    RETURN NEW;
END;
$$;

-- Change requests (architecture C) -----------------------------------------------

-- CreateEnum
CREATE TYPE "ChangeRequestStatus" AS ENUM ('open', 'accepted', 'declined');

-- CreateTable
CREATE TABLE "policy_change_requests" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "rationale" TEXT NOT NULL,
    "proposed_content" TEXT,
    "status" "ChangeRequestStatus" NOT NULL DEFAULT 'open',
    "author_id" UUID NOT NULL,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_note" TEXT,
    "version_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "policy_change_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_change_requests_status_created_at_idx" ON "policy_change_requests"("status", "created_at");

-- CreateIndex
CREATE INDEX "policy_change_requests_application_id_status_idx" ON "policy_change_requests"("application_id", "status");

-- AddForeignKey
ALTER TABLE "policy_change_requests" ADD CONSTRAINT "policy_change_requests_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_change_requests" ADD CONSTRAINT "policy_change_requests_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_change_requests" ADD CONSTRAINT "policy_change_requests_decided_by_id_fkey" FOREIGN KEY ("decided_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A decided request has its decider, time and note; an open one none of them.
ALTER TABLE "policy_change_requests" ADD CONSTRAINT "policy_change_requests_decision_check" CHECK (
    ("status" = 'open' AND "decided_by_id" IS NULL AND "decided_at" IS NULL AND "version_id" IS NULL)
    OR ("status" <> 'open' AND "decided_by_id" IS NOT NULL AND "decided_at" IS NOT NULL AND length(btrim(COALESCE("decision_note", ''))) > 0)
);
