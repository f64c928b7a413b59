-- Derivations to the agency's units (second and third level of attention, seed 002 §7.2–7.3, §9.3.3). The
-- assistant drags a filed consultation (or incident) into `Derivar/<unidad>`: triaje forwards it to the unit and
-- records here who holds it, since when and until when. One row per holder: an escalation closes the second
-- level's row ('escalated') and opens the third level's, whose `escalated_from` points back.
--   'open'      - the unit holds it; its answer is awaited until `due_at`;
--   'answered'  - the unit answered (`answered_at`, the answer's `answer_message_id`);
--   'escalated' - the unit raised it to a higher level (`answered_at` is when).
-- `message_id` is the forward's Message-ID (triaje's protocol, `derivacion.<ticket>.<token>@…`): a unit's answer
-- quotes it in In-Reply-To/References. `first_due_at` keeps the consultation's deadline before the unit's answer
-- set the first level's «same day» (002 §9.3.3), for the register.
CREATE TABLE derivations (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id   INTEGER NOT NULL REFERENCES consultations (id),
    mailbox           TEXT    NOT NULL,
    unit              TEXT    NOT NULL,
    unit_address      TEXT    NOT NULL,
    level             INTEGER NOT NULL CHECK (level IN (2, 3)),
    message_id        TEXT    NOT NULL UNIQUE,
    derived_at        INTEGER NOT NULL,
    due_at            INTEGER NOT NULL,
    state             TEXT    NOT NULL CHECK (state IN ('open', 'answered', 'escalated')),
    answered_at       INTEGER,
    answer_message_id TEXT,
    escalated_from    INTEGER REFERENCES derivations (id),
    first_due_at      INTEGER
) STRICT;
-- The open derivation of a consultation, and every derivation of it for the register.
CREATE INDEX derivations_consultation_id ON derivations (consultation_id);
-- What the units hold now (dashboard, metrics, morning mail).
CREATE INDEX derivations_state ON derivations (state);
