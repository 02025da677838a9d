-- Kubernetes delivery (lib/kubernetes/delivery): plans (rendered resources and the
-- server-side dry-run diff), applies with per-resource results, drift checks, and GitOps
-- exports to Git targets.

-- CreateTable
CREATE TABLE "kubernetes_plans" (
    "id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "rendered_hash" TEXT NOT NULL,
    "sources" JSONB NOT NULL,
    "resources" JSONB NOT NULL,
    "changes" JSONB NOT NULL,
    "notes" JSONB NOT NULL DEFAULT '[]',
    "excluded" JSONB NOT NULL DEFAULT '[]',
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kubernetes_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kubernetes_applies" (
    "id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "results" JSONB NOT NULL,
    "applied_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kubernetes_applies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kubernetes_drift_checks" (
    "id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "apply_id" UUID NOT NULL,
    "trigger" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "results" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "checked_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kubernetes_drift_checks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "git_exports" (
    "id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "commit" TEXT,
    "branch" TEXT NOT NULL,
    "changed" BOOLEAN NOT NULL,
    "files" JSONB NOT NULL,
    "added" JSONB NOT NULL DEFAULT '[]',
    "modified" JSONB NOT NULL DEFAULT '[]',
    "removed" JSONB NOT NULL DEFAULT '[]',
    "sources" JSONB NOT NULL,
    "rendered_hash" TEXT NOT NULL,
    "author_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "git_exports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "kubernetes_plans_target_id_created_at_idx" ON "kubernetes_plans"("target_id", "created_at");

-- CreateIndex
CREATE INDEX "kubernetes_applies_target_id_created_at_idx" ON "kubernetes_applies"("target_id", "created_at");

-- CreateIndex
CREATE INDEX "kubernetes_drift_checks_target_id_created_at_idx" ON "kubernetes_drift_checks"("target_id", "created_at");

-- CreateIndex
CREATE INDEX "git_exports_target_id_created_at_idx" ON "git_exports"("target_id", "created_at");

-- AddForeignKey
ALTER TABLE "kubernetes_plans" ADD CONSTRAINT "kubernetes_plans_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "delivery_targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kubernetes_plans" ADD CONSTRAINT "kubernetes_plans_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kubernetes_applies" ADD CONSTRAINT "kubernetes_applies_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "delivery_targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kubernetes_applies" ADD CONSTRAINT "kubernetes_applies_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "kubernetes_plans"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kubernetes_applies" ADD CONSTRAINT "kubernetes_applies_applied_by_id_fkey" FOREIGN KEY ("applied_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kubernetes_drift_checks" ADD CONSTRAINT "kubernetes_drift_checks_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "delivery_targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kubernetes_drift_checks" ADD CONSTRAINT "kubernetes_drift_checks_apply_id_fkey" FOREIGN KEY ("apply_id") REFERENCES "kubernetes_applies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kubernetes_drift_checks" ADD CONSTRAINT "kubernetes_drift_checks_checked_by_id_fkey" FOREIGN KEY ("checked_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "git_exports" ADD CONSTRAINT "git_exports_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "delivery_targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "git_exports" ADD CONSTRAINT "git_exports_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Not expressible in the Prisma schema ------------------------------------------

ALTER TABLE "kubernetes_plans" ADD CONSTRAINT "kubernetes_plans_rendered_hash_check" CHECK ("rendered_hash" ~ '^sha256:[0-9a-f]{64}$');
ALTER TABLE "kubernetes_applies" ADD CONSTRAINT "kubernetes_applies_kind_check" CHECK ("kind" IN ('apply', 'reapply'));
ALTER TABLE "kubernetes_applies" ADD CONSTRAINT "kubernetes_applies_outcome_check" CHECK ("outcome" IN ('applied', 'partial', 'failed'));
ALTER TABLE "kubernetes_drift_checks" ADD CONSTRAINT "kubernetes_drift_checks_trigger_check" CHECK ("trigger" IN ('manual', 'scheduled'));
ALTER TABLE "kubernetes_drift_checks" ADD CONSTRAINT "kubernetes_drift_checks_state_check" CHECK ("state" IN ('in-sync', 'drifted', 'error'));
-- A manual check names who asked; the sweep checks as the system.
ALTER TABLE "kubernetes_drift_checks" ADD CONSTRAINT "kubernetes_drift_checks_checked_by_check" CHECK (("trigger" = 'manual') = ("checked_by_id" IS NOT NULL));
ALTER TABLE "git_exports" ADD CONSTRAINT "git_exports_commit_check" CHECK ("commit" IS NULL OR "commit" ~ '^[0-9a-f]{40}([0-9a-f]{24})?$');
ALTER TABLE "git_exports" ADD CONSTRAINT "git_exports_rendered_hash_check" CHECK ("rendered_hash" ~ '^sha256:[0-9a-f]{64}$');
