//! Claiming a badge into a wallet through a VC-API exchange (W3C VC API, "exchanges"; the
//! protocol the Learner Credential Wallet and LearnCard speak):
//!
//! 1. the holder, signed in, opens an exchange for one of their live credentials
//!    ([`open_exchange`]); it lasts [`EXCHANGE_TTL_MS`] and is used once;
//! 2. the wallet POSTs `{}` and gets a `VerifiablePresentationRequest` for
//!    `DIDAuthentication` with a fresh challenge ([`request_did_auth`]);
//! 3. the wallet POSTs a presentation signed by its DID for that challenge; we verify it and
//!    issue a copy of the badge bound to the DID ([`complete`]).
//!
//! Every step reads and writes the database, so any instance can take any step.

use super::*;
use crate::credentials::proof::verify_did_auth;

/// How long an exchange stays open: 15 minutes, in milliseconds.
pub const EXCHANGE_TTL_MS: i64 = 15 * 60 * 1000;

/// The URL of an exchange: `<base>/exchanges/<token>`.
pub fn exchange_url(base: &str, token: &str) -> String {
    format!("{base}/exchanges/{token}")
}

/// Whether `token` has the shape of an exchange token (32 lowercase hex digits).
pub fn valid_token(token: &str) -> bool {
    token.len() == 32
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// An offer to a wallet, as stored, with its credential's state.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ExchangeRow {
    pub id: i64,
    pub token: String,
    pub pre_authorized_code: String,
    pub tx_code: String,
    pub c_nonce: Option<String>,
    pub access_token: Option<String>,
    pub credential_id: i64,
    pub user_id: i64,
    pub challenge: Option<String>,
    pub expires_at: i64,
    pub completed_at: Option<i64>,
    pub holder_did: Option<String>,
    pub revoked_at: Option<i64>,
    pub document: String,
    pub include_name: i64,
    pub holder_name: String,
}

impl ExchangeRow {
    /// The name to put in the copy, when the holder chose to.
    pub fn name_in_copy(&self) -> Option<&str> {
        (self.include_name != 0).then_some(self.holder_name.as_str())
    }
}

pub(super) const EXCHANGE_SELECT: &str = "SELECT x.id, x.token, x.pre_authorized_code, x.tx_code, \
     x.c_nonce, x.access_token, x.credential_id, x.user_id, x.challenge, \
     x.expires_at, x.completed_at, x.holder_did, c.revoked_at, c.document, x.include_name, \
     u.name AS holder_name \
     FROM wallet_exchanges x JOIN credentials c ON c.id = x.credential_id \
     JOIN users u ON u.id = x.user_id";

