//! OpenID for Verifiable Credential Issuance 1.0, pre-authorised code flow, over the same
//! offers as the VC-API exchange (one offer, claimable once, by either protocol):
//!
//! * the offer (§4.1): `credential_configuration_ids` = [`CONFIGURATION_ID`], a
//!   `pre-authorized_code` and a six-digit `tx_code` (the PIN the holder's page shows);
//! * the token endpoint (§6): the code and the PIN for an access token and a `c_nonce`; the
//!   code is used once, and five wrong PINs void the offer;
//! * the nonce endpoint (§7): fresh nonces for wallets that ask there;
//! * the credential endpoint (§8): with the access token, a `jwt` key proof carrying one of our
//!   nonces; answers the badge's copy bound to the proof's did:key, format `ldp_vc`.
//!
//! Drafts still in use differ in details; see [`credential_request`] for what is accepted.

use super::*;
use crate::credentials::jws::verify_key_proof;

/// How long an access token and its `c_nonce` last: 5 minutes, in milliseconds.
pub const ACCESS_TTL_MS: i64 = 5 * 60 * 1000;
/// How many wrong PINs void an offer.
pub const MAX_TX_FAILURES: i64 = 5;
/// Most unexpired nonces the nonce endpoint keeps; beyond, it answers "busy".
pub const MAX_LIVE_NONCES: i64 = 10_000;

/// An OAuth or OID4VCI error: its `error` code (RFC 6749 §5.2, OID4VCI §6.3 and §8.3.1) and a
/// description naming the field.
#[derive(Debug, PartialEq, Eq)]
pub struct OauthError {
    pub code: &'static str,
    pub description: String,
}

fn refuse<T>(code: &'static str, description: impl Into<String>) -> Result<T, OauthError> {
    Err(OauthError {
        code,
        description: description.into(),
    })
}

/// Whether two secrets are equal, in time independent of where they differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The token endpoint (§6): `form` is the request's fields. Answers the token response.
pub async fn token(
    db: &Db,
    form: &[(String, String)],
    now: i64,
) -> anyhow::Result<Result<Value, OauthError>> {
    let field = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if field("grant_type") != Some(PRE_AUTHORIZED_GRANT) {
        return Ok(refuse(
            "unsupported_grant_type",
            format!("grant_type: only {PRE_AUTHORIZED_GRANT} is supported"),
        ));
    }
    let Some(code) = field("pre-authorized_code").filter(|c| !c.is_empty()) else {
        return Ok(refuse("invalid_request", "pre-authorized_code: missing"));
    };
    let row: Option<ExchangeRow> = sqlx::query_as(&format!(
        "{EXCHANGE_SELECT} WHERE x.pre_authorized_code = $1"
    ))
    .bind(code)
    .fetch_optional(db.pool())
    .await
    .context("offer by code")?;
    let row = match super::wallet::usable(row, now) {
        Ok(r) if r.access_token.is_none() => r,
        _ => {
            return Ok(refuse(
                "invalid_grant",
                "pre-authorized_code: unknown, used or expired; open a new offer on the credential's page",
            ))
        }
    };
    // Draft wallets send the PIN as user_pin, later ones as tx_code (some send both).
    let pin = field("tx_code")
        .or_else(|| field("user_pin"))
        .unwrap_or_default();
    if !same_secret(pin, &row.tx_code) {
        let failed = sqlx::query(
            "UPDATE wallet_exchanges SET tx_failures = tx_failures + 1, \
             expires_at = CASE WHEN tx_failures + 1 >= $2 THEN 0 ELSE expires_at END \
             WHERE id = $1",
        )
        .bind(row.id)
        .bind(MAX_TX_FAILURES)
        .execute(db.writer())
        .await
        .context("count a wrong PIN")?;
        debug_assert!(failed.rows_affected() <= 1);
        return Ok(refuse(
            "invalid_grant",
            "tx_code: not the PIN shown on the credential's page",
        ));
    }
    let access = super::award::random_hex(16);
    let nonce = super::award::random_hex(16);
    let expires = (now + ACCESS_TTL_MS).min(row.expires_at);
    let granted = sqlx::query(
        "UPDATE wallet_exchanges SET access_token = $1, access_expires_at = $2, c_nonce = $3 \
         WHERE id = $4 AND access_token IS NULL AND completed_at IS NULL",
    )
    .bind(&access)
    .bind(expires)
    .bind(&nonce)
    .bind(row.id)
    .execute(db.writer())
    .await
    .context("grant a token")?;
    if granted.rows_affected() != 1 {
        return Ok(refuse("invalid_grant", "pre-authorized_code: already used"));
    }
    let seconds = (expires - now).max(0) / 1000;
    Ok(Ok(json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": seconds,
        "c_nonce": nonce,
        "c_nonce_expires_in": seconds,
    })))
}

