-- E-mail through a transactional outbox, and sign-up confirmed by e-mail.

-- Messages to send. A row is written in the same transaction as the event that causes it, so a
-- message exists exactly when its event happened; a background sender delivers it (SMTP_URL, or
-- a folder in development), retrying with backoff. An instance takes a message by moving its
-- lease forward with a conditional UPDATE, so two instances never send the same row at once.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT    NOT NULL,            -- 'sign_up.confirm', 'sign_up.existing', ...
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body_text        TEXT    NOT NULL,
    body_html        TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL,
    attempts         BIGINT  NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT  NOT NULL,            -- not before (epoch ms)
    lease_until      BIGINT  NOT NULL DEFAULT 0,  -- an instance is sending it until then
    sent_at          BIGINT,
    failed_at        BIGINT,                      -- gave up after the last attempt
    last_error       TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- A sign-up through an invitation waits for its address to be confirmed: the link in the
-- e-mail (its SHA-256 stored here) leads to choosing a password, which creates the account.
-- The answer to the sign-up form is the same whether or not the address has an account.
CREATE TABLE sign_up_requests (
    id             INTEGER PRIMARY KEY,
    token_hash     TEXT    NOT NULL UNIQUE,
    invitation_id  BIGINT  NOT NULL REFERENCES invitations (id),
    email          TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL,
    used_at        BIGINT
);
