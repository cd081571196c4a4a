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
        before.checks[2].detail.contains("until 1 May 2025"),
        "{:?}",
        before.checks[2]
    );
    let after = check(&doc, StatusAnswer::Active, "2025-05-01T12:00:00Z");
    assert_eq!(after.verdict, Verdict::Expired);
    assert!(after.reason.contains("expired"));
    assert_eq!(after.checks[2].detail, "Expired on 1 May 2025.");
    // Read in French, the findings and their dates are French.
    let fr = app::i18n::in_lang(app::domain::lang::Lang::Fr, || {
        check(&doc, StatusAnswer::Active, "2025-05-01T12:00:00Z")
    });
    assert_eq!(fr.checks[2].detail, "Expirée le 1er mai 2025.");
    assert!(after.checks[1].ok, "the signature itself is still good");
}

#[test]
fn a_credential_not_yet_valid_says_so() {
    let report = check(&signed(None), StatusAnswer::Active, "2024-04-30T00:00:00Z");
    assert_eq!(report.verdict, Verdict::NotYetValid);
    assert_eq!(report.checks[2].detail, "Valid only from 1 May 2024.");
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
    // Nor as "invalid": what could not be checked is named (issue 16).
    assert_eq!(report.verdict, Verdict::CannotCheck);
    assert!(report.reason.contains("could not be checked: offline"));
}