/// The nonce endpoint (§7): a fresh nonce, kept [`ACCESS_TTL_MS`]. Expired nonces are removed
/// first; `None` when [`MAX_LIVE_NONCES`] are live (the caller answers "busy").
pub async fn nonce(db: &Db, now: i64) -> anyhow::Result<Option<String>> {
    sqlx::query("DELETE FROM oid4vci_nonces WHERE expires_at <= $1")
        .bind(now)
        .execute(db.writer())
        .await
        .context("expire nonces")?;
    let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM oid4vci_nonces")
        .fetch_one(db.pool())
        .await
        .context("count nonces")?;
    if live >= MAX_LIVE_NONCES {
        return Ok(None);
    }
    let nonce = super::award::random_hex(16);
    sqlx::query("INSERT INTO oid4vci_nonces (nonce, expires_at) VALUES ($1, $2)")
        .bind(&nonce)
        .bind(now + ACCESS_TTL_MS)
        .execute(db.writer())
        .await
        .context("store nonce")?;
    Ok(Some(nonce))
}

/// The key proof JWT of a credential request: `proof: {proof_type: "jwt", jwt}` (drafts) or
/// `proofs: {jwt: [jwt]}` (1.0), exactly one. Also checks the request names our credential:
/// `credential_configuration_id` or `credential_identifier` (1.0, draft 15), or `format`
/// `ldp_vc` with a `credential_definition` whose types include `OpenBadgeCredential`
/// (drafts 13–14), or nothing else (the offer named one configuration).
pub fn credential_request(body: &Value) -> Result<String, OauthError> {
    let named = body
        .get("credential_configuration_id")
        .or_else(|| body.get("credential_identifier"))
        .and_then(Value::as_str);
    match (named, body.get("format").and_then(Value::as_str)) {
        (Some(id), _) if id != CONFIGURATION_ID => {
            return refuse(
                "unsupported_credential_configuration",
                format!("credential_configuration_id: only {CONFIGURATION_ID} is offered"),
            )
        }
        (None, Some(format)) => {
            let types_ok = body
                .pointer("/credential_definition/type")
                .and_then(Value::as_array)
                .is_none_or(|t| t.iter().any(|t| t == "OpenBadgeCredential"));
            if format != "ldp_vc" || !types_ok {
                return refuse(
                    "unsupported_credential_format",
                    "format: only ldp_vc OpenBadgeCredential is offered",
                );
            }
        }
        _ => {}
    }
    let single = body.get("proof").map(|p| {
        if p.get("proof_type").and_then(Value::as_str) != Some("jwt") {
            return refuse("invalid_proof", "proof.proof_type: only jwt is accepted");
        }
        p.get("jwt")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| OauthError {
                code: "invalid_proof",
                description: "proof.jwt: missing".into(),
            })
    });
    let many = body.get("proofs").map(|p| {
        match p.get("jwt").and_then(Value::as_array).map(Vec::as_slice) {
            Some([one]) => one.as_str().map(str::to_owned).ok_or_else(|| OauthError {
                code: "invalid_proof",
                description: "proofs.jwt: not a string".into(),
            }),
            _ => refuse(
                "invalid_proof",
                "proofs.jwt: exactly one jwt proof is accepted",
            ),
        }
    });
    match (single, many) {
        (Some(p), None) | (None, Some(p)) => p,
        (Some(_), Some(_)) => refuse("invalid_request", "proof: give proof or proofs, not both"),
        (None, None) => refuse("invalid_proof", "proof: a jwt key proof is required"),
    }
}

