-- Who approved a Legal reply and how (issue 14): 'mail' (answered the notice), 'link' (the notice's signed
-- link, confirmed on its page) or 'drag' (moved to the approved folder where the server's ACL lets only the
-- supervisor do that). approval_requested_at: the supervisor confirmed the link's page; the mailbox's next reply
-- pass carries the approval out (the draft is on the IMAP server, which the web server does not speak to).
ALTER TABLE replies ADD COLUMN approved_via TEXT;
ALTER TABLE replies ADD COLUMN approval_requested_at INTEGER;

-- What the server's ACL guarantees about each mailbox's approved folder, as found when the worker connected.
CREATE TABLE approval_guards (
    mailbox    TEXT   NOT NULL PRIMARY KEY,
    guarded    INTEGER NOT NULL,
    detail     TEXT   NOT NULL,
    checked_at INTEGER NOT NULL
) STRICT;
