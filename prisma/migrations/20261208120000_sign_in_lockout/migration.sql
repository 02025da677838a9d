-- Sign-in lockout per account and client address with a growing delay (issue 12): the
-- lockout buckets live beside the fixed-window ones.

-- AlterTable
ALTER TABLE "rate_limit_buckets" ADD COLUMN     "locked_until" TIMESTAMPTZ(3),
ADD COLUMN     "lockouts" INTEGER NOT NULL DEFAULT 0;