#[test]
fn tampering_is_invalid_and_strangers_cannot_be_checked_with_a_reason() {
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
    assert_eq!(report.verdict, Verdict::CannotCheck);
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
    assert_eq!(report.verdict, Verdict::CannotCheck);
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

/// Signs `doc` with `key`'s did:key as issuer, in the suite named (`rdfc`: eddsa-rdfc-2022,
/// `2020`: Ed25519Signature2020, which wallets and older issuers use; we only verify it).
fn signed_as(mut doc: Value, key: &SigningKey, suite: &str) -> Value {
    use app::credentials::keys::multibase_encode;
    use ed25519_dalek::Signer;
    doc["issuer"]["id"] = did_key(&key.verifying_key()).into();
    let mut proof = serde_json::json!({
        "type": if suite == "2020" { "Ed25519Signature2020" } else { "DataIntegrityProof" },
        "created": "2024-05-01T12:00:00Z",
        "verificationMethod": did_key_verification_method(&key.verifying_key()),
        "proofPurpose": "assertionMethod",
    });
    if suite != "2020" {
        proof["cryptosuite"] = "eddsa-rdfc-2022".into();
    }
    let hash = app::credentials::hash_data(
        &doc,
        proof.as_object().expect("object"),
        ContextLoader::bundled(),
    )
    .expect("hash");
    proof["proofValue"] = multibase_encode(&key.sign(&hash.bytes()).to_bytes()).into();
    doc["proof"] = proof;
    doc
}

/// What a conformant Open Badges 3.0 displayer must accept, generated: each VC Data Model
/// (2.0 with `validFrom`/`validUntil`, 1.1 with `issuanceDate`/`expirationDate`) × each type
/// name (`OpenBadgeCredential`, `AchievementCredential`) × each proof suite × a single proof
/// or a proof set whose first proof is broken × a current, expired or future period: each
/// gets the verdict its dates call for, and a change to the document is caught in every case.
#[test]
fn every_shape_a_displayer_must_accept_gets_its_verdict() {
    let key = SigningKey::from_bytes(&[9u8; 32]);
    let mut cases = 0;
    for model in ["2.0", "1.1"] {
        for kind in ["OpenBadgeCredential", "AchievementCredential"] {
            for suite in ["rdfc", "2020"] {
                for set in [false, true] {
                    for (from, until, now, verdict) in [
                        (
                            "2024-05-01T12:00:00Z",
                            None,
                            "2026-01-01T00:00:00Z",
                            Verdict::Valid,
                        ),
                        (
                            "2024-05-01T12:00:00Z",
                            Some("2025-05-01T12:00:00Z"),
                            "2026-01-01T00:00:00Z",
                            Verdict::Expired,
                        ),
                        (
                            "2027-05-01T12:00:00Z",
                            None,
                            "2026-01-01T00:00:00Z",
                            Verdict::NotYetValid,
                        ),
                    ] {
                        let mut doc = unsigned();
                        doc["type"] = serde_json::json!(["VerifiableCredential", kind]);
                        let suite_context = if suite == "2020" {
                            "https://w3id.org/security/suites/ed25519-2020/v1"
                        } else {
                            "https://w3id.org/security/data-integrity/v2"
                        };
                        let map = doc.as_object_mut().expect("object");
                        map.remove("validFrom");
                        if model == "2.0" {
                            map.insert("validFrom".into(), from.into());
                            if let Some(u) = until {
                                map.insert("validUntil".into(), u.into());
                            }
                            if suite == "2020" {
                                doc["@context"]
                                    .as_array_mut()
                                    .expect("list")
                                    .push(suite_context.into());
                            }
                        } else {
                            map.insert("issuanceDate".into(), from.into());
                            if let Some(u) = until {
                                map.insert("expirationDate".into(), u.into());
                            }
                            doc["@context"] = serde_json::json!([
                                "https://www.w3.org/2018/credentials/v1",
                                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
                                suite_context,
                            ]);
                        }
                        let mut doc = signed_as(doc, &key, suite);
                        if set {
                            let good = doc["proof"].clone();
                            let mut broken = good.clone();
                            broken["proofValue"] = signed(None)["proof"]["proofValue"].clone();
                            doc["proof"] = serde_json::json!([broken, good]);
                        }
                        let case = format!("{model} {kind} {suite} set={set} {from}..{until:?}");
                        let report = check(&doc, StatusAnswer::None, now);
                        assert_eq!(report.verdict, verdict, "{case}: {report:?}");
                        assert!(
                            report.checks.iter().any(|c| c.label == "Signature" && c.ok),
                            "{case}"
                        );
                        let name = if suite == "2020" {
                            "Ed25519Signature2020"
                        } else {
                            "eddsa-rdfc-2022"
                        };
                        assert!(
                            report.checks.iter().any(|c| c.detail.contains(name)),
                            "{case}: {report:?}"
                        );
                        assert_eq!(
                            report.summary.as_ref().map(|s| s.valid_from.as_str()),
                            Some(from),
                            "{case}"
                        );
                        let mut changed = doc.clone();
                        changed["credentialSubject"]["achievement"]["name"] =
                            "Master Mentor".into();
                        let report = check(&changed, StatusAnswer::None, now);
                        assert_eq!(
                            report.verdict,
                            Verdict::Invalid,
                            "{case} changed: {report:?}"
                        );
                        assert_eq!(
                            report.signature_problem.as_deref(),
                            Some("tampered"),
                            "{case}"
                        );
                        cases += 1;
                    }
                }
            }
        }
    }
    assert_eq!(cases, 48);
}

/// What is recognised but not checkable is named, not called invalid.
#[test]
fn open_badges_2_and_jwt_credentials_are_named_not_judged() {
    use app::credentials::verify::{is_compact_jws, not_checkable};
    let ob2 = serde_json::json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": "https://example.org/assertions/1",
        "badge": "https://example.org/badges/1",
        "recipient": {"type": "email", "hashed": false, "identity": "a@example.org"},
        "verification": {"type": "hosted"},
        "issuedOn": "2020-01-01T00:00:00Z"
    });
    assert!(not_checkable(&ob2).is_some_and(|w| w.contains("Open Badges 2.0")));
    let report = check(&ob2, StatusAnswer::None, "2026-01-01T00:00:00Z");
    assert_eq!(report.verdict, Verdict::CannotCheck, "{report:?}");
    assert!(not_checkable(&signed(None)).is_none());
    let jwt = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl";
    assert!(is_compact_jws(jwt) && is_compact_jws(&format!("\"{jwt}\"\n")));
    for not_jwt in [
        "{\"a\": 1}",
        "eyJ.",
        "eyJhbGciOiJFZERTQSJ9..sig",
        "abc.def.ghi",
        "eyJa.b c.d",
    ] {
        assert!(!is_compact_jws(not_jwt), "{not_jwt}");
    }
}
