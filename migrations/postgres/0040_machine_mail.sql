-- Issue 15. What a message says, whoever delivered it (SHA-256 of sender, Message-ID, Date, subject, text and
-- attachment names): the one acknowledgement for a message sent to several mailboxes is keyed on it and the
-- sender, not on the Message-ID alone (two different messages can share one). NULL for rows recorded before.
ALTER TABLE consultations ADD COLUMN content_fingerprint TEXT;
CREATE INDEX consultations_content_fingerprint ON consultations (content_fingerprint);
-- Machine mail (state 'automatic') and the history of bounced replies are found by event kind.
CREATE INDEX events_kind ON events (kind);
