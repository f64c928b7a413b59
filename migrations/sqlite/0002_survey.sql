-- The satisfaction survey: one answer per consultation (the first one counts), with an optional comment.
-- Instants are INTEGER unix milliseconds (UTC). Keep the columns identical to migrations/postgres/0002_survey.sql.

CREATE TABLE survey_ratings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL UNIQUE REFERENCES consultations (id),
    rating          INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    source          TEXT    NOT NULL CHECK (source IN ('web', 'email')),
    rated_at        INTEGER NOT NULL,
    comment         TEXT,
    commented_at    INTEGER
) STRICT;
