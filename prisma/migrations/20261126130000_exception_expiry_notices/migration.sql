-- Warnings to the owning team before a deny-rule exception expires, and once it has
-- (lib/approvals/sweep-exception-expiry.ts).

-- CreateTable
CREATE TABLE "exception_expiry_notices" (
    "id" UUID NOT NULL,
    "policy_id" UUID NOT NULL,
    "exception_id" TEXT NOT NULL,
    "expires" DATE NOT NULL,
    "stage" TEXT NOT NULL,
    "recipients" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exception_expiry_notices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
-- One notice per exception, expiry date and stage: whichever replica sweeps, and however
-- often, a notice is sent once (the sweep inserts with ON CONFLICT DO NOTHING and
-- notifies only for the rows it inserted, in the same transaction).
CREATE UNIQUE INDEX "exception_expiry_notices_once_key" ON "exception_expiry_notices"("policy_id", "exception_id", "expires", "stage");

-- AddForeignKey
ALTER TABLE "exception_expiry_notices" ADD CONSTRAINT "exception_expiry_notices_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in the Prisma schema ------------------------------------------

-- A stage is a warning so many days ahead ("14d", "3d") or "expired".
ALTER TABLE "exception_expiry_notices" ADD CONSTRAINT "exception_expiry_notices_stage_check" CHECK (
    "stage" ~ '^([1-9][0-9]{0,2}d|expired)$' AND "recipients" >= 0
);
