-- People, cohorts, roles, invitations, sessions, sign-in throttling, password resets, audit.
-- Times are epoch milliseconds; flags 0/1. Secrets (session ids, reset tokens) are stored as
-- SHA-256 hex digests, never as the value a browser holds.

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    email                TEXT    NOT NULL,          -- trimmed and lower-cased
    name                 TEXT    NOT NULL,
    password_hash        TEXT    NOT NULL,          -- argon2id PHC string
    is_admin             INTEGER NOT NULL DEFAULT 0, -- institution coordinator: creates cohorts
    created_at           BIGINT  NOT NULL,
    password_changed_at  BIGINT  NOT NULL,
    deactivated_at       BIGINT,
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE cohorts (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    framework_id  BIGINT  NOT NULL REFERENCES frameworks (id),
    starts_on     TEXT    NOT NULL,                 -- YYYY-MM-DD
    ends_on       TEXT    NOT NULL,
    blind_review  INTEGER NOT NULL DEFAULT 0,
    max_attempts  BIGINT  NOT NULL DEFAULT 3,
    created_by    BIGINT  NOT NULL REFERENCES users (id),
    created_at    BIGINT  NOT NULL,
    archived_at   BIGINT,
    CONSTRAINT cohorts_name_key UNIQUE (name)
);

CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    cohort_id   BIGINT  NOT NULL REFERENCES cohorts (id),
    role        TEXT    NOT NULL CHECK (role IN ('teacher', 'assessor', 'coordinator')),
    token       TEXT    NOT NULL,                   -- shared by design: it is a link to hand out
    expires_at  BIGINT  NOT NULL,
    max_uses    BIGINT  NOT NULL,
    uses        BIGINT  NOT NULL DEFAULT 0,
    created_by  BIGINT  NOT NULL REFERENCES users (id),
    created_at  BIGINT  NOT NULL,
    revoked_at  BIGINT,
    CONSTRAINT invitations_token_key UNIQUE (token)
);
CREATE INDEX invitations_cohort ON invitations (cohort_id);

CREATE TABLE memberships (
    id             INTEGER PRIMARY KEY,
    cohort_id      BIGINT  NOT NULL REFERENCES cohorts (id),
    user_id        BIGINT  NOT NULL REFERENCES users (id),
    role           TEXT    NOT NULL CHECK (role IN ('teacher', 'assessor', 'coordinator')),
    invitation_id  BIGINT  REFERENCES invitations (id),
    created_at     BIGINT  NOT NULL,
    CONSTRAINT memberships_cohort_user_role_key UNIQUE (cohort_id, user_id, role)
);
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE sessions (
    id_hash              TEXT    PRIMARY KEY,       -- SHA-256 of the cookie value
    user_id              BIGINT  NOT NULL REFERENCES users (id),
    created_at           BIGINT  NOT NULL,
    last_seen_at         BIGINT  NOT NULL,
    absolute_expires_at  BIGINT  NOT NULL,
    user_agent           TEXT    NOT NULL,
    client_ip            TEXT    NOT NULL,
    ended_at             BIGINT
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE sign_in_failures (
    id       INTEGER PRIMARY KEY,
    scope    TEXT    NOT NULL,                      -- 'account:<email>' or 'ip:<address>'
    at       BIGINT  NOT NULL
);
CREATE INDEX sign_in_failures_scope_at ON sign_in_failures (scope, at);

CREATE TABLE password_resets (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT    NOT NULL,
    user_id     BIGINT  NOT NULL REFERENCES users (id),
    created_by  BIGINT  NOT NULL REFERENCES users (id),
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT,
    CONSTRAINT password_resets_token_hash_key UNIQUE (token_hash)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          BIGINT  NOT NULL,
    actor_id    BIGINT  REFERENCES users (id),
    action      TEXT    NOT NULL,                   -- e.g. 'invitation.create'
    subject     TEXT    NOT NULL,                   -- e.g. 'cohort:3'
    detail      TEXT    NOT NULL DEFAULT '{}'       -- JSON
);
CREATE INDEX audit_log_subject ON audit_log (subject);
