//! DID Authentication presentations as wallets sign them, checked by `verify_did_auth`.
//!
//! The fixtures in `fixtures/didauth/` were made by Digital Bazaar's `@digitalbazaar/vc` 7.3.0
//! (`createPresentation` + `signPresentation`) with a did:key holder from
//! `@digitalbazaar/ed25519-multikey` 1.3.1 (seed 32 × 0x07), challenge `c-123`, domain
//! `https://issuer.example.test`: `rdfc-*` with `eddsa-rdfc-2022`, `2020-*` with
//! `@digitalbazaar/ed25519-signature-2020` 5.4.0, `-v1`/`-v2` the VC Data Model context, and
//! `lcw-sim` the way the Learner Credential Wallet signs (DCC's `@digitalcredentials/vc` 10,
//! Ed25519Signature2020 on VC 2.0). Each was accepted by `@digitalbazaar/vc`'s `verify`.
#![cfg(feature = "ssr")]

use app::credentials::proof::{verify_did_auth, Suite};
use app::credentials::{ContextLoader, Error};
use serde_json::Value;

const CHALLENGE: &str = "c-123";
const DOMAIN: &str = "https://issuer.example.test";
const HOLDER: &str = "did:key:z6MkvDqGT54cXesYGvABpF1UapVNwjCqRcafi4Px6Thv5T3Z";
const FIXTURES: [(&str, Suite); 5] = [
    ("rdfc-v1", Suite::EddsaRdfc2022),
    ("rdfc-v2", Suite::EddsaRdfc2022),
    ("2020-v1", Suite::Ed25519Signature2020),
    ("2020-v2", Suite::Ed25519Signature2020),
    ("lcw-sim", Suite::Ed25519Signature2020),
];

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/didauth/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test data");
    serde_json::from_str(&text).expect("test data")
}

fn check(vp: &Value) -> Result<app::credentials::VerifiedProof, Error> {
    verify_did_auth(vp, CHALLENGE, DOMAIN, ContextLoader::bundled())
}

#[test]
fn every_wallet_shape_verifies_and_names_its_suite() {
    for (name, suite) in FIXTURES {
        let v = check(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v.controller, HOLDER, "{name}");
        assert_eq!(v.suite, suite, "{name}");
        assert_eq!(v.proof_purpose, "authentication", "{name}");
    }
}

#[test]
fn another_challenge_or_domain_is_refused() {
    for (name, _) in FIXTURES {
        let vp = fixture(name);
        for (challenge, domain) in [
            ("c-124", DOMAIN),
            ("", DOMAIN),
            (CHALLENGE, "https://elsewhere.example"),
            (CHALLENGE, ""),
        ] {
            let e =
                verify_did_auth(&vp, challenge, domain, ContextLoader::bundled()).expect_err(name);
            assert!(matches!(e, Error::Proof(_)), "{name}: {e}");
        }
    }
}

/// Every string in the presentation (the proof's included, except the signature itself),
/// changed in turn: each change is refused, as a bad signature or as a term out of place.
#[test]
fn a_change_anywhere_is_refused() {
    fn strings(v: &Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        match v {
            Value::String(_) => out.push(path),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
                let mut p = path.clone();
                p.push(i.to_string());
                strings(x, p, out)
            }),
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                let mut p = path.clone();
                p.push(k.clone());
                strings(x, p, out)
            }),
            _ => {}
        }
    }
    let mut tried = 0;
    for (name, _) in FIXTURES {
        let vp = fixture(name);
        let mut paths = Vec::new();
        strings(&vp, Vec::new(), &mut paths);
        for path in paths {
            if path.last().map(String::as_str) == Some("proofValue") {
                continue;
            }
            let mut changed = vp.clone();
            let mut at = &mut changed;
            for k in &path {
                at = match at {
                    Value::Array(a) => &mut a[k.parse::<usize>().expect("index")],
                    other => &mut other[k.as_str()],
                };
            }
            let s = at.as_str().expect("string").to_owned();
            // Keep the change well-formed where the value is a date or an IRI.
            *at = if s.starts_with("20") {
                s.replacen("20", "19", 1).into()
            } else {
                format!("{s}x").into()
            };
            tried += 1;
            assert!(
                check(&changed).is_err(),
                "{name}: change at {path:?} accepted"
            );
        }
    }
    assert!(tried >= 5 * 9, "only {tried} changes tried");
}

#[test]
fn a_presentation_signed_by_another_key_than_its_holder_is_refused() {
    // The proof is valid for its own key, but the presentation claims another holder: a
    // verifier that only checks the signature (as `@digitalbazaar/vc` does) would accept it.
    for (name, _) in FIXTURES {
        let mut vp = fixture(name);
        vp["holder"] = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".into();
        let e = check(&vp).expect_err(name);
        assert!(
            matches!(e, Error::Proof(ref m) if m.contains("holder")),
            "{name}: {e}"
        );
    }
}

#[test]
fn proof_sets_need_one_valid_proof_and_no_more_than_four() {
    let good = fixture("rdfc-v2");
    let proof = good["proof"].clone();
    let mut bad = proof.clone();
    bad["proofValue"] = fixture("rdfc-v1")["proof"]["proofValue"].clone();
    let mut vp = good.clone();
    vp["proof"] = Value::Array(vec![bad.clone(), proof.clone()]);
    assert!(check(&vp).is_ok(), "a valid proof after an invalid one");
    vp["proof"] = Value::Array(vec![bad.clone()]);
    assert!(matches!(check(&vp), Err(Error::BadSignature)));
    vp["proof"] = Value::Array(vec![]);
    assert!(matches!(check(&vp), Err(Error::Proof(_))));
    vp["proof"] = Value::Array(vec![bad; 4].into_iter().chain([proof]).collect());
    assert!(matches!(check(&vp), Err(Error::Proof(m)) if m.contains("more than")));
}

#[test]
fn only_presentations_with_a_did_key_holder_and_an_authentication_proof_pass() {
    let mut vp = fixture("2020-v2");
    vp["type"] = "VerifiableCredential".into();
    assert!(matches!(check(&vp), Err(Error::Input(_))));
    let mut vp = fixture("2020-v2");
    vp["holder"] = "did:web:issuer.example.test".into();
    assert!(matches!(check(&vp), Err(Error::Input(_))));
    let mut vp = fixture("2020-v2");
    vp["proof"]["proofPurpose"] = "assertionMethod".into();
    assert!(matches!(check(&vp), Err(Error::Proof(_))));
    let mut vp = fixture("rdfc-v2");
    vp["proof"]["type"] = "Ed25519Signature2020".into();
    assert!(matches!(check(&vp), Err(Error::Proof(_))));
}
