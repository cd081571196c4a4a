-- Evidence and assessment: teachers' submissions per competency (drafts, then frozen snapshots),
-- uploaded files (content-addressed, in the database so every instance serves them), assessors'
-- reviews with per-indicator rubric ratings, moderation (second marking) and extra attempts.

-- How a framework turns rubric ratings into Competent (see domain::assessment::CompetentRule).
ALTER TABLE frameworks ADD COLUMN competent_rule TEXT NOT NULL DEFAULT 'all-partly-most-evident';

CREATE TABLE upload_blobs (
    sha256      TEXT    PRIMARY KEY,           -- hex SHA-256 of the bytes
    media_type  TEXT    NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size        BIGINT  NOT NULL,
    bytes       BLOB    NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE uploads (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    sha256      TEXT    NOT NULL REFERENCES upload_blobs (sha256),
    file_name   TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX uploads_user ON uploads (user_id);

CREATE TABLE submissions (
    id                INTEGER PRIMARY KEY,
    user_id           BIGINT  NOT NULL REFERENCES users (id),
    cohort_id         BIGINT  NOT NULL REFERENCES cohorts (id),
    competency_id     BIGINT  NOT NULL REFERENCES competencies (id),
    attempt           BIGINT  NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('draft', 'submitted', 'competent', 'not_yet')),
    version           BIGINT  NOT NULL DEFAULT 1,   -- drafts save on a version, like the journal
    snapshot          TEXT,                         -- JSON frozen when submitted
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    submitted_at      BIGINT,
    decided_at        BIGINT,
    claimed_by        BIGINT  REFERENCES users (id),
    claim_expires_at  BIGINT,
    assigned_to       BIGINT  REFERENCES users (id),
    decision_seen_at  BIGINT,
    CONSTRAINT submissions_user_competency_attempt UNIQUE (user_id, competency_id, attempt)
);
CREATE INDEX submissions_queue ON submissions (cohort_id, status, submitted_at);

CREATE TABLE submission_rationales (
    submission_id  BIGINT  NOT NULL REFERENCES submissions (id),
    indicator_id   BIGINT  NOT NULL REFERENCES indicators (id),
    rationale      TEXT    NOT NULL,
    PRIMARY KEY (submission_id, indicator_id)
);

CREATE TABLE submission_evidence (
    id                INTEGER PRIMARY KEY,
    submission_id     BIGINT  NOT NULL REFERENCES submissions (id),
    indicator_id      BIGINT  REFERENCES indicators (id),   -- the indicator it supports, if one
    kind              TEXT    NOT NULL CHECK (kind IN ('journal', 'rating', 'link', 'upload')),
    journal_entry_id  BIGINT  REFERENCES journal_entries (id),
    upload_id         BIGINT  REFERENCES uploads (id),
    url               TEXT    NOT NULL DEFAULT '',
    label             TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX submission_evidence_submission ON submission_evidence (submission_id);

CREATE TABLE reviews (
    id             INTEGER PRIMARY KEY,
    submission_id  BIGINT  NOT NULL REFERENCES submissions (id),
    assessor_id    BIGINT  NOT NULL REFERENCES users (id),
    kind           TEXT    NOT NULL CHECK (kind IN ('first', 'second')),
    decision       TEXT    NOT NULL CHECK (decision IN ('competent', 'not_yet')),
    feedback       TEXT    NOT NULL,
    improve        TEXT    NOT NULL DEFAULT '',
    created_at     BIGINT  NOT NULL,
    CONSTRAINT reviews_submission_kind UNIQUE (submission_id, kind)
);

CREATE TABLE review_ratings (
    review_id     BIGINT  NOT NULL REFERENCES reviews (id),
    indicator_id  BIGINT  NOT NULL REFERENCES indicators (id),
    level         BIGINT  NOT NULL CHECK (level BETWEEN 1 AND 3),   -- not / partly / evident
    comment       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, indicator_id)
);

CREATE TABLE moderations (
    id               INTEGER PRIMARY KEY,
    submission_id    BIGINT  NOT NULL UNIQUE REFERENCES submissions (id),
    requested_by     BIGINT  NOT NULL REFERENCES users (id),
    requested_at     BIGINT  NOT NULL,
    second_assessor  BIGINT  REFERENCES users (id),
    resolved_by      BIGINT  REFERENCES users (id),
    resolved_at      BIGINT,
    resolution       TEXT    CHECK (resolution IN ('first', 'second')),   -- whose decision stands
    note             TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE attempt_allowances (
    id             INTEGER PRIMARY KEY,
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    competency_id  BIGINT  NOT NULL REFERENCES competencies (id),
    extra          BIGINT  NOT NULL,
    granted_by     BIGINT  NOT NULL REFERENCES users (id),
    granted_at     BIGINT  NOT NULL,
    reason         TEXT    NOT NULL DEFAULT ''
);
