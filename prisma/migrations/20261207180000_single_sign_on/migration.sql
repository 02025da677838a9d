-- Single sign-on with OpenID Connect (lib/auth/sso): identities at providers, group
-- mappings, sign-ins in flight, and where each membership came from.

-- AlterTable
-- Accounts created by a first single sign-on have no password.
ALTER TABLE "users" ALTER COLUMN "password_hash" DROP NOT NULL;

-- AlterTable
ALTER TABLE "memberships" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'manual',
ADD COLUMN     "provider" TEXT,
ADD COLUMN     "idp_group" TEXT;

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "sso_provider" TEXT,
ADD COLUMN     "id_token_hint" TEXT;

-- CreateTable
CREATE TABLE "sso_identities" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "groups" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sign_in_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sso_identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sso_group_mappings" (
    "id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "team_id" UUID NOT NULL,
    "role" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sso_group_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sso_login_attempts" (
    "id" UUID NOT NULL,
    "state_hash" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "next_path" TEXT NOT NULL,
    "ip" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),

    CONSTRAINT "sso_login_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sso_identities_provider_subject_key" ON "sso_identities"("provider", "subject");

-- CreateIndex
CREATE INDEX "sso_identities_user_id_idx" ON "sso_identities"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "sso_group_mappings_provider_group_team_id_role_key" ON "sso_group_mappings"("provider", "group", "team_id", "role");

-- CreateIndex
CREATE INDEX "sso_group_mappings_team_id_idx" ON "sso_group_mappings"("team_id");

-- CreateIndex
CREATE UNIQUE INDEX "sso_login_attempts_state_hash_key" ON "sso_login_attempts"("state_hash");

-- CreateIndex
CREATE INDEX "sso_login_attempts_expires_at_idx" ON "sso_login_attempts"("expires_at");

-- AddForeignKey
ALTER TABLE "sso_identities" ADD CONSTRAINT "sso_identities_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sso_group_mappings" ADD CONSTRAINT "sso_group_mappings_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sso_group_mappings" ADD CONSTRAINT "sso_group_mappings_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Not expressible in the Prisma schema ------------------------------------------

-- A membership is an administrator's or a provider's; a provider's names its provider.
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_source_check" CHECK (
    ("source" = 'manual' AND "provider" IS NULL AND "idp_group" IS NULL)
    OR ("source" = 'idp' AND "provider" IS NOT NULL)
);
-- The roles of lib/auth/roles.ts, as for memberships.
ALTER TABLE "sso_group_mappings" ADD CONSTRAINT "sso_group_mappings_role_check"
    CHECK ("role" IN ('admin', 'security-officer', 'project-lead', 'developer', 'auditor'));
