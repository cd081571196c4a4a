-- Competency frameworks as imported from content/frameworks/*.toml.
-- Times are Unix epoch milliseconds (BIGINT) in both engines; flags are 0/1 integers.
-- Rows are never deleted by an import: an item missing from its file gets retired_at set.

CREATE TABLE frameworks (
    id           INTEGER PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    title        TEXT    NOT NULL,
    short_title  TEXT    NOT NULL,
    version      TEXT    NOT NULL,
    language     TEXT    NOT NULL,
    is_default   INTEGER NOT NULL DEFAULT 0,
    description  TEXT    NOT NULL,
    attribution  TEXT    NOT NULL,
    imported_at  BIGINT  NOT NULL,
    retired_at   BIGINT
);

CREATE TABLE domains (
    id            INTEGER PRIMARY KEY,
    framework_id  BIGINT  NOT NULL REFERENCES frameworks (id),
    slug          TEXT    NOT NULL,
    position      BIGINT  NOT NULL,
    title         TEXT    NOT NULL,
    summary       TEXT    NOT NULL,
    retired_at    BIGINT,
    CONSTRAINT domains_framework_slug UNIQUE (framework_id, slug)
);

CREATE TABLE competencies (
    id            INTEGER PRIMARY KEY,
    framework_id  BIGINT  NOT NULL REFERENCES frameworks (id),
    domain_id     BIGINT  NOT NULL REFERENCES domains (id),
    slug          TEXT    NOT NULL,
    position      BIGINT  NOT NULL,
    title         TEXT    NOT NULL,
    description   TEXT    NOT NULL, -- statements separated by newlines
    priority_hundredths BIGINT, -- survey rating x 100 (3.7 -> 370); see docs/decisions.md
    retired_at    BIGINT,
    CONSTRAINT competencies_framework_slug UNIQUE (framework_id, slug)
);
CREATE INDEX competencies_domain ON competencies (domain_id);

CREATE TABLE indicators (
    id             INTEGER PRIMARY KEY,
    framework_id   BIGINT  NOT NULL REFERENCES frameworks (id),
    competency_id  BIGINT  NOT NULL REFERENCES competencies (id),
    slug           TEXT    NOT NULL,
    position       BIGINT  NOT NULL,
    text           TEXT    NOT NULL,
    retired_at     BIGINT,
    CONSTRAINT indicators_framework_slug UNIQUE (framework_id, slug)
);
CREATE INDEX indicators_competency ON indicators (competency_id);
