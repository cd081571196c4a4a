-- Claiming a badge into a wallet through a VC-API exchange: the wallet proves it controls a
-- DID, and we issue a copy of the badge bound to it. Every step is a database row, so any
-- instance can continue an exchange another one began.

CREATE TABLE wallet_exchanges (
    id             INTEGER PRIMARY KEY,
    token          TEXT    NOT NULL UNIQUE,  -- random; the exchange URL is <base>/exchanges/<token>
    credential_id  BIGINT  NOT NULL REFERENCES credentials (id),
    user_id        BIGINT  NOT NULL REFERENCES users (id),   -- the holder who opened it
    protocol       TEXT    NOT NULL,         -- 'vcapi'
    challenge      TEXT,                     -- the latest DIDAuthentication challenge given
    created_at     BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL,
    completed_at   BIGINT,
    holder_did     TEXT                      -- the DID the copy was bound to
);
CREATE INDEX wallet_exchanges_holder ON wallet_exchanges (user_id, credential_id);

-- Copies of a credential bound to a holder's DID (credentialSubject.id), with the original's
-- achievement, results and status list entry: revoking the original revokes every copy.
CREATE TABLE credential_copies (
    id             INTEGER PRIMARY KEY,
    credential_id  BIGINT  NOT NULL REFERENCES credentials (id),
    exchange_id    BIGINT  NOT NULL UNIQUE REFERENCES wallet_exchanges (id),
    holder_did     TEXT    NOT NULL,
    document       TEXT    NOT NULL,         -- the signed copy, JSON
    issued_at      BIGINT  NOT NULL
);
CREATE INDEX credential_copies_credential ON credential_copies (credential_id);
