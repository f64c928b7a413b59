-- The moment the current SMTP attempt of a claimed message started (NULL when none is in flight). A claim that
-- expires with an attempt started is an interrupted send whose outcome is unknown: acknowledgements are then
-- not sent again (at most one per consultation); replies and notices are (at least once).
ALTER TABLE outbox ADD COLUMN started_at INTEGER;
