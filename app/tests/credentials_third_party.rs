//! Other issuers' credentials, as published in public test-fixture repositories (the Digital
//! Credentials Consortium's `vc-test-fixtures` and `verifier-core`, the W3C CCG's `vc-ed`
//! plugfests, impierce's `ssi-agent`, 1EdTech's Open Badges 2.0 examples; origins, commits and
//! licences in `fixtures/third-party/ORIGINS.md`): each gets the verdict its label calls for.
//! Their status lists are the published ones, read from local copies, verified with our
//! verifier before a bit is read.
#![cfg(feature = "ssr")]

use app::credentials::status::Bitstring;
use app::credentials::verify::{is_compact_jws, not_checkable, verify, StatusAnswer};
use app::credentials::{verify_credential, ContextLoader, Resolver};
use app::domain::credential::Verdict;
use app::domain::time::parse_xsd_date_time;
use serde_json::Value;

fn text(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/third-party/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("test data")
}

fn json(name: &str) -> Value {
    serde_json::from_str(&text(name)).expect("test data")
}

/// The published status lists, by URL, as local copies.
fn status_list_file(url: &str) -> Option<&'static str> {
    match url {
        "https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj"
        | "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/e5WK8CbZ1GjycuPombrj" => {
            Some("dcc-statuslist-e5WK8CbZ1GjycuPombrj.json")
        }
        "https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/tampered" => {
            Some("dcc-statuslist-tampered.json")
        }
        _ => None,
    }
}

/// A Bitstring Status List check over the local copies: the list must verify (its issuer's
/// key, unchanged) and be a `BitstringStatusListCredential`.
fn status(doc: &Value) -> StatusAnswer {
    let Some(entry) = doc.get("credentialStatus") else {
        return StatusAnswer::None;
    };
    let url = entry["statusListCredential"].as_str().unwrap_or_default();
    let Some(file) = status_list_file(url) else {
        return StatusAnswer::Unknown(format!("no copy of {url}"));
    };
    let list = json(file);
    if verify_credential(&list, &Resolver::new(), ContextLoader::bundled()).is_err() {
        return StatusAnswer::Unknown("its status list does not verify".into());
    }
    let types = list["type"].as_array().cloned().unwrap_or_default();
    if !types.iter().any(|t| t == "BitstringStatusListCredential") {
        return StatusAnswer::Unknown(
            "its status list is not a BitstringStatusListCredential".into(),
        );
    }
    let bits = Bitstring::decode(
        list["credentialSubject"]["encodedList"]
            .as_str()
            .unwrap_or_default(),
    )
    .expect("the published list decodes");
    let index: usize = entry["statusListIndex"]
        .as_str()
        .and_then(|i| i.parse().ok())
        .expect("an index");
    if bits.get(index) {
        StatusAnswer::Revoked
    } else {
        StatusAnswer::Active
    }
}

