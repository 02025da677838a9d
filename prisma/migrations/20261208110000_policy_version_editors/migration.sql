-- Four eyes counts everyone who changed a version's content (issue 12): editors of a
-- draft, not only its author and submitter, are kept from approving it.

-- CreateTable
CREATE TABLE "policy_version_editors" (
    "version_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "first_edited_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_version_editors_pkey" PRIMARY KEY ("version_id","user_id")
);

-- CreateIndex
CREATE INDEX "policy_version_editors_user_id_idx" ON "policy_version_editors"("user_id");

-- AddForeignKey
ALTER TABLE "policy_version_editors" ADD CONSTRAINT "policy_version_editors_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "policy_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_version_editors" ADD CONSTRAINT "policy_version_editors_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Every existing version was written by its author.
INSERT INTO "policy_version_editors" ("version_id", "user_id", "first_edited_at")
SELECT "id", "author_id", "created_at" FROM "policy_versions";
