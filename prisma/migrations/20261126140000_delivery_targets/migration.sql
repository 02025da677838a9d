-- Delivery (lib/delivery): targets (proxies, Kubernetes clusters, Git repositories), the
-- applications each delivers, and what each proxy instance last reported.

-- CreateEnum
CREATE TYPE "DeliveryTargetKind" AS ENUM ('proxy', 'kubernetes', 'git');

-- CreateTable
CREATE TABLE "delivery_targets" (
    "id" UUID NOT NULL,
    "kind" "DeliveryTargetKind" NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "environment" TEXT,
    "mode" TEXT,
    "token_hash" TEXT,
    "token_prefix" TEXT,
    "token_issued_at" TIMESTAMPTZ(3),
    "namespaces" TEXT[] NOT NULL,
    "renders" TEXT[] NOT NULL,
    "repository" TEXT,
    "branch" TEXT,
    "folder" TEXT,
    "secret_ciphertext" BYTEA,
    "secret_fingerprint" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "delivery_targets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_target_applications" (
    "target_id" UUID NOT NULL,
    "application_id" UUID NOT NULL,

    CONSTRAINT "delivery_target_applications_pkey" PRIMARY KEY ("target_id","application_id")
);

-- CreateTable
CREATE TABLE "proxy_instance_statuses" (
    "id" UUID NOT NULL,
    "target_id" UUID NOT NULL,
    "instance_id" TEXT NOT NULL,
    "hostname" TEXT,
    "mode" TEXT NOT NULL,
    "proxy_version" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "running_hash" TEXT,
    "running" JSONB NOT NULL DEFAULT '[]',
    "reload_errors" JSONB NOT NULL DEFAULT '[]',
    "counters" JSONB NOT NULL DEFAULT '{}',
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "proxy_instance_statuses_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "delivery_targets_name_key" ON "delivery_targets"("name");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_targets_token_hash_key" ON "delivery_targets"("token_hash");

-- CreateIndex
CREATE INDEX "delivery_targets_kind_revoked_at_idx" ON "delivery_targets"("kind", "revoked_at");

-- CreateIndex
CREATE INDEX "delivery_target_applications_application_id_idx" ON "delivery_target_applications"("application_id");

-- CreateIndex
CREATE INDEX "proxy_instance_statuses_target_id_last_seen_at_idx" ON "proxy_instance_statuses"("target_id", "last_seen_at");

-- CreateIndex
CREATE UNIQUE INDEX "proxy_instance_statuses_target_id_instance_id_key" ON "proxy_instance_statuses"("target_id", "instance_id");

-- AddForeignKey
ALTER TABLE "delivery_target_applications" ADD CONSTRAINT "delivery_target_applications_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "delivery_targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_target_applications" ADD CONSTRAINT "delivery_target_applications_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "applications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "proxy_instance_statuses" ADD CONSTRAINT "proxy_instance_statuses_target_id_fkey" FOREIGN KEY ("target_id") REFERENCES "delivery_targets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Not expressible in the Prisma schema ------------------------------------------

-- Each kind has its own columns and nothing of the others': a proxy target its mode and
-- token, a cluster its (encrypted) kubeconfig, a repository its location and branch.
ALTER TABLE "delivery_targets" ADD CONSTRAINT "delivery_targets_kind_check" CHECK (
    ("kind" = 'proxy' AND "mode" IN ('gateway', 'microgateway') AND "token_hash" IS NOT NULL AND "token_prefix" IS NOT NULL
        AND "token_issued_at" IS NOT NULL AND "secret_ciphertext" IS NULL AND "repository" IS NULL AND "branch" IS NULL AND "folder" IS NULL
        AND cardinality("namespaces") = 0 AND cardinality("renders") = 0)
    OR ("kind" = 'kubernetes' AND "mode" IS NULL AND "token_hash" IS NULL AND "token_prefix" IS NULL AND "token_issued_at" IS NULL
        AND "secret_ciphertext" IS NOT NULL AND "repository" IS NULL AND "branch" IS NULL AND "folder" IS NULL)
    OR ("kind" = 'git' AND "mode" IS NULL AND "token_hash" IS NULL AND "token_prefix" IS NULL AND "token_issued_at" IS NULL
        AND "repository" IS NOT NULL AND "branch" IS NOT NULL AND "folder" IS NOT NULL
        AND cardinality("namespaces") = 0 AND cardinality("renders") = 0)
);
ALTER TABLE "delivery_targets" ADD CONSTRAINT "delivery_targets_secret_check" CHECK (("secret_ciphertext" IS NULL) = ("secret_fingerprint" IS NULL));
ALTER TABLE "delivery_targets" ADD CONSTRAINT "delivery_targets_name_check" CHECK (length(btrim("name")) > 0);
ALTER TABLE "proxy_instance_statuses" ADD CONSTRAINT "proxy_instance_statuses_running_hash_check" CHECK ("running_hash" ~ '^sha256:[0-9a-f]{64}$');

-- Proxies long-poll for their delivery set; every portal replica LISTENs on
-- rampart_delivery (lib/delivery/delivery-listener.ts) and re-checks its waiting polls on
-- each notification. The notifications come from the database itself, in the transaction
-- of the change, so whatever code changes what is published wakes the polls, and a
-- rolled-back change wakes nobody.
CREATE FUNCTION "rampart_delivery_notify"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rampart_delivery', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

-- A publication or rollback points the policy at another version.
CREATE TRIGGER "policies_delivery_notify"
    AFTER UPDATE OF "published_version_id" ON "policies"
    FOR EACH ROW WHEN (OLD."published_version_id" IS DISTINCT FROM NEW."published_version_id")
    EXECUTE FUNCTION "rampart_delivery_notify"();

-- A risk acceptance decides whether an internet-facing application without fine-grained policy is delivered.
CREATE TRIGGER "risk_acceptances_delivery_notify"
    AFTER INSERT OR UPDATE ON "risk_acceptances"
    FOR EACH STATEMENT EXECUTE FUNCTION "rampart_delivery_notify"();

-- Archiving an application, or changing its exposure, changes what is delivered for it.
CREATE TRIGGER "applications_delivery_notify"
    AFTER UPDATE ON "applications"
    FOR EACH ROW WHEN (OLD."archived_at" IS DISTINCT FROM NEW."archived_at" OR OLD."exposure" IS DISTINCT FROM NEW."exposure"
        OR OLD."slug" IS DISTINCT FROM NEW."slug")
    EXECUTE FUNCTION "rampart_delivery_notify"();

-- Every managed change of a target (scope, token, revocation) bumps its version; heartbeats do not.
CREATE TRIGGER "delivery_targets_delivery_notify"
    AFTER UPDATE ON "delivery_targets"
    FOR EACH ROW WHEN (OLD."version" IS DISTINCT FROM NEW."version")
    EXECUTE FUNCTION "rampart_delivery_notify"();
