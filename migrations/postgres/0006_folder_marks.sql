-- Where triaje last looked in each folder a coordinator may drag messages into (the rule targets and the
-- unclassified folder): the folder's UIDVALIDITY and UIDNEXT then. A message that arrives in such a folder by
-- hand gets a UID at or above the mark, which is how a manual correction of the rules is noticed, also across
-- restarts.
CREATE TABLE folder_marks (
    mailbox     TEXT   NOT NULL,
    folder      TEXT   NOT NULL,
    uidvalidity BIGINT NOT NULL,
    uid_next    BIGINT NOT NULL,
    PRIMARY KEY (mailbox, folder)
);
