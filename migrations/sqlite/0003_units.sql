-- Micro-learning units (imported from content/units) and who has done them.

CREATE TABLE units (
    id              INTEGER PRIMARY KEY,
    framework_id    BIGINT  NOT NULL REFERENCES frameworks (id),
    competency_id   BIGINT  NOT NULL REFERENCES competencies (id),
    slug            TEXT    NOT NULL,
    position        BIGINT  NOT NULL,
    title           TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('reading', 'scenario', 'reflection')),
    minutes         BIGINT  NOT NULL,
    summary         TEXT    NOT NULL,
    prompt          TEXT,
    indicators      TEXT    NOT NULL,   -- indicator slugs, comma-separated
    body            TEXT    NOT NULL,   -- Markdown
    considerations  TEXT,               -- Markdown (scenarios)
    retired_at      BIGINT,
    CONSTRAINT units_framework_slug UNIQUE (framework_id, slug)
);
CREATE INDEX units_competency ON units (competency_id);

CREATE TABLE unit_progress (
    user_id   BIGINT NOT NULL REFERENCES users (id),
    unit_id   BIGINT NOT NULL REFERENCES units (id),
    done_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, unit_id)
);