/// Opens an exchange for the holder's credential `public_id`; `include_name`: the holder's name
/// goes in the copy (an unhashed `IdentityObject`; otherwise wallets show no recipient). `None`
/// when the credential is not theirs or is revoked (the caller answers "not found" either way).
pub async fn open_exchange(
    db: &Db,
    user_id: i64,
    public_id: &str,
    include_name: bool,
    now: i64,
) -> anyhow::Result<Option<String>> {
    let credential: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM credentials WHERE public_id = $1 AND user_id = $2 AND revoked_at IS NULL",
    )
    .bind(public_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await
    .context("credential for a wallet")?;
    let Some(credential) = credential else {
        return Ok(None);
    };
    let token = super::award::random_hex(16);
    let mut tx = db.begin_write().await.context("begin")?;
    sqlx::query(
        "INSERT INTO wallet_exchanges (token, credential_id, user_id, pre_authorized_code, tx_code, \
         created_at, expires_at, include_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&token)
    .bind(credential)
    .bind(user_id)
    .bind(super::award::random_hex(16))
    .bind(super::oid4vci_metadata::new_tx_code())
    .bind(now)
    .bind(now + EXCHANGE_TTL_MS)
    .bind(i64::from(include_name))
    .execute(&mut *tx)
    .await
    .context("open exchange")?;
    audit::record_in(
        &mut tx,
        Some(user_id),
        "credential.wallet-offer",
        &format!("credential:{public_id}"),
        &json!({ "expires_at": now + EXCHANGE_TTL_MS, "include_name": include_name }).to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(Some(token))
}

/// The newest exchange `user_id` opened for their credential `public_id`, open or not.
pub async fn latest_exchange(
    db: &Db,
    user_id: i64,
    public_id: &str,
) -> anyhow::Result<Option<ExchangeRow>> {
    sqlx::query_as(&format!(
        "{EXCHANGE_SELECT} WHERE c.public_id = $1 AND x.user_id = $2 AND c.user_id = $2 \
         ORDER BY x.created_at DESC, x.id DESC LIMIT 1"
    ))
    .bind(public_id)
    .bind(user_id)
    .fetch_optional(db.pool())
    .await
    .context("latest exchange")
}

/// Why a wallet's step was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ExchangeRefused {
    /// No such exchange, or it expired, or its credential was revoked: the wallet must ask
    /// the holder for a new one.
    Gone,
    /// It was already used to issue a copy.
    Used,
    /// No challenge was given yet (the wallet skipped the first step), or another
    /// presentation used it first.
    NoChallenge,
    /// The presentation did not prove control of a DID for our challenge; says why.
    NotProven(String),
}

async fn find(db: &Db, token: &str) -> anyhow::Result<Option<ExchangeRow>> {
    sqlx::query_as(&format!("{EXCHANGE_SELECT} WHERE x.token = $1"))
        .bind(token)
        .fetch_optional(db.pool())
        .await
        .context("exchange")
}

pub(super) fn usable(row: Option<ExchangeRow>, now: i64) -> Result<ExchangeRow, ExchangeRefused> {
    match row {
        None => Err(ExchangeRefused::Gone),
        Some(r) if r.completed_at.is_some() => Err(ExchangeRefused::Used),
        Some(r) if r.expires_at <= now || r.revoked_at.is_some() => Err(ExchangeRefused::Gone),
        Some(r) => Ok(r),
    }
}

/// Step 2: a fresh challenge for the exchange (replacing any earlier one). Answers the
/// `VerifiablePresentationRequest` (VC API, "Exchanges"; DID Authentication query of the
/// Verifiable Presentation Request specification).
pub async fn request_did_auth(
    db: &Db,
    issuer: &Issuer,
    token: &str,
    now: i64,
) -> anyhow::Result<Result<Value, ExchangeRefused>> {
    let row = match usable(find(db, token).await?, now) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let challenge = super::award::random_hex(16);
    let changed = sqlx::query(
        "UPDATE wallet_exchanges SET challenge = $1 WHERE id = $2 AND completed_at IS NULL",
    )
    .bind(&challenge)
    .bind(row.id)
    .execute(db.writer())
    .await
    .context("challenge")?;
    if changed.rows_affected() != 1 {
        return Ok(Err(ExchangeRefused::Used));
    }
    Ok(Ok(json!({
        "verifiablePresentationRequest": {
            "query": [{
                "type": "DIDAuthentication",
                "acceptedMethods": [{ "method": "key" }],
                "acceptedCryptosuites": [
                    { "cryptosuite": "eddsa-rdfc-2022" },
                    { "cryptosuite": "Ed25519Signature2020" },
                ],
            }],
            "challenge": challenge,
            "domain": issuer.base_url,
        }
    })))
}

/// Step 3: verifies the holder's DID Authentication presentation against the exchange's
/// challenge and our domain, then issues the copy bound to the DID and closes the exchange,
/// in one transaction (a second presentation, on this instance or another, finds it used).
/// Answers the presentation carrying the copy.
pub async fn complete(
    db: &Db,
    issuer: &Issuer,
    token: &str,
    presentation: Value,
    now: i64,
) -> anyhow::Result<Result<Value, ExchangeRefused>> {
    let row = match usable(find(db, token).await?, now) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e)),
    };
    let Some(challenge) = row.challenge.clone() else {
        return Ok(Err(ExchangeRefused::NoChallenge));
    };
    let domain = issuer.base_url.clone();
    let original: Value = serde_json::from_str(&row.document).context("stored credential")?;
    let signer = issuer.clone();
    let name = row.name_in_copy().map(str::to_owned);
    // Canonicalising the presentation and signing the copy cost CPU: off the async workers.
    let outcome = crate::work::cpu("claim into a wallet", move || {
        let holder = verify_did_auth(&presentation, &challenge, &domain, ContextLoader::bundled())
            .map_err(|e| ExchangeRefused::NotProven(e.to_string()))?
            .controller;
        let copy = bound_copy(&original, &holder, name.as_deref());
        Ok::<_, ExchangeRefused>(sign_document(&signer, &copy, now).map(|signed| (holder, signed)))
    })
    .await?;
    let (holder, signed) = match outcome {
        Ok(signed) => signed?,
        Err(e) => return Ok(Err(e)),
    };
    let closed = store_copy(
        db,
        &row,
        "vcapi",
        "challenge = $4",
        row.challenge.as_deref().unwrap_or_default(),
        &holder,
        &signed,
        now,
    )
    .await?;
    if !closed {
        return Ok(Err(ExchangeRefused::NoChallenge));
    }
    Ok(Ok(json!({
        "verifiablePresentation": {
            "@context": [crate::credentials::loader::CREDENTIALS_V2],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [signed],
        }
    })))
}

