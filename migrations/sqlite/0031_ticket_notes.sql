-- The ticket visible in every mail client: beside each consultation triaje files a note (its «ficha»: ticket, due
-- date, availability, acknowledgement) that threads with the citizen's message, so Outlook's conversation view
-- shows it too. One row per consultation: 'filed' (the note is in `folder`, under `message_id`, beside an open
-- consultation), 'closed' (it followed its answered consultation into the answered folder, where it stays), or
-- 'none' (no note: recorded before notes existed). The note follows its consultation when a person moves it, and
-- into the answered folder with its answer.
CREATE TABLE ticket_notes (
    consultation_id INTEGER PRIMARY KEY REFERENCES consultations (id),
    message_id      TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('filed', 'closed', 'none')),
    folder          TEXT,
    updated_at      INTEGER NOT NULL
) STRICT;
-- Each round looks only at the notes beside open consultations.
CREATE INDEX ticket_notes_state ON ticket_notes (state);
-- Each round looks for the consultations filed without a note.
CREATE INDEX consultations_mailbox_state ON consultations (mailbox, state);
-- What was recorded before this migration gets no note (an upgrade must not fill every folder at once).
INSERT INTO ticket_notes (consultation_id, message_id, state, folder, updated_at)
    SELECT id, '', 'none', NULL, created_at FROM consultations;
