//! Open Badges 3.0 credential: canonicalization cross-checked with jsonld.js, sign/verify with
//! did:key and did:web, and tampering.
#![cfg(feature = "ssr")]

use app::credentials::keys::{did_key, did_key_verification_method, did_web_document, did_web_url};
use app::credentials::{
    canonicalize, expand_to_json, sign, verify_credential, ContextLoader, Error, ProofOptions,
    Resolver,
};
use ed25519_dalek::SigningKey;
use serde_json::{json, Value};

const DID_WEB: &str = "did:web:badges.example.org";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test data")
}
fn unsigned() -> Value {
    serde_json::from_str(&fixture("ob3-unsigned.json")).expect("test data")
}
fn key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}
fn loader() -> &'static ContextLoader {
    ContextLoader::bundled()
}
fn did_web_resolver() -> Resolver {
    Resolver::new()
        .with_did_document(did_web_document(DID_WEB, "key-1", &key().verifying_key()))
        .expect("test data")
}
fn signed_did_web() -> Value {
    let opts = ProofOptions::assertion(
        format!("{DID_WEB}#key-1"),
        Some("2024-05-01T12:00:00Z".into()),
    );
    sign(&unsigned(), &opts, &key(), loader()).expect("test data")
}
fn signed_did_key() -> Value {
    let vk = key().verifying_key();
    let mut doc = unsigned();
    doc["issuer"]["id"] = did_key(&vk).into();
    let opts = ProofOptions::assertion(
        did_key_verification_method(&vk),
        Some("2024-05-01T12:00:00Z".into()),
    );
    sign(&doc, &opts, &key(), loader()).expect("test data")
}
fn assert_fails(doc: &Value, resolver: &Resolver) -> Error {
    match verify_credential(doc, resolver, loader()) {
        Ok(v) => panic!("verification unexpectedly succeeded: {v:?}"),
        Err(e) => e,
    }
}

#[test]
fn canonical_nquads_match_jsonld_js() {
    // fixtures/ob3-canonical.jsonld-js.nq was produced by jsonld.js 9.0.0 + rdf-canonize 5.0.0
    // (RDFC-1.0, safe mode: what @digitalbazaar/eddsa-rdfc-2022-cryptosuite 1.3.0 depends on)
    // from the same bundled contexts (npm/check/canon.js).
    assert_eq!(
        canonicalize(&unsigned(), loader()).expect("test data"),
        fixture("ob3-canonical.jsonld-js.nq")
    );
}

#[test]
fn sign_and_verify_did_web() {
    let signed = signed_did_web();
    let v = verify_credential(&signed, &did_web_resolver(), loader()).expect("test data");
    assert_eq!(v.controller, DID_WEB);
    assert_eq!(v.verification_method, "did:web:badges.example.org#key-1");
    let proof_value = signed["proof"]["proofValue"].as_str().expect("test data");
    assert!(proof_value.starts_with('z'));
    // Ed25519 is deterministic: the same input gives the same proofValue.
    assert_eq!(signed_did_web()["proof"]["proofValue"], proof_value);
}

#[test]
fn sign_and_verify_did_key() {
    let signed = signed_did_key();
    let v = verify_credential(&signed, &Resolver::new(), loader()).expect("test data");
    assert_eq!(v.controller, did_key(&key().verifying_key()));
    assert!(v.controller.starts_with("did:key:z6Mk"));
}

#[test]
fn reordering_keys_and_whitespace_does_not_matter() {
    let signed = signed_did_web();
    let text = serde_json::to_string_pretty(&signed).expect("test data");
    let reparsed: Value = serde_json::from_str(&text).expect("test data");
    verify_credential(&reparsed, &did_web_resolver(), loader()).expect("test data");
}

