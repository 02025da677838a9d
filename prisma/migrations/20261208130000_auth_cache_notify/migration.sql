-- Portal processes keep authentication results for a few seconds (lib/auth/credential-cache.ts).
-- Every change to who may act as what notifies them on the delivery channel, payload 'auth',
-- in the transaction of the change (a rolled-back change notifies nobody), and each drops
-- its cache. Statement-level: one notification per statement, however many rows; and only
-- for the columns an authentication reads, so the once-a-minute lastUsedAt / lastSeenAt
-- writes and new sign-ins (nothing cached yet) notify nobody.
CREATE FUNCTION "rampart_auth_notify"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rampart_delivery', 'auth');
    RETURN NULL;
END;
$$;

CREATE TRIGGER "api_tokens_auth_notify"
    AFTER UPDATE OF "revoked_at", "expires_at", "role", "user_id", "token_hash" OR DELETE ON "api_tokens"
    FOR EACH STATEMENT EXECUTE FUNCTION "rampart_auth_notify"();

CREATE TRIGGER "sessions_auth_notify"
    AFTER UPDATE OF "revoked_at", "expires_at", "user_id", "token_hash" OR DELETE ON "sessions"
    FOR EACH STATEMENT EXECUTE FUNCTION "rampart_auth_notify"();

CREATE TRIGGER "users_auth_notify"
    AFTER UPDATE OF "disabled_at", "email", "name" OR DELETE ON "users"
    FOR EACH STATEMENT EXECUTE FUNCTION "rampart_auth_notify"();

CREATE TRIGGER "memberships_auth_notify"
    AFTER INSERT OR UPDATE OR DELETE ON "memberships"
    FOR EACH STATEMENT EXECUTE FUNCTION "rampart_auth_notify"();

CREATE TRIGGER "teams_auth_notify"
    AFTER UPDATE OF "slug", "name" OR DELETE ON "teams"
    FOR EACH STATEMENT EXECUTE FUNCTION "rampart_auth_notify"();
