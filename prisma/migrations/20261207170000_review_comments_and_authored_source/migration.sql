-- Review like code review (issue 17): inline comments on the lines of a version's diff,
-- threaded, stored with the version; and each version's document as its author wrote it
-- (key order, YAML comments), which the diff and the YAML view show.

-- AlterTable
ALTER TABLE "policy_versions" ADD COLUMN     "source_text" TEXT;

-- CreateTable
CREATE TABLE "policy_version_comments" (
    "id" UUID NOT NULL,
    "version_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "parent_id" UUID,
    "side" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "line_text" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "collected_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_version_comments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_version_comments_version_idx" ON "policy_version_comments"("version_id", "created_at");

-- AddForeignKey
ALTER TABLE "policy_version_comments" ADD CONSTRAINT "policy_version_comments_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "policy_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_version_comments" ADD CONSTRAINT "policy_version_comments_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_version_comments" ADD CONSTRAINT "policy_version_comments_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "policy_version_comments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in the Prisma schema ------------------------------------------

ALTER TABLE "policy_version_comments" ADD CONSTRAINT "policy_version_comments_side_check" CHECK ("side" IN ('before', 'after'));
ALTER TABLE "policy_version_comments" ADD CONSTRAINT "policy_version_comments_line_check" CHECK ("line" >= 1);
ALTER TABLE "policy_version_comments" ADD CONSTRAINT "policy_version_comments_body_check" CHECK (length(btrim("body")) > 0);

-- The authored text is frozen with the content it stands for.
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
    IF (NEW."content" IS DISTINCT FROM OLD."content" OR NEW."content_hash" IS DISTINCT FROM OLD."content_hash"
        OR NEW."source_text" IS DISTINCT FROM OLD."source_text")
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
