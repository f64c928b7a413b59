-- The register of consultations, the per-mailbox IMAP cursor, the event log and the ticket counters.
-- Instants are BIGINT unix milliseconds (UTC): the sqlx `Any` driver maps only integers, floats, text and bytes.
-- Keep the columns identical to migrations/sqlite/0001_init.sql; only identity columns differ.

CREATE TABLE consultations (
    id                    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket                TEXT    NOT NULL UNIQUE,
    mailbox               TEXT    NOT NULL,
    uidvalidity           BIGINT NOT NULL,
    uid                   BIGINT NOT NULL,
    fingerprint           TEXT    NOT NULL,
    message_id            TEXT,
    from_addr             TEXT,
    from_name             TEXT,
    subject               TEXT    NOT NULL,
    received_at           BIGINT NOT NULL,
    sender_date           BIGINT,
    effective_received_at BIGINT NOT NULL,
    deadline_at           BIGINT NOT NULL,
    folder                TEXT    NOT NULL,
    category              TEXT    NOT NULL,
    availability          TEXT    NOT NULL CHECK (availability IN ('Alta', 'Media', 'Baja')),
    rule                  TEXT,
    state                 TEXT    NOT NULL,
    error_reason          TEXT,
    filed_at              BIGINT,
    size_bytes            BIGINT NOT NULL,
    created_at            BIGINT NOT NULL,
    UNIQUE (mailbox, uidvalidity, uid)
);

-- Finds a message the server renumbered (new UIDVALIDITY) before we moved it.
CREATE INDEX consultations_mailbox_fingerprint ON consultations (mailbox, fingerprint);
-- Finds what is still waiting to be moved out of the inbox.
CREATE INDEX consultations_mailbox_filed_at ON consultations (mailbox, filed_at);

CREATE TABLE mailbox_cursors (
    mailbox     TEXT    PRIMARY KEY,
    uidvalidity BIGINT NOT NULL,
    last_uid    BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE events (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL REFERENCES consultations (id),
    at              BIGINT NOT NULL,
    kind            TEXT    NOT NULL,
    detail          TEXT    NOT NULL
);

CREATE INDEX events_consultation_id ON events (consultation_id);

-- `next` is the next sequence number to hand out for (prefix, year).
CREATE TABLE ticket_counters (
    prefix TEXT    NOT NULL,
    year   BIGINT NOT NULL,
    next   BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);