#[test]
fn tampered_field_fails() {
    let r = did_web_resolver();
    let mut d = signed_did_web();
    d["credentialSubject"]["achievement"]["name"] = "Journal Master".into();
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
    let mut d = signed_did_web();
    d["credentialSubject"]["achievement"]["creditsAvailable"] = json!(2.5);
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
    let mut d = signed_did_web();
    d["credentialSubject"]["identifier"][0]["hashed"] = json!(false);
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
    let mut d = signed_did_web();
    d["validFrom"] = "2024-05-01T12:00:01Z".into();
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
    // A field added after signing: must be a defined term, else safe mode refuses it.
    let mut d = signed_did_web();
    d["description"] = "added later".into();
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
    let mut d = signed_did_web();
    d["notInAnyContext"] = "added later".into();
    assert!(matches!(
        assert_fails(&d, &r),
        Error::Unsafe(_) | Error::JsonLd(_)
    ));
    // Proof options are signed too.
    let mut d = signed_did_web();
    d["proof"]["created"] = "2025-01-01T00:00:00Z".into();
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
}

#[test]
fn tampered_proof_value_fails() {
    let r = did_web_resolver();
    let d0 = signed_did_web();
    let pv = d0["proof"]["proofValue"]
        .as_str()
        .expect("test data")
        .to_owned();
    let mut sig = app::credentials::keys::multibase_decode(&pv).expect("test data");
    sig[10] ^= 1;
    let mut d = d0.clone();
    d["proof"]["proofValue"] = app::credentials::keys::multibase_encode(&sig).into();
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
    let mut d = d0.clone();
    d["proof"]["proofValue"] = format!("u{}", &pv[1..]).into(); // not base58btc
    assert!(matches!(assert_fails(&d, &r), Error::Proof(_)));
    let mut d = d0.clone();
    d["proof"]["proofValue"] = pv[..pv.len() - 4].to_owned().into(); // truncated
    assert!(matches!(
        assert_fails(&d, &r),
        Error::Proof(_) | Error::BadSignature
    ));
    let mut d = d0.clone();
    d["proof"]
        .as_object_mut()
        .expect("test data")
        .remove("proofValue");
    assert!(matches!(assert_fails(&d, &r), Error::Proof(_)));
    let mut d = d0;
    d["proof"]["cryptosuite"] = "eddsa-jcs-2022".into();
    assert!(matches!(assert_fails(&d, &r), Error::Proof(_)));
}

#[test]
fn tampered_verification_method_fails() {
    let other = SigningKey::from_bytes(&[9u8; 32]).verifying_key();
    // The DID document also lists a second key that did not sign.
    let mut doc = did_web_document(DID_WEB, "key-1", &key().verifying_key());
    let second = did_web_document(DID_WEB, "key-2", &other);
    doc["verificationMethod"]
        .as_array_mut()
        .expect("test data")
        .push(second["verificationMethod"][0].clone());
    doc["assertionMethod"]
        .as_array_mut()
        .expect("test data")
        .push(format!("{DID_WEB}#key-2").into());
    let r = Resolver::new().with_did_document(doc).expect("test data");
    let good = signed_did_web();
    verify_credential(&good, &r, loader()).expect("test data");

    let mut d = good.clone();
    d["proof"]["verificationMethod"] = format!("{DID_WEB}#key-2").into();
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
    let mut d = good.clone();
    d["proof"]["verificationMethod"] = format!("{DID_WEB}#key-3").into();
    assert!(matches!(assert_fails(&d, &r), Error::NotAuthorized(_)));
    let mut d = good.clone();
    d["proof"]["verificationMethod"] = did_key_verification_method(&other).into();
    assert!(matches!(
        assert_fails(&d, &r),
        Error::BadSignature | Error::NotAuthorized(_)
    ));
    // The right key, but the DID document does not authorize it for assertionMethod.
    let mut doc = did_web_document(DID_WEB, "key-1", &key().verifying_key());
    doc["assertionMethod"] = json!([]);
    let r = Resolver::new().with_did_document(doc).expect("test data");
    assert!(matches!(assert_fails(&good, &r), Error::NotAuthorized(_)));
    // did:key whose fragment names another key.
    let mut d = signed_did_key();
    let vm = d["proof"]["verificationMethod"]
        .as_str()
        .expect("test data")
        .to_owned();
    let (did, _) = vm.split_once('#').expect("test data");
    d["proof"]["verificationMethod"] = format!(
        "{did}#{}",
        app::credentials::keys::public_key_multibase(&other)
    )
    .into();
    assert!(matches!(assert_fails(&d, &Resolver::new()), Error::Key(_)));
}

