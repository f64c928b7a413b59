-- Who works on what when several daemons share this store: one row per mailbox (`mailbox:<name>`) held by the
-- instance that triages it, and one row per live instance (`instance:<host:pid>`) so each knows how many share
-- the work. A holder renews its rows every few seconds; a row whose `expires_at` (unix ms, the database's
-- clock) has passed is free, so the mailboxes of an instance that died are taken over by the others.
CREATE TABLE leases (
    name        TEXT   PRIMARY KEY,
    holder      TEXT   NOT NULL,
    acquired_at BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
