-- The register of consultations, the per-mailbox IMAP cursor, the event log and the ticket counters.
-- Instants are INTEGER unix milliseconds (UTC): the sqlx `Any` driver maps only integers, floats, text and bytes.
-- Keep the columns identical to migrations/postgres/0001_init.sql; only identity columns differ.

CREATE TABLE consultations (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket                TEXT    NOT NULL UNIQUE,
    mailbox               TEXT    NOT NULL,
    uidvalidity           INTEGER NOT NULL,
    uid                   INTEGER NOT NULL,
    fingerprint           TEXT    NOT NULL,
    message_id            TEXT,
    from_addr             TEXT,
    from_name             TEXT,
    subject               TEXT    NOT NULL,
    received_at           INTEGER NOT NULL,
    sender_date           INTEGER,
    effective_received_at INTEGER NOT NULL,
    deadline_at           INTEGER NOT NULL,
    folder                TEXT    NOT NULL,
    category              TEXT    NOT NULL,
    availability          TEXT    NOT NULL CHECK (availability IN ('Alta', 'Media', 'Baja')),
    rule                  TEXT,
    state                 TEXT    NOT NULL,
    error_reason          TEXT,
    filed_at              INTEGER,
    size_bytes            INTEGER NOT NULL,
    created_at            INTEGER NOT NULL,
    UNIQUE (mailbox, uidvalidity, uid)
) STRICT;

-- Finds a message the server renumbered (new UIDVALIDITY) before we moved it.
CREATE INDEX consultations_mailbox_fingerprint ON consultations (mailbox, fingerprint);
-- Finds what is still waiting to be moved out of the inbox.
CREATE INDEX consultations_mailbox_filed_at ON consultations (mailbox, filed_at);

CREATE TABLE mailbox_cursors (
    mailbox     TEXT    PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    at              INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    detail          TEXT    NOT NULL
) STRICT;

CREATE INDEX events_consultation_id ON events (consultation_id);

-- `next` is the next sequence number to hand out for (prefix, year).
CREATE TABLE ticket_counters (
    prefix TEXT    NOT NULL,
    year   INTEGER NOT NULL,
    next   INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
) STRICT;
