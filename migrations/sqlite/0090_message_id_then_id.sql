-- The same message recorded in two mailboxes is found by Message-ID and the earlier row (`adopt_copies`: the
-- rows with this Message-ID and a smaller id). With the Message-ID alone in the index, PostgreSQL without
-- statistics yet (a new register's first backlog, before autovacuum has analysed it) combined it with a range
-- scan of the primary key for every consultation: 6 s for a first backlog of 20,000 messages, growing with the
-- square of the register. Ordered by id within each Message-ID, one index descent answers both conditions; every
-- lookup by Message-ID alone uses the same index. Keep identical to migrations/postgres/0090_message_id_then_id.sql.
DROP INDEX consultations_message_id;
CREATE INDEX consultations_message_id_id ON consultations (message_id, id);
