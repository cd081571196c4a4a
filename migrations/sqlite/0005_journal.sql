-- The reflection journal: entries with optimistic versions, every saved text kept as a revision,
-- and texts refused because they were based on an old version kept too (nothing typed is lost).

CREATE TABLE journal_entries (
    id             INTEGER PRIMARY KEY,
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    competency_id  BIGINT  REFERENCES competencies (id),
    unit_id        BIGINT  REFERENCES units (id),
    title          TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    version        BIGINT  NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    deleted_at     BIGINT
);
CREATE INDEX journal_entries_user ON journal_entries (user_id, updated_at);

CREATE TABLE journal_revisions (
    id         INTEGER PRIMARY KEY,
    entry_id   BIGINT  NOT NULL REFERENCES journal_entries (id),
    version    BIGINT  NOT NULL,        -- the entry version this text became (0 for refused texts)
    based_on   BIGINT  NOT NULL,        -- the version the author was editing
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    refused    INTEGER NOT NULL DEFAULT 0,   -- 1: a save refused as stale, kept for reconciling
    saved_at   BIGINT  NOT NULL
);
CREATE INDEX journal_revisions_entry ON journal_revisions (entry_id, id);