/// The credential endpoint (§8): the bearer `access` token, the request `body`. Answers
/// `{"credentials": [{"credential": <copy>}]}`.
pub async fn credential(
    db: &Db,
    issuer: &Issuer,
    access: &str,
    body: &Value,
    now: i64,
) -> anyhow::Result<Result<Value, OauthError>> {
    let row: Option<ExchangeRow> = sqlx::query_as(&format!(
        "{EXCHANGE_SELECT} WHERE x.access_token = $1 AND x.access_expires_at > $2"
    ))
    .bind(access)
    .bind(now)
    .fetch_optional(db.pool())
    .await
    .context("offer by token")?;
    let row = match super::wallet::usable(row, now) {
        Ok(r) => r,
        Err(_) => {
            return Ok(refuse(
                "invalid_token",
                "Authorization: the access token is unknown, used or expired",
            ))
        }
    };
    let jwt = match credential_request(body) {
        Ok(j) => j,
        Err(e) => return Ok(Err(e)),
    };
    let audience = issuer.base_url.clone();
    let proof = match verify_key_proof(&jwt, &audience, now.div_euclid(1000)) {
        Ok(p) => p,
        Err(why) => return Ok(refuse("invalid_proof", format!("proof: {why}"))),
    };
    // The nonce is this token's c_nonce, or one from the nonce endpoint (used up here).
    let fresh = match proof.nonce.as_deref() {
        Some(n) if row.c_nonce.as_deref().is_some_and(|c| same_secret(c, n)) => true,
        Some(n) => {
            sqlx::query("DELETE FROM oid4vci_nonces WHERE nonce = $1 AND expires_at > $2")
                .bind(n)
                .bind(now)
                .execute(db.writer())
                .await
                .context("use a nonce")?
                .rows_affected()
                == 1
        }
        None => false,
    };
    if !fresh {
        return Ok(refuse(
            "invalid_nonce",
            "proof: its nonce is not one this issuer gave, or it was used; ask the nonce endpoint",
        ));
    }
    let original: Value = serde_json::from_str(&row.document).context("stored credential")?;
    let signer = issuer.clone();
    let holder = proof.holder.clone();
    let name = row.name_in_copy().map(str::to_owned);
    let signed = crate::work::cpu("issue to a wallet", move || {
        sign_document(
            &signer,
            &bound_copy(&original, &holder, name.as_deref()),
            now,
        )
    })
    .await??;
    let closed = super::wallet::store_copy(
        db,
        &row,
        "oid4vci",
        "access_token = $4",
        access,
        &proof.holder,
        &signed,
        now,
    )
    .await?;
    if !closed {
        return Ok(refuse(
            "invalid_token",
            "Authorization: the access token was used",
        ));
    }
    Ok(Ok(json!({ "credentials": [{ "credential": signed }] })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_name_our_credential_and_carry_one_jwt_proof() {
        let jwt = "h.p.s";
        let ok = [
            json!({"credential_configuration_id": CONFIGURATION_ID, "proof": {"proof_type": "jwt", "jwt": jwt}}),
            json!({"credential_configuration_id": CONFIGURATION_ID, "proofs": {"jwt": [jwt]}}),
            json!({"credential_identifier": CONFIGURATION_ID, "proofs": {"jwt": [jwt]}}),
            json!({"format": "ldp_vc", "credential_definition": {"type": ["VerifiableCredential", "OpenBadgeCredential"]}, "proofs": {"jwt": [jwt]}}),
            json!({"format": "ldp_vc", "proof": {"proof_type": "jwt", "jwt": jwt}}),
            json!({"proof": {"proof_type": "jwt", "jwt": jwt}}),
        ];
        for body in ok {
            assert_eq!(credential_request(&body).as_deref(), Ok(jwt), "{body}");
        }
        let refused = [
            (
                json!({"credential_configuration_id": "Other", "proofs": {"jwt": [jwt]}}),
                "unsupported_credential_configuration",
            ),
            (
                json!({"format": "jwt_vc_json", "proofs": {"jwt": [jwt]}}),
                "unsupported_credential_format",
            ),
            (
                json!({"format": "ldp_vc", "credential_definition": {"type": ["VerifiableCredential"]}, "proofs": {"jwt": [jwt]}}),
                "unsupported_credential_format",
            ),
            (json!({"proofs": {"jwt": [jwt, jwt]}}), "invalid_proof"),
            (json!({"proofs": {"jwt": []}}), "invalid_proof"),
            (json!({"proofs": {"ldp_vp": [{}]}}), "invalid_proof"),
            (
                json!({"proof": {"proof_type": "cwt", "cwt": "x"}}),
                "invalid_proof",
            ),
            (json!({"proof": {"proof_type": "jwt"}}), "invalid_proof"),
            (
                json!({"proof": {"proof_type": "jwt", "jwt": jwt}, "proofs": {"jwt": [jwt]}}),
                "invalid_request",
            ),
            (json!({}), "invalid_proof"),
        ];
        for (body, code) in refused {
            let e = credential_request(&body).expect_err("refused");
            assert_eq!(e.code, code, "{body}");
            assert!(
                e.description.starts_with("proof")
                    || e.description.starts_with("credential_configuration_id")
                    || e.description.starts_with("format"),
                "{}",
                e.description
            );
        }
    }

    #[test]
    fn pins_are_six_digits_and_compared_whole() {
        for _ in 0..100 {
            let pin = new_tx_code();
            assert_eq!(pin.len(), 6);
            assert!(pin.bytes().all(|b| b.is_ascii_digit()));
        }
        assert!(same_secret("012345", "012345"));
        assert!(!same_secret("012345", "012346"));
        assert!(!same_secret("012345", "01234"));
        assert!(!same_secret("", "0"));
    }
}
