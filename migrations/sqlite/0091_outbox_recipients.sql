-- The per-sender hourly limit of acknowledgements counts, for every acknowledgement about to be queued, what was
-- queued to that address in the last hour (`acknowledgements_since`). Without an index that count read the whole
-- outbox each time, so a first backlog with acknowledgements on cost the square of its size: at 20,000 rows of
-- 4 KB acknowledgements, on a busy machine, 11.7 ms per count on PostgreSQL and 61 ms on SQLite (whose rows hold
-- the message), some two and ten minutes of counting over a backlog of 20,000; 0.26 and 0.19 ms with this index.
-- Keep identical to migrations/postgres/0091_outbox_recipients.sql.
CREATE INDEX outbox_recipients_created_at ON outbox (recipients, created_at);
