-- A webhook URL per team, and the outbox its notices are sent from (lib/webhooks).

-- AlterTable
ALTER TABLE "teams" ADD COLUMN     "webhook_secret_ciphertext" BYTEA,
ADD COLUMN     "webhook_url" TEXT;

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
-- The sweep's scan: what is due, oldest first.
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries"("next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_deliveries_team_idx" ON "webhook_deliveries"("team_id", "created_at");

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in the Prisma schema ------------------------------------------

-- The URL rule of lib/webhooks/webhook-url.ts, coarsely: the application checks the
-- details (loopback only for http), the database refuses anything that is not http(s).
ALTER TABLE "teams" ADD CONSTRAINT "teams_webhook_url_check" CHECK ("webhook_url" IS NULL OR "webhook_url" ~ '^https?://');
-- A delivered row is never due again.
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_state_check" CHECK (
    "attempts" >= 0 AND ("delivered_at" IS NULL OR "next_attempt_at" IS NULL)
);
