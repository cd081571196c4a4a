//! OpenID for Verifiable Credential Issuance 1.0: what a wallet reads before it asks for
//! anything — the credential offer (§4.1) and its link, the issuer's metadata (§12.2) and the
//! authorisation server's (RFC 8414). Pure functions of the issuer; the endpoints that act are
//! in `oid4vci.rs`.

use super::*;

/// Our one credential configuration: an Open Badges 3.0 credential with a Data Integrity proof.
pub const CONFIGURATION_ID: &str = "OpenBadgeCredential_ldp_vc";
/// Grant type of the pre-authorised code flow.
pub const PRE_AUTHORIZED_GRANT: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";

/// A six-digit PIN, uniformly drawn.
pub fn new_tx_code() -> String {
    format!(
        "{:06}",
        rand::Rng::random_range(&mut rand::rng(), 0..1_000_000u32)
    )
}

/// The credential offer (§4.1.1) for a pre-authorised code.
pub fn offer(issuer: &Issuer, code: &str) -> Value {
    json!({
        "credential_issuer": issuer.base_url,
        "credential_configuration_ids": [CONFIGURATION_ID],
        "grants": {
            PRE_AUTHORIZED_GRANT: {
                "pre-authorized_code": code,
                "tx_code": {
                    "input_mode": "numeric",
                    "length": 6,
                    "description": "The PIN shown beside the QR code on your credential's page",
                },
            },
        },
    })
}

/// `openid-credential-offer://?credential_offer=<the offer, URL-encoded>` (§4.1).
pub fn offer_link(issuer: &Issuer, code: &str) -> String {
    format!(
        "openid-credential-offer://?credential_offer={}",
        crate::domain::url::encode(&offer(issuer, code).to_string())
    )
}

/// Credential issuer metadata (§12.2), served at `/.well-known/openid-credential-issuer`.
pub fn issuer_metadata(issuer: &Issuer) -> Value {
    let base = &issuer.base_url;
    json!({
        "credential_issuer": base,
        "credential_endpoint": format!("{base}/oid4vci/credential"),
        "nonce_endpoint": format!("{base}/oid4vci/nonce"),
        "token_endpoint": format!("{base}/oid4vci/token"),
        "display": [{ "name": issuer.name, "locale": "en" }],
        "credential_configurations_supported": {
            CONFIGURATION_ID: {
                "format": "ldp_vc",
                "scope": "OpenBadgeCredential",
                "cryptographic_binding_methods_supported": ["did:key"],
                "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
                "proof_types_supported": {
                    "jwt": { "proof_signing_alg_values_supported": ["EdDSA"] },
                },
                "credential_definition": {
                    "@context": [
                        crate::credentials::loader::CREDENTIALS_V2,
                        crate::credentials::loader::OB_V3P0_3_0_3,
                    ],
                    "type": ["VerifiableCredential", "OpenBadgeCredential"],
                },
                "display": [{ "name": "Open Badge", "locale": "en" }],
            },
        },
    })
}

/// Authorisation server metadata (RFC 8414), served at
/// `/.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`: the
/// issuer is its own authorisation server, for the pre-authorised code grant only.
pub fn authorization_server_metadata(issuer: &Issuer) -> Value {
    let base = &issuer.base_url;
    json!({
        "issuer": base,
        "token_endpoint": format!("{base}/oid4vci/token"),
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": true,
        "response_types_supported": [],
    })
}
