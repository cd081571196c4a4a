//! The verification report: valid, expired, not yet valid, revoked, tampered, not a badge, and
//! an issuer this verifier does not know: each reported with its reason.
#![cfg(feature = "ssr")]

use app::credentials::keys::{did_key, did_key_verification_method};
use app::credentials::verify::{verify, StatusAnswer};
use app::credentials::{sign, ContextLoader, ProofOptions, Resolver};
use app::domain::credential::Verdict;
use app::domain::time::parse_xsd_date_time;
use ed25519_dalek::SigningKey;
use serde_json::Value;

fn unsigned() -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/ob3-unsigned.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test data");
    serde_json::from_str(&text).expect("test data")
}

/// A did:key credential valid from 2024-05-01, with `valid_until` if given.
fn signed(valid_until: Option<&str>) -> Value {
    let key = SigningKey::from_bytes(&[5u8; 32]);
    let mut doc = unsigned();
    doc["issuer"]["id"] = did_key(&key.verifying_key()).into();
    if let Some(until) = valid_until {
        doc["validUntil"] = until.into();
    }
    let options = ProofOptions::assertion(
        did_key_verification_method(&key.verifying_key()),
        Some("2024-05-01T12:00:00Z".into()),
    );
    sign(&doc, &options, &key, ContextLoader::bundled()).expect("test data")
}

fn at(time: &str) -> i64 {
    parse_xsd_date_time(time).expect("test data")
}

fn check(doc: &Value, status: StatusAnswer, now: &str) -> app::domain::credential::Verification {
    verify(
        doc,
        &Resolver::new(),
        ContextLoader::bundled(),
        &move |_| status.clone(),
        at(now),
    )
}

#[test]
fn a_current_unrevoked_credential_is_valid_and_read_out() {
    let report = check(&signed(None), StatusAnswer::Active, "2026-11-24T00:00:00Z");
    assert_eq!(report.verdict, Verdict::Valid, "{report:?}");
    assert_eq!(report.checks.len(), 5);
    // Everything holds but who the issuer is: a did:key, which anyone can make.
    let (identity, rest): (Vec<_>, Vec<_>) = report
        .checks
        .iter()
        .partition(|c| c.label == "Issuer identity");
    assert!(rest.iter().all(|c| c.ok), "{rest:?}");
    assert!(!identity[0].ok && identity[0].detail.contains("did:key"));
    assert!(report.reason.contains("not confirmed"), "{}", report.reason);
    assert!(report
        .signer
        .as_deref()
        .is_some_and(|s| s.starts_with("did:key:")));
    assert_eq!(report.signature_problem, None);
    let s = report.summary.expect("summary");
    assert_eq!(s.name, "Journal Keeper");
    assert_eq!(s.issuer_name, "Example Badge Issuer");
    assert_eq!(s.valid_from, "2024-05-01T12:00:00Z");
}

#[test]
fn expiry_is_reported() {
    let doc = signed(Some("2025-05-01T12:00:00Z"));
    let before = check(&doc, StatusAnswer::Active, "2025-04-30T00:00:00Z");
    assert_eq!(before.verdict, Verdict::Valid);
    assert!(
        before.checks[2].detail.contains("until 2025-05-01"),
        "{:?}",
        before.checks[2]
    );
    let after = check(&doc, StatusAnswer::Active, "2025-05-01T12:00:00Z");
    assert_eq!(after.verdict, Verdict::Expired);
    assert!(after.reason.contains("expired"));
    assert_eq!(after.checks[2].detail, "Expired on 2025-05-01.");
    assert!(after.checks[1].ok, "the signature itself is still good");
}

#[test]
fn a_credential_not_yet_valid_says_so() {
    let report = check(&signed(None), StatusAnswer::Active, "2024-04-30T00:00:00Z");
    assert_eq!(report.verdict, Verdict::NotYetValid);
    assert_eq!(report.checks[2].detail, "Valid only from 2024-05-01.");
}

#[test]
fn revocation_is_reported_and_outranks_expiry() {
    let doc = signed(Some("2025-05-01T12:00:00Z"));
    let report = check(&doc, StatusAnswer::Revoked, "2024-06-01T00:00:00Z");
    assert_eq!(report.verdict, Verdict::Revoked);
    assert!(report.reason.contains("revoked"));
    assert!(!report.checks[3].ok);
    let report = check(&doc, StatusAnswer::Revoked, "2026-06-01T00:00:00Z");
    assert_eq!(report.verdict, Verdict::Revoked);
    // A list that cannot be consulted is not taken as "not revoked".
    let report = check(
        &signed(None),
        StatusAnswer::Unknown("offline".into()),
        "2026-06-01T00:00:00Z",
    );
    assert_eq!(report.verdict, Verdict::Invalid);
    assert!(report.reason.contains("could not be checked: offline"));
}

#[test]
fn tampering_and_strangers_are_invalid_with_a_reason() {
    let mut doc = signed(None);
    doc["credentialSubject"]["achievement"]["name"] = "Master Mentor".into();
    let report = check(&doc, StatusAnswer::Active, "2026-01-01T00:00:00Z");
    assert_eq!(report.verdict, Verdict::Invalid);
    assert!(
        report.reason.contains("changed after it was signed"),
        "{}",
        report.reason
    );
    assert_eq!(report.signature_problem.as_deref(), Some("tampered"));
    assert_eq!(report.signer, None);
    assert_eq!(
        report.summary.map(|s| s.name).as_deref(),
        Some("Master Mentor"),
        "what it claims is still shown, marked not valid"
    );

    let mut web = unsigned();
    web["proof"] = serde_json::json!({
        "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
        "verificationMethod": "did:web:elsewhere.example#key-1", "proofPurpose": "assertionMethod",
        "proofValue": "z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKods5D2UAUL5n2Brbx"
    });
    web["issuer"]["id"] = "did:web:elsewhere.example".into();
    let report = check(&web, StatusAnswer::None, "2026-01-01T00:00:00Z");
    assert_eq!(report.verdict, Verdict::Invalid);
    assert!(
        report.reason.contains("not known here"),
        "{}",
        report.reason
    );
    assert_eq!(report.signature_problem.as_deref(), Some("unknown-issuer"));

    // A proof of a kind this verifier does not support is "cannot check", not "changed".
    let mut other_suite = signed(None);
    other_suite["proof"]["cryptosuite"] = "ecdsa-rdfc-2019".into();
    let report = check(&other_suite, StatusAnswer::None, "2026-01-01T00:00:00Z");
    assert_eq!(report.verdict, Verdict::Invalid);
    assert_eq!(
        report.signature_problem.as_deref(),
        Some("cannot-check"),
        "{report:?}"
    );
    assert!(
        report.reason.contains("cannot be checked here"),
        "{}",
        report.reason
    );

    let mut not_a_badge = signed(None);
    not_a_badge["type"] = serde_json::json!(["VerifiableCredential"]);
    let report = check(&not_a_badge, StatusAnswer::None, "2026-01-01T00:00:00Z");
    assert_eq!(report.verdict, Verdict::Invalid);
    assert!(report.summary.is_none());
    assert!(report.reason.contains("not an Open Badges 3.0 credential"));
}
