-- Machine mail filed beside its consultation (a bounce of a reply or an acknowledgement, an out-of-office
-- answering one; see README «Machine mail») follows that consultation as its ticket note does (0031): when a
-- coordinator moves the consultation, and into the answered folder with its answer. One row per such message
-- (`machine_id`, its own row in `consultations`, state 'automatic'), naming the consultation it is beside and the
-- folder triaje last put it in: 'filed' while the consultation is open, 'closed' once both rest in the answered
-- folder (later rounds no longer look at it). Without this a bounce filed while its consultation was moving to
-- «Atendidas» stayed in the folder the consultation had left.
-- Instants are BIGINT unix milliseconds (UTC). Keep the columns identical to migrations/sqlite/0051_beside_mail.sql.
CREATE TABLE beside_mail (
    machine_id      BIGINT  PRIMARY KEY REFERENCES consultations (id),
    consultation_id BIGINT  NOT NULL REFERENCES consultations (id),
    state           TEXT    NOT NULL CHECK (state IN ('filed', 'closed')),
    folder          TEXT    NOT NULL,
    updated_at      BIGINT  NOT NULL
);
-- Each round looks only at the machine mail beside open consultations.
CREATE INDEX beside_mail_state ON beside_mail (state);
-- Machine mail recorded before this migration, filed beside a consultation of its own mailbox (its history
-- names it: «… (mensaje registrado como CONS-…)»), is followed from where it was recorded: an upgrade puts the
-- bounces left behind by answered consultations beside them.
INSERT INTO beside_mail (machine_id, consultation_id, state, folder, updated_at)
    SELECT m.id, c.id, CASE WHEN c.state = 'answered' AND c.folder = m.folder THEN 'closed' ELSE 'filed' END,
           m.folder, m.created_at
    FROM (SELECT m.id AS machine_id, MIN(c.id) AS consultation_id
          FROM consultations m
          JOIN events e ON e.kind IN ('reply_undelivered', 'ack_undelivered', 'mail_undelivered', 'auto_reply_received')
                       AND e.detail LIKE '%(mensaje registrado como ' || m.ticket || ')'
          JOIN consultations c ON c.id = e.consultation_id AND c.mailbox = m.mailbox
          WHERE m.state = 'automatic' AND m.filed_at IS NOT NULL
          GROUP BY m.id) p
    JOIN consultations m ON m.id = p.machine_id
    JOIN consultations c ON c.id = p.consultation_id;
