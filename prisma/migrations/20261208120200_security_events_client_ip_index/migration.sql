-- The events list filtered by client IP reads that client's newest events first instead of
-- scanning the window (issue 15). Its timestamp follows the migration that creates
-- security_events (20261208120000): migrations run in name order, and this one needs it.
CREATE INDEX "security_events_client_ip_occurred_at_idx" ON "security_events"("client_ip", "occurred_at");
