-- Where an answer to a consultation goes (Reply-To when the citizen gave one) and whether the citizen was
-- acknowledged: 'pending' (to do), 'queued' (in the outbox), 'skipped' (never: a machine, the office itself,
-- a noreply sender, an unreadable message, a follow-up, or the per-sender hourly limit; the reason is an event).
ALTER TABLE consultations ADD COLUMN reply_to_addr TEXT;
ALTER TABLE consultations ADD COLUMN ack TEXT NOT NULL DEFAULT 'pending';

CREATE INDEX consultations_mailbox_ack ON consultations (mailbox, ack);
