//! Reproduces the W3C vc-di-eddsa test vector for eddsa-rdfc-2022 byte for byte
//! (files in tests/vectors/, copied from w3c/vc-di-eddsa TestVectors/, see its README.md).
#![cfg(feature = "ssr")]

use app::credentials::keys::{
    decode_public_key_multibase, decode_secret_key_multibase, public_key_multibase,
};
use app::credentials::{
    create_proof, hash_data, verify_proof, ContextLoader, ProofOptions, Resolver,
};
use serde_json::Value;

fn vector(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/vectors/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test data")
}
fn json(name: &str) -> Value {
    serde_json::from_str(&vector(name)).expect("test data")
}
fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
/// The bundled contexts plus the VC examples context the vector uses (test-only).
fn loader() -> ContextLoader {
    ContextLoader::bundled()
        .clone()
        .with(
            "https://www.w3.org/ns/credentials/examples/v2",
            &vector("credentials-examples-v2.jsonld"),
        )
        .expect("test data")
}

#[test]
fn eddsa_rdfc_2022_vector_byte_for_byte() {
    let loader = loader();
    let keys = json("keyPair.json");
    let sk = decode_secret_key_multibase(keys["privateKeyMultibase"].as_str().expect("test data"))
        .expect("test data");
    let pk = decode_public_key_multibase(keys["publicKeyMultibase"].as_str().expect("test data"))
        .expect("test data");
    assert_eq!(sk.verifying_key(), pk);
    assert_eq!(public_key_multibase(&pk), keys["publicKeyMultibase"]);

    let unsigned = json("unsigned.json");
    let config = json("proofConfigDataInt.json");
    let mut options = config.as_object().expect("test data").clone();
    options.remove("@context");
    let h = hash_data(&unsigned, &options, &loader).expect("test data");
    assert_eq!(h.canonical_document, vector("canonDocDataInt.txt"));
    assert_eq!(h.canonical_proof_config, vector("proofCanonDataInt.txt"));
    assert_eq!(hex(&h.document_hash), vector("docHashDataInt.txt"));
    assert_eq!(hex(&h.proof_config_hash), vector("proofHashDataInt.txt"));
    assert_eq!(hex(&h.bytes()), vector("combinedHashDataInt.txt"));

    // Same through the public create-proof API.
    let opts = ProofOptions::assertion(
        config["verificationMethod"].as_str().expect("test data"),
        Some(config["created"].as_str().expect("test data").to_owned()),
    );
    let proof = create_proof(&unsigned, &opts, &sk, &loader).expect("test data");
    assert_eq!(proof["proofValue"], vector("sigBTC58DataInt.txt").as_str());
    let sig =
        app::credentials::keys::multibase_decode(proof["proofValue"].as_str().expect("test data"))
            .expect("test data");
    assert_eq!(hex(&sig), vector("sigHexDataInt.txt"));

    let signed = json("signedDataInt.json");
    assert_eq!(proof, signed["proof"]);
}

#[test]
fn published_signed_vector_verifies() {
    let loader = loader();
    let signed = json("signedDataInt.json");
    let v = verify_proof(&signed, "assertionMethod", &Resolver::new(), &loader).expect("test data");
    assert_eq!(
        v.controller,
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    );
}

#[test]
fn examples_context_is_not_bundled() {
    let signed = json("signedDataInt.json");
    let err = verify_proof(
        &signed,
        "assertionMethod",
        &Resolver::new(),
        ContextLoader::bundled(),
    )
    .expect_err("must fail");
    assert!(
        matches!(err, app::credentials::Error::ContextNotBundled(_)),
        "{err}"
    );
}