#[test]
fn tampered_issuer_fails() {
    let r = did_web_resolver();
    let mut d = signed_did_web();
    d["issuer"]["id"] = "did:web:evil.example".into();
    // Signature check runs first, so this is a bad signature (the issuer binding would catch it too).
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
    let mut d = signed_did_web();
    d["issuer"]["name"] = "Evil Issuer".into();
    assert!(matches!(assert_fails(&d, &r), Error::BadSignature));
    // A correctly signed credential whose issuer is not the key's controller.
    let mut doc = unsigned();
    doc["issuer"]["id"] = "did:web:someone-else.example".into();
    let opts = ProofOptions::assertion(format!("{DID_WEB}#key-1"), None);
    let d = sign(&doc, &opts, &key(), loader()).expect("test data");
    assert!(matches!(assert_fails(&d, &r), Error::NotAuthorized(_)));
}

#[test]
fn unbundled_context_is_refused() {
    let mut doc = unsigned();
    doc["@context"]
        .as_array_mut()
        .expect("test data")
        .push("https://example.com/evil-context.json".into());
    let err = canonicalize(&doc, loader()).expect_err("must fail");
    assert!(matches!(err, Error::ContextNotBundled(_)), "{err}");
}

#[test]
fn undefined_term_is_refused_not_dropped() {
    let mut doc = unsigned();
    doc["credentialSubject"]["nickname"] = "dropped by plain JSON-LD".into();
    let err = canonicalize(&doc, loader()).expect_err("must fail");
    assert!(matches!(err, Error::Unsafe(_) | Error::JsonLd(_)), "{err}");
}

#[test]
fn did_document_expands_with_bundled_contexts() {
    let doc = did_web_document(DID_WEB, "key-1", &key().verifying_key());
    let expanded = expand_to_json(&doc, loader()).expect("test data");
    let s = expanded.to_string();
    assert!(s.contains("https://w3id.org/security#Multikey"), "{s}");
    assert!(
        s.contains("https://w3id.org/security#publicKeyMultibase"),
        "{s}"
    );
    assert_eq!(
        did_web_url(DID_WEB).expect("test data"),
        "https://badges.example.org/.well-known/did.json"
    );
    assert_eq!(
        did_web_url("did:web:localhost%3A8443:issuers:1").expect("test data"),
        "https://localhost:8443/issuers/1/did.json"
    );
}

fn minimal(subject: Value) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:x:1",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": "did:web:a.example",
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": subject
    })
}

#[test]
fn language_tags_are_lower_cased_like_jsonld_js() {
    let doc = minimal(json!({"type": ["AchievementSubject"], "achievement": {
        "id": "urn:a:1", "type": ["Achievement"], "name": {"@value": "Hallo", "@language": "de-DE"}}}));
    let c = canonicalize(&doc, loader()).expect("test data");
    assert!(
        c.contains("<urn:a:1> <https://schema.org/name> \"Hallo\"@de-de ."),
        "{c}"
    );
}

#[test]
fn numbers_canonicalize_like_jsonld_js() {
    // xsd:float (https) typed by the OB context: integers stay integers, others become doubles.
    let doc = minimal(
        json!({"type": ["AchievementSubject"], "creditsEarned": 3, "achievement": {
        "id": "urn:a:1", "type": ["Achievement"], "creditsAvailable": 0.1}}),
    );
    let c = canonicalize(&doc, loader()).expect("test data");
    assert!(
        c.contains("\"3\"^^<https://www.w3.org/2001/XMLSchema#float>"),
        "{c}"
    );
    assert!(
        c.contains("\"1.0E-1\"^^<https://www.w3.org/2001/XMLSchema#float>"),
        "{c}"
    );
}

#[test]
fn relative_id_and_type_are_refused_not_dropped() {
    let doc = minimal(json!({"id": "relative-id", "type": ["AchievementSubject"]}));
    assert!(matches!(
        canonicalize(&doc, loader()),
        Err(Error::Unsafe(_))
    ));
    let doc = minimal(json!({"type": ["AchievementSubject", "UndefinedType"]}));
    assert!(matches!(
        canonicalize(&doc, loader()),
        Err(Error::Unsafe(_))
    ));
}
