-- Conversations. A consultation's thread is the consultation itself (its `message_id`), what triaje sent about
-- it (the outbox's `message_id`s: acknowledgement, reply) and the later messages of the citizen that answer any
-- of these. Such a later message is recorded like every message (nothing is lost) and points at the thread's
-- first consultation with `thread_id`; `thread_role` says what it is:
--   'followup' - a new question after the answer: an attention of its own, with its own deadline;
--   'addition' - more information while the consultation is open (state 'followup': not an attention);
--   'thanks'   - a bare «Muchas gracias» or an automatic answer: closes nothing, opens nothing (state 'followup');
--   'copy'     - the same message delivered to another of the office's mailboxes: one attention, answered
--                once; the copy is filed as answered when the consultation is (`answered_at`).
-- NULL for a thread's first consultation and for everything recorded before this migration.
ALTER TABLE consultations ADD COLUMN thread_id BIGINT REFERENCES consultations (id);
ALTER TABLE consultations ADD COLUMN thread_role TEXT;
CREATE INDEX consultations_thread_id ON consultations (thread_id);
-- Finds a mailbox's copies still to file as answered, every round.
CREATE INDEX consultations_mailbox_thread_role ON consultations (mailbox, thread_role);
