-- The outbox: every message triaje sends (acknowledgements, replies, notifications), queued in the same transaction
-- as what caused it and sent by `smtp::run_outbox`. Rows are never deleted: a `failed` row is what the coordinator
-- must see. Instants are BIGINT unix milliseconds (UTC).
-- Keep the columns identical to migrations/sqlite/0003_outbox.sql; only identity columns differ.

CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The [[mailbox]] whose [mailbox.smtp] account sends it.
    mailbox         TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('acknowledgement', 'reply', 'notification')),
    consultation_id BIGINT  REFERENCES consultations (id),
    -- Enqueueing is idempotent on it; a resent copy carries the same one.
    message_id      TEXT    NOT NULL UNIQUE,
    -- MAIL FROM; empty for the null reverse path.
    envelope_from   TEXT    NOT NULL,
    -- RCPT TO, one address per line.
    recipients      TEXT    NOT NULL,
    -- The composed RFC 5322 message, sent byte for byte.
    raw             BYTEA   NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    -- SMTP transactions tried so far.
    attempts        BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    -- The sender instance holding it while `sending`, and until when.
    claimed_by      TEXT,
    claimed_until   BIGINT,
    sent_at         BIGINT,
    -- The server's reply or the connection error of the last failed attempt.
    last_error      TEXT,
    created_at      BIGINT  NOT NULL
);

-- Finds what is due (queued and next_attempt_at past, or sending with an expired claim).
CREATE INDEX outbox_state_next_attempt_at ON outbox (state, next_attempt_at);
-- What was sent about a consultation.
CREATE INDEX outbox_consultation_id ON outbox (consultation_id);
