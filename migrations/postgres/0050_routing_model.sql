-- The learned opinion (issue 16). `routing_examples`: one row per consultation whose folder the office
-- confirmed (answered from the folder it was in, or moved there by hand), with the hashed word features of its
-- message read from the server (12 bytes each: the feature's 64-bit hash and its count as a 32-bit float,
-- little-endian; empty when the message could no longer be found). `routing_models`: each trained model as
-- the counts it was built from, newest last, so every daemon on one database votes with the same one.
-- Instants are BIGINT unix milliseconds (UTC). Keep the columns identical to migrations/sqlite/0050_routing_model.sql.

CREATE TABLE routing_examples (
    consultation_id BIGINT  PRIMARY KEY REFERENCES consultations (id),
    folder          TEXT    NOT NULL,
    corrected       BIGINT  NOT NULL,
    features        BYTEA   NOT NULL,
    created_at      BIGINT  NOT NULL
);

CREATE TABLE routing_models (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trained_at  BIGINT  NOT NULL,
    trained_by  TEXT    NOT NULL,
    examples    BIGINT  NOT NULL,
    corrections BIGINT  NOT NULL,
    counts      TEXT    NOT NULL
);
