-- Reply drafts an assistant dropped into the drafts folder, one row per draft message, and what became of them.
-- state: 'awaiting_validation' (Legal, in the validation folder), 'returned' (the supervisor sent it back),
-- 'queued' (the reply is in the outbox), 'sent' (the SMTP server accepted it), 'withdrawn' (replaced by a newer
-- draft), 'refused' (failed the checks; the reasons are in observations).
CREATE TABLE replies (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id         INTEGER REFERENCES consultations (id),
    draft_fingerprint       TEXT    NOT NULL UNIQUE,
    draft_message_id        TEXT,
    author                  TEXT    NOT NULL,
    legal                   INTEGER NOT NULL,
    state                   TEXT    NOT NULL,
    observations            TEXT,
    notification_message_id TEXT UNIQUE,
    reply_message_id        TEXT UNIQUE,
    approved_by             TEXT,
    approved_at             INTEGER,
    submitted_at            INTEGER  NOT NULL,
    sent_at                 INTEGER,
    filed_at                INTEGER
) STRICT;

CREATE INDEX replies_consultation_id ON replies (consultation_id);
CREATE INDEX replies_state ON replies (state);

-- When the consultation was answered (the reply's acceptance by the SMTP server) and whether that met its deadline.
ALTER TABLE consultations ADD COLUMN answered_at INTEGER;
ALTER TABLE consultations ADD COLUMN within_deadline INTEGER;