#[test]
fn published_credentials_get_the_verdict_their_label_calls_for() {
    let now = parse_xsd_date_time("2026-12-01T00:00:00Z").expect("date");
    let cases: &[(&str, Verdict, Option<&str>)] = &[
        (
            "dcc-v2-eddsa-didkey-OBSpecExample.valid.json",
            Verdict::Valid,
            Some("eddsa-rdfc-2022"),
        ),
        (
            "dcc-v2-eddsa-didkey-basicOBv3.valid.json",
            Verdict::Valid,
            Some("eddsa-rdfc-2022"),
        ),
        (
            "dcc-v2-eddsa-didkey-complexIssuer.valid.json",
            Verdict::Valid,
            Some("eddsa-rdfc-2022"),
        ),
        (
            "vcore-v2EddsaWithValidStatus.valid.json",
            Verdict::Valid,
            Some("eddsa-rdfc-2022"),
        ),
        (
            "dcc-v1-eddsa-didkey.valid.json",
            Verdict::Valid,
            Some("eddsa-rdfc-2022"),
        ),
        (
            "dcc-v1-ed25519-2020-didkey.valid.json",
            Verdict::Valid,
            Some("Ed25519Signature2020"),
        ),
        (
            "dcc-v1-ed25519-2020-didkey-stringIssuer.valid.json",
            Verdict::Valid,
            Some("Ed25519Signature2020"),
        ),
        (
            "dcc-v1-ed25519-2020-didkey.validStatus.json",
            Verdict::Valid,
            Some("Ed25519Signature2020"),
        ),
        (
            "dcc-v2-ed25519-2020-didkey.valid.json",
            Verdict::Valid,
            Some("Ed25519Signature2020"),
        ),
        (
            "vced-plugfest2-jff-ed25519-2020-didkey.valid.json",
            Verdict::Valid,
            Some("Ed25519Signature2020"),
        ),
        (
            "dcc-v2-proofArray-eddsa+ed25519-didkey.valid.json",
            Verdict::Valid,
            None,
        ),
        (
            "dcc-v1-proofArray-eddsa+ed25519-didkey.valid.json",
            Verdict::Valid,
            None,
        ),
        (
            "dcc-v2-ed25519-2020-didkey.tampered.json",
            Verdict::Invalid,
            None,
        ),
        (
            "vcore-testVC-proofArray.INVALID-signatures.json",
            Verdict::Invalid,
            None,
        ),
        (
            "dcc-v1-ed25519-2020-didkey.expired.json",
            Verdict::Expired,
            Some("Ed25519Signature2020"),
        ),
        (
            "dcc-v1-eddsa-didkey.expired.json",
            Verdict::Expired,
            Some("eddsa-rdfc-2022"),
        ),
        (
            "dcc-v2-ed25519-2020-didkey.expired.json",
            Verdict::Expired,
            Some("Ed25519Signature2020"),
        ),
        (
            "dcc-v2-eddsa-didkey.notYetValid.json",
            Verdict::NotYetValid,
            Some("eddsa-rdfc-2022"),
        ),
        (
            "dcc-v2-eddsa-didkey.revoked.json",
            Verdict::Revoked,
            Some("eddsa-rdfc-2022"),
        ),
        (
            "vcore-v2Revoked.revoked.json",
            Verdict::Revoked,
            Some("Ed25519Signature2020"),
        ),
        // Not an Open Badges credential at all (its type is only VerifiableCredential; the
        // fixture is for status lists).
        (
            "dcc-v2-ed25519-2020-didkey.tamperedStatusList.json",
            Verdict::Invalid,
            None,
        ),
        // Ed25519Signature2018 (a detached JWS) is not a suite this verifier has.
        (
            "vced-plugfest3-jff-ed25519-2018-didkey.unsupportedSuite.json",
            Verdict::CannotCheck,
            None,
        ),
        (
            "1edtech-ob2-assertion-hosted.example.json",
            Verdict::CannotCheck,
            None,
        ),
    ];
    for (file, verdict, suite) in cases {
        let doc = json(file);
        let report = verify(
            &doc,
            &Resolver::new(),
            ContextLoader::bundled(),
            &status,
            now,
        );
        assert_eq!(report.verdict, *verdict, "{file}: {report:?}");
        if let Some(suite) = suite {
            assert!(
                report
                    .checks
                    .iter()
                    .any(|c| c.label == "Signature" && c.ok && c.detail.contains(suite)),
                "{file}: {report:?}"
            );
        }
        if *verdict == Verdict::Invalid {
            let expected = if file.contains("tamperedStatusList") {
                None
            } else {
                Some("tampered")
            };
            assert_eq!(report.signature_problem.as_deref(), expected, "{file}");
        }
    }
    // Every fixture but the status lists and the JWT is in the table.
    let dir = format!("{}/tests/fixtures/third-party", env!("CARGO_MANIFEST_DIR"));
    let listed = std::fs::read_dir(dir)
        .expect("fixtures")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json") && !n.starts_with("dcc-statuslist"))
        .count();
    assert_eq!(listed, cases.len());
}

#[test]
fn a_published_jwt_credential_and_ob2_assertion_are_recognised() {
    let jwt = text("impierce-obv3-vcjwt-eddsa-didkey.valid.jwt");
    assert!(is_compact_jws(&jwt));
    let ob2 = json("1edtech-ob2-assertion-hosted.example.json");
    assert!(not_checkable(&ob2).is_some());
    let badge = "dcc-v2-eddsa-didkey-basicOBv3.valid.json";
    assert!(not_checkable(&json(badge)).is_none());
    assert!(!is_compact_jws(&text(badge)));
}
