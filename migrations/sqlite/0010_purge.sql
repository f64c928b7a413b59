-- Ley 29733 (personal data): `triaje purge` blanks the personal data of old consultations (citizen's name and
-- addresses, subject, message ids, event details, sent message bodies, reply observations, survey comments) and
-- keeps the anonymous facts the register and the indicators count. This is when it did so (NULL: never).
ALTER TABLE consultations ADD COLUMN purged_at INTEGER;
