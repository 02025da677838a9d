-- Architecture decisions: questionnaire drafts and decision records (lib/architecture).

-- CreateEnum
CREATE TYPE "Architecture" AS ENUM ('A', 'B', 'C');

-- CreateEnum
CREATE TYPE "DecisionStatus" AS ENUM ('proposed', 'accepted', 'superseded');

-- CreateTable
CREATE TABLE "architecture_drafts" (
    "id" UUID NOT NULL,
    "owner_id" UUID,
    "answers" JSONB NOT NULL DEFAULT '{}',
    "step" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "architecture_drafts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "architecture_decisions" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "team_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "status" "DecisionStatus" NOT NULL DEFAULT 'proposed',
    "architecture" "Architecture" NOT NULL,
    "recommended" "Architecture" NOT NULL,
    "answers" JSONB NOT NULL,
    "evaluation" JSONB NOT NULL,
    "context" TEXT NOT NULL DEFAULT '',
    "rationale" TEXT NOT NULL DEFAULT '',
    "consequences" JSONB NOT NULL,
    "alternatives" JSONB NOT NULL,
    "supersedes_id" UUID,
    "author_id" UUID NOT NULL,
    "accepted_by_id" UUID,
    "accepted_at" TIMESTAMPTZ(3),
    "superseded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "architecture_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "architecture_decision_applications" (
    "decision_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,

    CONSTRAINT "architecture_decision_applications_pkey" PRIMARY KEY ("decision_id","application_id")
);

-- CreateIndex
CREATE INDEX "architecture_drafts_owner_id_updated_at_idx" ON "architecture_drafts"("owner_id", "updated_at");

-- CreateIndex
CREATE INDEX "architecture_drafts_updated_at_idx" ON "architecture_drafts"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "architecture_decisions_number_key" ON "architecture_decisions"("number");

-- CreateIndex
CREATE INDEX "architecture_decisions_team_id_status_idx" ON "architecture_decisions"("team_id", "status");

-- CreateIndex
CREATE INDEX "architecture_decisions_supersedes_id_idx" ON "architecture_decisions"("supersedes_id");

-- CreateIndex
CREATE INDEX "architecture_decision_applications_application_id_idx" ON "architecture_decision_applications"("application_id");

-- AddForeignKey
ALTER TABLE "architecture_drafts" ADD CONSTRAINT "architecture_drafts_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "architecture_decisions" ADD CONSTRAINT "architecture_decisions_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "architecture_decisions" ADD CONSTRAINT "architecture_decisions_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "architecture_decisions" ADD CONSTRAINT "architecture_decisions_accepted_by_id_fkey" FOREIGN KEY ("accepted_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "architecture_decisions" ADD CONSTRAINT "architecture_decisions_supersedes_id_fkey" FOREIGN KEY ("supersedes_id") REFERENCES "architecture_decisions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "architecture_decision_applications" ADD CONSTRAINT "architecture_decision_applications_decision_id_fkey" FOREIGN KEY ("decision_id") REFERENCES "architecture_decisions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "architecture_decision_applications" ADD CONSTRAINT "architecture_decision_applications_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Not expressible in the Prisma schema: the status and its timestamps move together,
-- and a record cannot supersede itself.
ALTER TABLE "architecture_decisions" ADD CONSTRAINT "architecture_decisions_status_check" CHECK (
    ("status" = 'proposed' AND "accepted_at" IS NULL AND "accepted_by_id" IS NULL AND "superseded_at" IS NULL)
    OR ("status" = 'accepted' AND "accepted_at" IS NOT NULL AND "accepted_by_id" IS NOT NULL AND "superseded_at" IS NULL)
    OR ("status" = 'superseded' AND "accepted_at" IS NOT NULL AND "accepted_by_id" IS NOT NULL AND "superseded_at" IS NOT NULL)
);
ALTER TABLE "architecture_decisions" ADD CONSTRAINT "architecture_decisions_supersedes_other_check" CHECK ("supersedes_id" <> "id");
