//! The signed Learning Statement (issue 16, item 5): a CLR 2.0 `ClrCredential` embedding the
//! holder's badges with their own proofs, `isPartOf` associations, the parts the holder chose,
//! revocation (replaced, withdrawn, a badge in it revoked) and key withdrawal, through the
//! real router on both engines; then every way an embedded badge can fail, each named.

use crate::common;
use crate::credentials::{index_of, post_verify, World, BASE, DID, IDENTITY, OTHERS};

use app::credentials::issuer::SealingKey;
use app::credentials::{verify_credential, ContextLoader, ProofOptions};
use app::domain::credential::{Verdict, Verification};
use app::domain::statement::LearningStatement;
use serde_json::Value;

const OBJECTIVES: &str = "To give feedback my mentee can act on the same week.";

impl World {
    async fn statement(&self) -> LearningStatement {
        let r = self.get("teacher", "/api/statement").await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("statement JSON")
    }

    /// The teacher signs their statement; answers the record's public id.
    async fn sign(&self) -> String {
        let r = self.post("teacher", "/api/statement/sign", &[]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("public id")
    }

    /// What `/verify` says of `doc` (its report, without the per-address limit the HTTP
    /// endpoint applies, which a table of cases would run into).
    async fn verify_json(&self, doc: &Value) -> Verification {
        let issuer = self.app.db.issuer().expect("issuer");
        app::db::credential::verify_document(&self.app.db, &issuer, doc)
            .await
            .expect("verifies")
    }

    /// `doc` signed again with the issuer's current key (a record whose embedded badges were
    /// changed, but whose own signature is good).
    fn signed_again(&self, mut doc: Value) -> Value {
        let issuer = self.app.db.issuer().expect("issuer");
        doc.as_object_mut().expect("object").remove("proof");
        app::credentials::sign(
            &doc,
            &ProofOptions::assertion(issuer.verification_method(), None),
            &issuer.signing,
            ContextLoader::bundled(),
        )
        .expect("signs")
    }
}

fn public_id(doc: &Value) -> String {
    doc["id"]
        .as_str()
        .and_then(|u| u.rsplit('/').next())
        .expect("id")
        .to_owned()
}

both_engines! {
    async fn the_learning_statement_signed_as_a_clr(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        // Nothing to embed yet: refused, naming the field.
        let r = w.post("teacher", "/api/statement/sign", &[]).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("statement"), "{}", r.body);
        assert!(w.statement().await.record.is_none());
        assert_eq!(w.post("teacher", "/api/statement/withdraw", &[]).await.status, 404);

        let (id, slugs) = w.submit(IDENTITY).await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let badge_id = w.mine().await[0].public_id.clone();
        let badge = w.document(&badge_id).await;
        let r = w
            .post(
                "teacher",
                "/api/statement/save",
                &[
                    ("statement[text][objectives]", OBJECTIVES.into()),
                    ("statement[text][tasks]", "Written, but not included.".into()),
                    ("statement[include][objectives]", "on".into()),
                    ("statement[include][competencies]", "on".into()),
                    ("statement[include][growth]", "on".into()),
                    ("statement[include][credentials]", "on".into()),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(w.statement().await.can_sign());
        let record_id = w.sign().await;
        let s = w.statement().await;
        let shown = s.record.expect("the record is on the statement page");
        assert_eq!((shown.public_id.as_str(), shown.revoked), (record_id.as_str(), None));
        assert!(w.mine().await.iter().all(|c| c.public_id != record_id), "not among the badges");

        // The document: CLR 2.0 contexts and types, the badge embedded unchanged, the
        // association to the whole micro-credential, the chosen parts only, no identity.
        let doc = w.document(&record_id).await;
        assert_eq!(
            doc["@context"],
            serde_json::json!([
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
            ])
        );
        assert_eq!(doc["type"], serde_json::json!(["VerifiableCredential", "ClrCredential"]));
        assert_eq!(doc["issuer"]["id"], DID);
        let subject = &doc["credentialSubject"];
        assert_eq!(subject["type"][0], "ClrSubject");
        assert_eq!(subject["verifiableCredential"], serde_json::json!([badge]));
        let whole = format!("{BASE}/achievements/mcf/micro-credential");
        assert_eq!(subject["achievement"][0]["id"], whole, "the association's target, not held");
        assert_eq!(
            subject["association"],
            serde_json::json!([{
                "type": "Association",
                "associationType": "isPartOf",
                "sourceId": format!("{BASE}/achievements/mcf/professional-identity"),
                "targetId": whole,
            }])
        );
        let parts: Vec<&str> = doc["evidence"]
            .as_array()
            .expect("parts")
            .iter()
            .map(|e| e["name"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(parts, ["My objectives", "Skills by competency", "My growth"]);
        assert_eq!(doc["evidence"][0]["narrative"], OBJECTIVES);
        let text = doc.to_string();
        for private in ["teacher@c.test", "Tamsin", "Written, but not included", "Private reflection"] {
            assert!(!text.contains(private), "the record leaks {private:?}");
        }
        let nodes = serde_json::to_string(&doc).map(|t| t.len()).unwrap_or_default();
        assert!(nodes < 512 * 1024, "{nodes} bytes");

        // Verified by the published key, here and by the page; each badge inside too.
        verify_credential(&doc, &w.published_resolver().await, ContextLoader::bundled())
            .expect("the record verifies with the published key");
        let page = w.page(&record_id).await;
        let v = &page.verification;
        assert_eq!(v.verdict, Verdict::Valid, "{v:?}");
        assert!(v.checks.iter().any(|c| c.label == "CLR 2.0 record" && c.ok), "{v:?}");
        let summary = v.summary.clone().expect("summary");
        assert_eq!(summary.name, "Learning Statement: Mentoring Micro-credential");
        assert_eq!(summary.contains.len(), 1);
        let inside = &summary.contains[0];
        assert_eq!(inside.verdict, Some(Verdict::Valid), "{inside:?}");
        assert_eq!(inside.url, badge["id"]);
        assert_eq!(inside.part_of.as_deref(), Some("Mentoring Micro-credential"));
        assert!(summary.evidence.iter().any(|(n, t)| n == "My objectives" && t == OBJECTIVES));
        let r = post_verify(&w.app, doc.to_string().as_bytes(), true).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let report: Verification = serde_json::from_str(&r.body).expect("report");
        assert_eq!(report.verdict, Verdict::Valid, "the public endpoint: {report:?}");
        assert_eq!(w.app.api_get(&format!("/credentials/{record_id}/badge.png")).await.status, 404);

        // Signed again: the first is replaced (revoked with that reason), one stays live.
        let second = w.sign().await;
        assert_ne!(second, record_id);
        let first = w.page(&record_id).await;
        assert_eq!(first.verification.verdict, Verdict::Revoked);
        assert!(first.revoked.expect("revoked").reason.contains("Replaced"));
        assert!(w.status_list().await.get(index_of(&doc)));
        assert_eq!(w.page(&second).await.verification.verdict, Verdict::Valid);

        // Withdrawn by the holder, once.
        assert_eq!(w.post("teacher", "/api/statement/withdraw", &[]).await.status, 200);
        assert_eq!(w.post("teacher", "/api/statement/withdraw", &[]).await.status, 404);
        assert!(w.statement().await.record.and_then(|r| r.revoked).expect("shown").contains("Withdrawn"));
        assert_eq!(w.page(&second).await.verification.verdict, Verdict::Revoked);

        // Without JavaScript: a plain form post signs, and lands on the statement's section
        // saying so, with the new record's links.
        let r = w.app.plain_post("/api/statement/sign", &[], Some(w.cookie("teacher")), "/learning-statement").await;
        assert!(r.status.is_redirection(), "{}: {}", r.status, r.body);
        assert_eq!(r.headers["location"], "/learning-statement?signed=1#signed-record");
        let (page, _) = w.app.follow(&r, Some(w.cookie("teacher"))).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Signed: your record is ready to share."), "{}", page.body);
        assert!(page.body.contains(r#"data-record-state="live""#));
        let third = w.statement().await.record.expect("signed").public_id;
        assert!(page.body.contains(&format!("/credentials/{third}")));

        // A badge inside revoked by a coordinator: the live record goes with it.
        assert_eq!(w.revoke(&badge_id, "coordinator", "Plagiarised evidence").await.status, 200);
        let page = w.page(&third).await;
        assert_eq!(page.verification.verdict, Verdict::Revoked);
        assert!(page.revoked.expect("revoked").reason.contains("credential it contains"));
        let r = w.post("teacher", "/api/statement/sign", &[]).await;
        assert_eq!(r.status, 422, "no live badge left: {}", r.body);
        assert_eq!(w.audit_count("credential.issue").await, 4, "one badge, three records");
    }

    /// Every way a badge inside an otherwise well-signed record can fail is named, and makes
    /// the record fail with it; a change to the record itself breaks its own signature.
    async fn each_embedded_badge_is_checked(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (id, slugs) = w.submit(IDENTITY).await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let (id, slugs) = w.submit("commitment-to-development").await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let (id, slugs) = w.submit("innovation-and-creativity").await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let record = w.document(&w.sign().await).await;
        let embedded = record["credentialSubject"]["verifiableCredential"].as_array().expect("badges").clone();
        assert_eq!(embedded.len(), 2, "two domain badges");
        assert_eq!(record["credentialSubject"]["association"].as_array().map(Vec::len), Some(2));
        assert_eq!(w.verify_json(&record).await.verdict, Verdict::Valid);

        // Each change is made to one badge inside; the badge alone, sent to /verify, gets some
        // verdict other than Valid; inside a record the issuer signed, the badge gets that
        // same verdict, and so does the record.
        type Change = fn(&World, &mut Value);
        let cases: [(&str, Change); 5] = [
            ("its name changed", |_, b| b["credentialSubject"]["achievement"]["name"] = "Master Mentor".into()),
            ("its proof value changed", |_, b| {
                let value = b["proof"]["proofValue"].as_str().expect("proof value").to_owned();
                let last = if value.ends_with('A') { "B" } else { "A" };
                b["proof"]["proofValue"] = format!("{}{last}", &value[..value.len() - 1]).into();
            }),
            ("its proof removed", |_, b| { b.as_object_mut().expect("object").remove("proof"); }),
            ("its validity ended, signed so", |w, b| {
                b["validUntil"] = "2020-01-02T00:00:00Z".into();
                b["validFrom"] = "2020-01-01T00:00:00Z".into();
                *b = w.signed_again(b.clone());
            }),
            ("not an Open Badges credential", |w, b| {
                b["type"] = serde_json::json!(["VerifiableCredential"]);
                *b = w.signed_again(b.clone());
            }),
        ];
        for (what, change) in cases {
            for position in 0..embedded.len() {
                let mut badge = embedded[position].clone();
                change(&w, &mut badge);
                let alone = w.verify_json(&badge).await;
                assert_ne!(alone.verdict, Verdict::Valid, "{what}: {alone:?}");
                let mut doc = record.clone();
                doc["credentialSubject"]["verifiableCredential"][position] = badge;
                // Unsigned: the record's own signature breaks.
                let report = w.verify_json(&doc).await;
                assert_eq!(report.verdict, Verdict::Invalid, "{what}, unsigned: {report:?}");
                assert_eq!(report.signature_problem.as_deref(), Some("tampered"), "{what}");
                // Signed again by the issuer: the record's signature holds, the badge fails.
                let report = w.verify_json(&w.signed_again(doc)).await;
                assert!(report.checks.iter().any(|c| c.label == "Signature" && c.ok), "{what}: {report:?}");
                assert_eq!(report.verdict, alone.verdict, "{what} at {position}: {report:?}");
                assert!(report.reason.contains("a credential it contains"), "{what}: {}", report.reason);
                let contains = report.summary.expect("summary").contains;
                let failed: Vec<_> = contains.iter().filter(|c| c.verdict != Some(Verdict::Valid)).collect();
                assert_eq!(failed.len(), 1, "{what} at {position}: {contains:?}");
                assert_eq!(failed[0].verdict, Some(alone.verdict), "{what}");
                assert_eq!(failed[0].reason, alone.reason, "{what}");
            }
        }
        // A record with nothing inside is not a CLR.
        let mut empty = record.clone();
        empty["credentialSubject"]["verifiableCredential"] = serde_json::json!([]);
        let report = w.verify_json(&w.signed_again(empty)).await;
        assert_eq!(report.verdict, Verdict::Invalid);
        assert!(report.reason.contains("embeds no verifiableCredential"), "{}", report.reason);
    }

    /// A withdrawn key: the records it signed, and those embedding badges it signed, are
    /// rebuilt from the badges signed again and signed again themselves.
    async fn a_withdrawn_key_rebuilds_records(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (id, slugs) = w.submit(IDENTITY).await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let before = w.document(&w.sign().await).await;
        let db = &w.app.db;
        let settings = app::db::credential::IssuerSettings {
            base_url: BASE.into(),
            name: db.issuer().expect("issuer").name.clone(),
            sealing: SealingKey::development(),
            linkedin_organization: None,
        };
        app::db::credential::rotate_key(db, &settings).await.expect("rotate");
        let done = app::db::credential::withdraw_key(db, &settings, "key-1").await.expect("withdraw");
        db.set_issuer(app::db::credential::load_issuer(db, &settings).await.expect("reload"));
        assert_eq!((done.resigned, done.records), (2, 1), "{done:?}");
        let after = w.document(&public_id(&before)).await;
        let key_2 = format!("{DID}#key-2");
        assert_eq!(after["proof"]["verificationMethod"], key_2);
        assert_eq!(after["credentialSubject"]["verifiableCredential"][0]["proof"]["verificationMethod"], key_2);
        let resolver = w.published_resolver().await;
        assert!(verify_credential(&before, &resolver, ContextLoader::bundled()).is_err());
        verify_credential(&after, &resolver, ContextLoader::bundled()).expect("rebuilt and signed again");
        let page = w.page(&public_id(&before)).await;
        assert_eq!(page.verification.verdict, Verdict::Valid, "{:?}", page.verification);
    }

    /// The largest record the course can produce (every badge: four domains and the whole)
    /// stays well within what /verify accepts, and says how the domains make up the whole.
    async fn a_record_of_every_badge_fits_the_verifier(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        for competency in std::iter::once(IDENTITY).chain(OTHERS) {
            let (id, slugs) = w.submit(competency).await;
            assert_eq!(w.competent("assessor", id, &slugs).await.status, 200, "{competency}");
        }
        let started = std::time::Instant::now();
        let record_id = w.sign().await;
        let took = started.elapsed();
        let doc = w.document(&record_id).await;
        let subject = &doc["credentialSubject"];
        assert_eq!(subject["verifiableCredential"].as_array().map(Vec::len), Some(5));
        assert_eq!(subject["association"].as_array().map(Vec::len), Some(4), "each domain is part of the whole");
        assert!(subject.get("achievement").is_none(), "the whole is held: its own badge defines it");
        let mut values = 0usize;
        let mut stack = vec![&doc];
        while let Some(v) = stack.pop() {
            values += 1;
            match v {
                Value::Array(items) => stack.extend(items),
                Value::Object(map) => stack.extend(map.values()),
                _ => {}
            }
        }
        let bytes = doc.to_string().len();
        eprintln!("a record of every badge: {bytes} bytes, {values} JSON values, signed in {took:?} (debug build, with the request)");
        assert!(values * 2 < app::credentials::verify::MAX_NODES, "{values} values");
        assert!(app::credentials::verify::within_limits(&doc).is_ok());
        let report = w.verify_json(&doc).await;
        assert_eq!(report.verdict, Verdict::Valid, "{report:?}");
        assert!(report.summary.expect("summary").contains.iter().all(|c| c.verdict == Some(Verdict::Valid)));
    }
}
