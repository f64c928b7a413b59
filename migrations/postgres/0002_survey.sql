-- The satisfaction survey: one answer per consultation (the first one counts), with an optional comment.
-- Instants are BIGINT unix milliseconds (UTC). Keep the columns identical to migrations/sqlite/0002_survey.sql.

CREATE TABLE survey_ratings (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consultation_id BIGINT NOT NULL UNIQUE REFERENCES consultations (id),
    rating          BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    source          TEXT   NOT NULL CHECK (source IN ('web', 'email')),
    rated_at        BIGINT NOT NULL,
    comment         TEXT,
    commented_at    BIGINT
);
