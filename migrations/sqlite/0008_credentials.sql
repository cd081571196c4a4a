-- Credentials: Open Badges 3.0 badges signed with the institution's Ed25519 key (eddsa-rdfc-2022),
-- one status list for revocation, and the texts of the achievements (from the framework file).

-- The micro-credential a framework awards (empty name: the framework awards none).
ALTER TABLE frameworks ADD COLUMN credential_name TEXT NOT NULL DEFAULT '';
ALTER TABLE frameworks ADD COLUMN credential_description TEXT NOT NULL DEFAULT '';
ALTER TABLE frameworks ADD COLUMN credential_criteria TEXT NOT NULL DEFAULT '';

-- The issuer's signing keys. The newest unretired one signs; retired ones stay published in
-- did.json so the badges they signed still verify. The secret is sealed with ChaCha20-Poly1305
-- under CREDENTIAL_KEY (see docs/decisions.md, "Credentials").
CREATE TABLE issuer_keys (
    id             INTEGER PRIMARY KEY,
    fragment       TEXT    NOT NULL UNIQUE,   -- 'key-1': the verification method is <did>#key-1
    public_key     TEXT    NOT NULL,          -- Multikey publicKeyMultibase
    sealed_secret  TEXT    NOT NULL,          -- base64(nonce || ciphertext)
    created_at     BIGINT  NOT NULL,
    retired_at     BIGINT
);

CREATE TABLE credentials (
    id              INTEGER PRIMARY KEY,
    public_id       TEXT    NOT NULL UNIQUE,  -- random; the credential is <base>/credentials/<public_id>
    user_id         BIGINT  NOT NULL REFERENCES users (id),
    framework_id    BIGINT  NOT NULL REFERENCES frameworks (id),
    achievement     TEXT    NOT NULL,         -- 'domain:<slug>' or 'micro-credential'
    status_list     BIGINT  NOT NULL DEFAULT 1,
    status_index    BIGINT  NOT NULL,
    key_id          BIGINT  NOT NULL REFERENCES issuer_keys (id),
    document        TEXT    NOT NULL,         -- the signed credential, JSON
    issued_at       BIGINT  NOT NULL,
    show_name       INTEGER NOT NULL DEFAULT 0,   -- the holder shows their name on the public page
    revoked_at      BIGINT,
    revoked_by      BIGINT  REFERENCES users (id),
    revoked_reason  TEXT    NOT NULL DEFAULT '',
    CONSTRAINT credentials_status_slot UNIQUE (status_list, status_index)
);
CREATE INDEX credentials_user ON credentials (user_id);
-- Never two live credentials for the same achievement (a revoked one may be issued again).
CREATE UNIQUE INDEX credentials_live ON credentials (user_id, framework_id, achievement)
    WHERE revoked_at IS NULL;

-- Signed BitstringStatusListCredential documents, re-signed whenever a bit changes.
CREATE TABLE status_lists (
    id          INTEGER PRIMARY KEY,
    document    TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);

-- The Learning Statement each teacher writes and owns: their texts and the parts they include.
CREATE TABLE learning_statements (
    user_id           BIGINT  PRIMARY KEY REFERENCES users (id),
    objectives        TEXT    NOT NULL DEFAULT '',
    changes           TEXT    NOT NULL DEFAULT '',
    activities        TEXT    NOT NULL DEFAULT '',
    technical_skills  TEXT    NOT NULL DEFAULT '',
    social_skills     TEXT    NOT NULL DEFAULT '',
    tasks             TEXT    NOT NULL DEFAULT '',
    included          TEXT    NOT NULL,   -- comma-separated part keys, statement order
    updated_at        BIGINT  NOT NULL
);
