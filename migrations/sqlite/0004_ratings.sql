-- Indicator self-ratings: one baseline and one current rating per person and indicator.

CREATE TABLE self_ratings (
    id            INTEGER PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id),
    indicator_id  BIGINT  NOT NULL REFERENCES indicators (id),
    phase         TEXT    NOT NULL CHECK (phase IN ('baseline', 'current')),
    level         BIGINT  NOT NULL CHECK (level BETWEEN 1 AND 4),
    note          TEXT    NOT NULL DEFAULT '',
    evidence_url  TEXT    NOT NULL DEFAULT '',
    updated_at    BIGINT  NOT NULL,
    version       BIGINT  NOT NULL DEFAULT 1,
    CONSTRAINT self_ratings_user_indicator_phase UNIQUE (user_id, indicator_id, phase)
);
CREATE INDEX self_ratings_user ON self_ratings (user_id);
