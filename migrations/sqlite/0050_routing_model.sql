-- The learned opinion (issue 16). `routing_examples`: one row per consultation whose folder the office
-- confirmed (answered from the folder it was in, or moved there by hand), with the hashed word features of its
-- message read from the server (12 bytes each: the feature's 64-bit hash and its count as a 32-bit float,
-- little-endian; empty when the message could no longer be found). `routing_models`: each trained model as
-- the counts it was built from, newest last, so every daemon on one database votes with the same one.
-- Instants are INTEGER unix milliseconds (UTC). Keep the columns identical to migrations/postgres/0050_routing_model.sql.

CREATE TABLE routing_examples (
    consultation_id INTEGER PRIMARY KEY REFERENCES consultations (id),
    folder          TEXT    NOT NULL,
    corrected       INTEGER NOT NULL,
    features        BLOB    NOT NULL,
    created_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE routing_models (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    trained_at  INTEGER NOT NULL,
    trained_by  TEXT    NOT NULL,
    examples    INTEGER NOT NULL,
    corrections INTEGER NOT NULL,
    counts      TEXT    NOT NULL
) STRICT;
