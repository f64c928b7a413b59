-- Whether each mailbox's worker can reach its server, as the daemon last saw it: so that `triaje status`, /health
-- and the coordinator's morning mail say which mailbox is failing, since when and why (a wrong or expired
-- password, a server down) while the other mailboxes keep working.
CREATE TABLE mailbox_health (
    mailbox       TEXT   PRIMARY KEY,
    failing       BIGINT NOT NULL,
    last_error    TEXT,
    failing_since BIGINT,
    updated_at    BIGINT NOT NULL
);
