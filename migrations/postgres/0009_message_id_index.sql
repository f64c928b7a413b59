-- Finding a consultation by its Message-ID: linking a reply draft to what it answers, and the one acknowledgement
-- for a message sent to several mailboxes. Without it both scan the whole register.
CREATE INDEX consultations_message_id ON consultations (message_id);