/// Closes the offer and stores the copy, in one transaction; `false` when the offer was no
/// longer open with `guard` (a condition on `$4`, the step's single-use secret), which means
/// another wallet, on this instance or another, got there first.
#[allow(clippy::too_many_arguments)]
pub(super) async fn store_copy(
    db: &Db,
    row: &ExchangeRow,
    protocol: &str,
    guard: &str,
    secret: &str,
    holder: &str,
    signed: &Value,
    now: i64,
) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin")?;
    let closed = sqlx::query(&format!(
        "UPDATE wallet_exchanges SET completed_at = $1, holder_did = $2, challenge = NULL, \
         access_token = NULL, c_nonce = NULL, protocol = $5 \
         WHERE id = $3 AND completed_at IS NULL AND {guard} AND expires_at > $1"
    ))
    .bind(now)
    .bind(holder)
    .bind(row.id)
    .bind(secret)
    .bind(protocol)
    .execute(&mut *tx)
    .await
    .context("close exchange")?;
    if closed.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO credential_copies (credential_id, exchange_id, holder_did, document, issued_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(row.credential_id)
    .bind(row.id)
    .bind(holder)
    .bind(signed.to_string())
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("store copy")?;
    let copy_id = signed
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    audit::record_in(
        &mut tx,
        Some(row.user_id),
        "credential.wallet-claim",
        &format!("credential:{}", row.credential_id),
        &json!({ "protocol": protocol, "holder": holder, "copy": copy_id }).to_string(),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(true)
}

/// The unsigned copy of a signed credential, bound to `holder` (a DID): a new `id`
/// (`urn:uuid:`), `credentialSubject.id` = the DID, everything else (achievement, results,
/// evidence, dates, status entry) as issued; with `name`, an unhashed `IdentityObject` of type
/// `name` added to the subject's identifiers (OB 3.0 §B.1.12).
pub fn bound_copy(original: &Value, holder: &str, name: Option<&str>) -> Value {
    let mut copy = original.clone();
    if let Some(map) = copy.as_object_mut() {
        map.remove("proof");
        map.insert(
            "id".into(),
            format!("urn:uuid:{}", uuid::Uuid::new_v4()).into(),
        );
        if let Some(Value::Object(subject)) = map.get_mut("credentialSubject") {
            subject.insert("id".into(), holder.into());
            if let Some(name) = name {
                let entry = json!({
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": false,
                    "identityHash": name,
                });
                match subject.get_mut("identifier") {
                    Some(Value::Array(list)) => list.push(entry),
                    _ => {
                        subject.insert("identifier".into(), json!([entry]));
                    }
                }
            }
        }
    }
    copy
}
