-- Policies: baseline and application policies, their versions, and risk acceptances (lib/policies).

-- CreateEnum
CREATE TYPE "PolicyKind" AS ENUM ('baseline', 'application');

-- CreateEnum
CREATE TYPE "PolicyVersionState" AS ENUM ('draft', 'submitted', 'approved', 'rejected', 'published', 'superseded');

-- CreateTable
CREATE TABLE "policies" (
    "id" UUID NOT NULL,
    "kind" "PolicyKind" NOT NULL,
    "scope" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "environment" TEXT,
    "application_id" UUID,
    "published_version_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_versions" (
    "id" UUID NOT NULL,
    "policy_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "state" "PolicyVersionState" NOT NULL DEFAULT 'draft',
    "content" JSONB NOT NULL,
    "content_hash" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "author_id" UUID NOT NULL,
    "parent_id" UUID,
    "submitted_at" TIMESTAMPTZ(3),
    "submitted_by_id" UUID,
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by_id" UUID,
    "review_note" TEXT,
    "published_at" TIMESTAMPTZ(3),
    "published_by_id" UUID,
    "superseded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_acceptances" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_by_id" UUID NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_acceptances_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "policies_scope_key" ON "policies"("scope");

-- CreateIndex
CREATE UNIQUE INDEX "policies_application_id_key" ON "policies"("application_id");

-- CreateIndex
CREATE UNIQUE INDEX "policies_published_version_id_key" ON "policies"("published_version_id");

-- CreateIndex
CREATE INDEX "policy_versions_policy_id_state_idx" ON "policy_versions"("policy_id", "state");

-- CreateIndex
CREATE INDEX "policy_versions_parent_id_idx" ON "policy_versions"("parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_policy_id_number_key" ON "policy_versions"("policy_id", "number");

-- CreateIndex
CREATE INDEX "risk_acceptances_application_id_expires_at_idx" ON "risk_acceptances"("application_id", "expires_at");

-- AddForeignKey
ALTER TABLE "policies" ADD CONSTRAINT "policies_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policies" ADD CONSTRAINT "policies_published_version_id_fkey" FOREIGN KEY ("published_version_id") REFERENCES "policy_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_submitted_by_id_fkey" FOREIGN KEY ("submitted_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_reviewed_by_id_fkey" FOREIGN KEY ("reviewed_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_published_by_id_fkey" FOREIGN KEY ("published_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "policy_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_acceptances" ADD CONSTRAINT "risk_acceptances_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_acceptances" ADD CONSTRAINT "risk_acceptances_accepted_by_id_fkey" FOREIGN KEY ("accepted_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_acceptances" ADD CONSTRAINT "risk_acceptances_revoked_by_id_fkey" FOREIGN KEY ("revoked_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Not expressible in the Prisma schema ------------------------------------------

-- A policy's scope is derived from what it applies to, so that the unique index on
-- scope means: one baseline per environment (plus one for every environment), one
-- policy per application.
ALTER TABLE "policies" ADD CONSTRAINT "policies_scope_check" CHECK (
    ("kind" = 'baseline' AND "application_id" IS NULL
        AND "scope" = 'baseline' || COALESCE(':' || "environment", ''))
    OR ("kind" = 'application' AND "application_id" IS NOT NULL AND "environment" IS NULL
        AND "scope" = 'application:' || "application_id"::text)
);

ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_number_check" CHECK ("number" >= 1);
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_content_hash_check" CHECK ("content_hash" ~ '^sha256:[0-9a-f]{64}$');
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_parent_other_check" CHECK ("parent_id" <> "id");

-- Each state has exactly the timestamps (and actors) of the steps that led to it.
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_state_check" CHECK (
    (("submitted_at" IS NULL) = ("submitted_by_id" IS NULL))
    AND (("reviewed_at" IS NULL) = ("reviewed_by_id" IS NULL))
    AND (("published_at" IS NULL) = ("published_by_id" IS NULL))
    AND (
        ("state" = 'draft' AND "submitted_at" IS NULL AND "reviewed_at" IS NULL AND "published_at" IS NULL AND "superseded_at" IS NULL)
        OR ("state" = 'submitted' AND "submitted_at" IS NOT NULL AND "reviewed_at" IS NULL AND "published_at" IS NULL AND "superseded_at" IS NULL)
        OR ("state" IN ('approved', 'rejected') AND "submitted_at" IS NOT NULL AND "reviewed_at" IS NOT NULL AND "published_at" IS NULL AND "superseded_at" IS NULL)
        OR ("state" = 'published' AND "submitted_at" IS NOT NULL AND "reviewed_at" IS NOT NULL AND "published_at" IS NOT NULL AND "superseded_at" IS NULL)
        OR ("state" = 'superseded' AND "submitted_at" IS NOT NULL AND "reviewed_at" IS NOT NULL AND "published_at" IS NOT NULL AND "superseded_at" IS NOT NULL)
    )
);

-- Versions are immutable once they leave draft, whatever the portal's code does:
-- content and its hash change only while the row is (and stays) a draft; which policy,
-- number, author and parent a version has never change; a version never returns to
-- draft; new versions start as drafts; and only drafts may be deleted.
CREATE FUNCTION "policy_versions_immutable"() RETURNS trigger
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
    IF OLD."state" <> 'draft' AND NEW."state" = 'draft' THEN
        RAISE EXCEPTION 'policy version % cannot return from % to draft', OLD."id", OLD."state"
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "policy_versions_immutable"
    BEFORE INSERT OR UPDATE OR DELETE ON "policy_versions"
    FOR EACH ROW EXECUTE FUNCTION "policy_versions_immutable"();

ALTER TABLE "risk_acceptances" ADD CONSTRAINT "risk_acceptances_expiry_check" CHECK ("expires_at" > "created_at");
ALTER TABLE "risk_acceptances" ADD CONSTRAINT "risk_acceptances_reason_check" CHECK (length(btrim("reason")) > 0);
ALTER TABLE "risk_acceptances" ADD CONSTRAINT "risk_acceptances_revoked_check" CHECK (("revoked_at" IS NULL) = ("revoked_by_id" IS NULL));

-- A risk acceptance stays as it was recorded: it can be revoked once, never edited
-- or deleted, so the audit of who accepted what risk until when cannot be rewritten.
CREATE FUNCTION "risk_acceptances_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD."revoked_at" IS NULL AND NEW."revoked_at" IS NOT NULL
        AND NEW."id" = OLD."id" AND NEW."application_id" = OLD."application_id" AND NEW."reason" = OLD."reason"
        AND NEW."expires_at" = OLD."expires_at" AND NEW."accepted_by_id" = OLD."accepted_by_id"
        AND NEW."created_at" = OLD."created_at" THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'risk_acceptances can only be revoked, once: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "risk_acceptances_append_only"
    BEFORE UPDATE OR DELETE ON "risk_acceptances"
    FOR EACH ROW EXECUTE FUNCTION "risk_acceptances_append_only"();
