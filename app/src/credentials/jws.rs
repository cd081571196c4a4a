//! OpenID for Verifiable Credential Issuance 1.0, §F.1 "jwt" key proofs: a compact JWS
//! (RFC 7515) signed by the wallet's key, by which it proves it holds the key the credential
//! will be bound to. Only `EdDSA` (Ed25519, RFC 8037) with a `did:key` `kid` is accepted: the
//! key is in the identifier, so nothing is fetched.

use base64::Engine as _;
use ed25519_dalek::{Signature, Verifier};
use serde_json::Value;

use super::keys::resolve_did_key;

/// The `typ` a key proof must carry (OID4VCI §F.1).
pub const PROOF_TYP: &str = "openid4vci-proof+jwt";
/// Longest key proof accepted, in bytes (a did:key proof is about 400).
pub const MAX_PROOF_BYTES: usize = 4096;
/// How far a proof's `iat` may be in the future (clock skew), in seconds.
pub const IAT_FUTURE_SKEW_S: i64 = 60;
/// How old a proof's `iat` may be, in seconds.
pub const IAT_MAX_AGE_S: i64 = 300;

/// What a verified key proof says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyProof {
    /// The DID of the key that signed it (`kid` without its fragment).
    pub holder: String,
    /// The `nonce` claim (the issuer's `c_nonce`), if any.
    pub nonce: Option<String>,
}

fn part(text: &str, what: &str) -> Result<Value, String> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| format!("its {what} is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|_| format!("its {what} is not JSON"))
}

/// Verifies a `jwt` key proof for the credential issuer `audience` at `now_s` (seconds since
/// the epoch): the header (`typ`, `alg` EdDSA, a did:key `kid`), the Ed25519 signature over
/// `header.payload`, `aud`, and `iat` within [now − 300 s, now + 60 s] (and `exp`, when
/// given, not past). Errors: a sentence naming what is wrong.
pub fn verify_key_proof(jwt: &str, audience: &str, now_s: i64) -> Result<KeyProof, String> {
    if jwt.len() > MAX_PROOF_BYTES {
        return Err(format!("it is longer than {MAX_PROOF_BYTES} bytes"));
    }
    let mut parts = jwt.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("it is not a compact JWS (three parts)".into());
    };
    let header = part(h, "header")?;
    let payload = part(p, "payload")?;
    if header.get("typ").and_then(Value::as_str) != Some(PROOF_TYP) {
        return Err(format!("its typ is not {PROOF_TYP}"));
    }
    if header.get("alg").and_then(Value::as_str) != Some("EdDSA") {
        return Err("its alg is not EdDSA".into());
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or("it has no kid")?;
    if !kid.starts_with("did:key:") {
        return Err("its kid is not a did:key".into());
    }
    let key = resolve_did_key(kid).map_err(|e| format!("its kid cannot be used: {e}"))?;
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .ok()
        .and_then(|b| Signature::from_slice(&b).ok())
        .ok_or("its signature is not 64 bytes of base64url")?;
    key.key
        .verify(format!("{h}.{p}").as_bytes(), &signature)
        .map_err(|_| "its signature does not verify with its kid".to_owned())?;
    let aud_ok = match payload.get("aud") {
        Some(Value::String(a)) => a == audience,
        Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
        _ => false,
    };
    if !aud_ok {
        return Err(format!("its aud is not {audience}"));
    }
    let iat = payload
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or("it has no iat")?;
    if iat > now_s + IAT_FUTURE_SKEW_S || iat < now_s - IAT_MAX_AGE_S {
        return Err("its iat is not within the last five minutes".into());
    }
    if payload
        .get("exp")
        .and_then(Value::as_i64)
        .is_some_and(|exp| exp <= now_s)
    {
        return Err("it has expired".into());
    }
    Ok(KeyProof {
        holder: key.controller,
        nonce: payload
            .get("nonce")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::keys::{did_key, did_key_verification_method};
    use ed25519_dalek::{Signer, SigningKey};
    use serde_json::json;

    fn b64(v: &Value) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    }

    fn proof(key: &SigningKey, header: Value, payload: Value) -> String {
        let input = format!("{}.{}", b64(&header), b64(&payload));
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(key.sign(input.as_bytes()).to_bytes());
        format!("{input}.{sig}")
    }

    const AUD: &str = "https://badges.example.org";
    const NOW: i64 = 1_800_000_000;

    fn good(key: &SigningKey) -> (Value, Value) {
        (
            json!({"typ": PROOF_TYP, "alg": "EdDSA", "kid": did_key_verification_method(&key.verifying_key())}),
            json!({"aud": AUD, "iat": NOW - 60, "exp": NOW + 600, "nonce": "n-1"}),
        )
    }

    #[test]
    fn a_wallets_proof_verifies_and_names_its_did_and_nonce() {
        let key = SigningKey::from_bytes(&[3u8; 32]);
        let (h, p) = good(&key);
        let got = verify_key_proof(&proof(&key, h, p), AUD, NOW).expect("valid");
        assert_eq!(got.holder, did_key(&key.verifying_key()));
        assert_eq!(got.nonce.as_deref(), Some("n-1"));
    }

    /// Each claim and header changed in turn, each refused with a reason.
    #[test]
    fn every_wrong_field_is_refused() {
        let key = SigningKey::from_bytes(&[3u8; 32]);
        let other = SigningKey::from_bytes(&[4u8; 32]);
        let (h, p) = good(&key);
        let mut cases: Vec<(Value, Value, &SigningKey)> = Vec::new();
        for (k, v) in [
            ("typ", json!("JWT")),
            ("alg", json!("ES256")),
            ("kid", json!("did:web:example.org#key-1")),
            (
                "kid",
                json!(did_key_verification_method(&other.verifying_key())),
            ),
        ] {
            let mut h2 = h.clone();
            h2[k] = v;
            cases.push((h2, p.clone(), &key));
        }
        for (k, v) in [
            ("aud", json!("https://elsewhere.example")),
            ("iat", json!(NOW - 3600)),
            ("iat", json!(NOW + 3600)),
            ("exp", json!(NOW - 1)),
            ("aud", Value::Null),
        ] {
            let mut p2 = p.clone();
            p2[k] = v;
            cases.push((h.clone(), p2, &key));
        }
        cases.push((h.clone(), p.clone(), &other));
        for (h2, p2, signer) in cases {
            let jwt = proof(signer, h2.clone(), p2.clone());
            assert!(verify_key_proof(&jwt, AUD, NOW).is_err(), "{h2} {p2}");
        }
        let valid = proof(&key, h, p);
        for broken in [
            valid.replacen('.', "", 1),
            format!("{valid}.x"),
            valid[..valid.len() - 2].to_owned(),
            "a.b.c".to_owned(),
            "x".repeat(MAX_PROOF_BYTES + 1),
        ] {
            assert!(verify_key_proof(&broken, AUD, NOW).is_err(), "{broken}");
        }
    }
}
