-- Claiming a badge into a wallet: one offer, claimable once, through a VC-API exchange (the
-- wallet proves it controls a DID) or OpenID for Verifiable Credential Issuance (pre-authorised
-- code, PIN, access token, key proof); either way we issue a copy of the badge bound to the
-- wallet's DID. Every step is a database row, so any instance can continue an offer another
-- one began.

CREATE TABLE wallet_exchanges (
    id             INTEGER PRIMARY KEY,
    token          TEXT    NOT NULL UNIQUE,  -- random; the exchange URL is <base>/exchanges/<token>
    credential_id  BIGINT  NOT NULL REFERENCES credentials (id),
    user_id        BIGINT  NOT NULL REFERENCES users (id),   -- the holder who opened it
    protocol       TEXT,                     -- how it was claimed: 'vcapi' or 'oid4vci'
    challenge      TEXT,                     -- the latest DIDAuthentication challenge given
    pre_authorized_code TEXT NOT NULL UNIQUE, -- OID4VCI: random, in the credential offer
    tx_code        TEXT    NOT NULL,         -- OID4VCI: the PIN shown to the holder
    tx_failures    BIGINT  NOT NULL DEFAULT 0, -- wrong PINs; the offer is void at 5
    access_token   TEXT    UNIQUE,           -- OID4VCI: issued once for the code
    access_expires_at BIGINT,
    c_nonce        TEXT,                     -- OID4VCI: the nonce the key proof must carry
    include_name   INTEGER NOT NULL DEFAULT 0, -- the holder chose to put their name in the copy
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

-- Nonces given by the OID4VCI nonce endpoint (no token needed to ask), each used once.
CREATE TABLE oid4vci_nonces (
    nonce       TEXT    PRIMARY KEY,
    expires_at  BIGINT  NOT NULL
);

-- A key withdrawn after a compromise (`server withdraw-issuer-key`): no longer published in
-- did.json, so nothing it signed verifies; what it signed is signed again with the next key.
ALTER TABLE issuer_keys ADD COLUMN withdrawn_at BIGINT;
