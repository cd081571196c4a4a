//! Credentials, end to end through the real router on both engines: badges awarded with the
//! decision that completes a domain, the whole micro-credential after the four domains, the
//! OB 3.0 document (privacy, results, status), did.json and the status list verified with our
//! verifier, revocation by a coordinator, baked downloads, the verify endpoint, key sealing
//! and rotation, moderation that withdraws a decision.

use crate::common;

use app::credentials::issuer::SealingKey;
use app::credentials::status::Bitstring;
use app::credentials::{verify_credential, ContextLoader, Resolver};
use app::domain::account::Role;
use app::domain::assessment::Workspace;
use app::domain::credential::{
    CohortCredential, CredentialPage, MyCredential, Verdict, Verification,
};
use axum::body::Body;
use axum::http::Request;
use common::{Cast, Engine, Person, Reply, TestApp};
use serde_json::Value;

pub(crate) const BASE: &str = "http://127.0.0.1:3000";
pub(crate) const DID: &str = "did:web:127.0.0.1%3A3000";
/// The one competency of the Professional Identity domain.
pub(crate) const IDENTITY: &str = "specialized-development-of-self";
/// The other six.
pub(crate) const OTHERS: [&str; 6] = [
    "commitment-to-development",
    "innovation-and-creativity",
    "communication",
    "collaboration",
    "problem-solving",
    "effective-dispositions",
];
const PRIVATE_TEXT: &str = "Private reflection about my mentee Sam";

pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) cohort: i64,
    cast: Cast,
}

impl World {
    /// `teacher`, `assessor`, `assessor2`, `coordinator` in the cohort; `stranger` coordinates
    /// another cohort.
    pub(crate) async fn new(engine: Engine) -> Option<Self> {
        let app = TestApp::new(engine).await?;
        let roster: [Person; 5] = [
            ("teacher", "Tamsin Teacher", &[(true, Role::Teacher)]),
            ("assessor", "Ada Assessor", &[(true, Role::Assessor)]),
            ("assessor2", "Basil Marker", &[(true, Role::Assessor)]),
            (
                "coordinator",
                "Cora Coordinator",
                &[(true, Role::Coordinator)],
            ),
            ("stranger", "Sol Stranger", &[(false, Role::Coordinator)]),
        ];
        let cast = Cast::new(&app, "Cohort", "c.test", &roster).await;
        Some(Self {
            app,
            cohort: cast.cohort,
            cast,
        })
    }

    pub(crate) fn cookie(&self, who: &str) -> &str {
        self.cast.cookie(who)
    }

    pub(crate) fn id(&self, who: &str) -> i64 {
        self.cast.id(who)
    }

    pub(crate) async fn post(&self, who: &str, path: &str, fields: &[(&str, String)]) -> Reply {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.app
            .post_form(path, &pairs, Some(self.cookie(who)))
            .await
    }

    pub(crate) async fn get(&self, who: &str, path: &str) -> Reply {
        self.app.get_as(path, self.cookie(who)).await
    }

    /// The teacher submits `competency` (a private journal entry as evidence); answers the
    /// submission id and the indicator slugs.
    pub(crate) async fn submit(&self, competency: &str) -> (i64, Vec<String>) {
        let r = self
            .post(
                "teacher",
                "/api/journal/create",
                &[
                    ("entry[title]", format!("Entry for {competency}")),
                    ("entry[body]", PRIVATE_TEXT.into()),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let entry: i64 = r.body.trim().parse().expect("entry id");
        let r = self
            .get(
                "teacher",
                &format!("/api/submission/workspace?framework=mcf&competency={competency}"),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let ws: Workspace = serde_json::from_str(&r.body).expect("workspace");
        let slugs: Vec<String> = ws.indicators.iter().map(|i| i.slug.clone()).collect();
        let mut fields = vec![
            ("draft[framework]", "mcf".to_owned()),
            ("draft[competency]", competency.to_owned()),
            ("draft[base_version]", ws.version.to_string()),
            ("draft[intent]", "submit".to_owned()),
        ];
        let keys: Vec<String> = slugs
            .iter()
            .map(|s| format!("draft[rationale][{s}]"))
            .collect();
        for k in &keys {
            fields.push((k.as_str(), format!("{PRIVATE_TEXT}: {k}")));
        }
        let pick = format!("draft[pick][{}__j{entry}]", slugs[0]);
        fields.push((pick.as_str(), "on".to_owned()));
        let r = self.post("teacher", "/api/submission/save", &fields).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let id: i64 = sqlx::query_scalar(
            "SELECT s.id FROM submissions s JOIN competencies c ON c.id = s.competency_id \
             WHERE s.user_id = $1 AND c.slug = $2 AND s.status = 'submitted'",
        )
        .bind(self.id("teacher"))
        .bind(competency)
        .fetch_one(self.app.db.pool())
        .await
        .expect("submission");
        (id, slugs)
    }

    /// `who` claims and decides Competent: every indicator Evident but the last Partly.
    pub(crate) async fn competent(&self, who: &str, id: i64, slugs: &[String]) -> Reply {
        let r = self
            .post(who, "/api/review/claim", &[("id", id.to_string())])
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        self.decide(who, id, slugs, true).await
    }

    pub(crate) async fn decide(
        &self,
        who: &str,
        id: i64,
        slugs: &[String],
        competent: bool,
    ) -> Reply {
        let mut fields = vec![
            ("review[submission]", id.to_string()),
            ("review[feedback]", "Well evidenced.".to_owned()),
            (
                "review[improve]",
                if competent {
                    String::new()
                } else {
                    "More".into()
                },
            ),
            (
                "review[decision]",
                if competent { "competent" } else { "not_yet" }.to_owned(),
            ),
        ];
        let keys: Vec<String> = slugs
            .iter()
            .map(|s| format!("review[level][{s}]"))
            .collect();
        for (i, k) in keys.iter().enumerate() {
            let level = if competent && (slugs.len() < 2 || i + 1 < slugs.len()) {
                "3"
            } else {
                "2"
            };
            fields.push((k.as_str(), level.to_owned()));
        }
        self.post(who, "/api/review/decide", &fields).await
    }

    pub(crate) async fn mine(&self) -> Vec<MyCredential> {
        let r = self.get("teacher", "/api/credentials/mine").await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("credentials JSON")
    }

    pub(crate) async fn page(&self, id: &str) -> CredentialPage {
        let r = self
            .app
            .api_get(&format!("/api/credentials/page?id={id}"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("page JSON")
    }

    pub(crate) async fn document(&self, id: &str) -> Value {
        let r = self
            .app
            .api_get(&format!("/credentials/{id}/credential.json"))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).expect("credential JSON")
    }

    /// A resolver built from the published did.json, as an outside verifier would.
    pub(crate) async fn published_resolver(&self) -> Resolver {
        let r = self.app.api_get("/.well-known/did.json").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["access-control-allow-origin"], "*");
        let doc: Value = serde_json::from_str(&r.body).expect("did.json");
        Resolver::new()
            .with_did_document(doc)
            .expect("DID document")
    }

    pub(crate) async fn status_list(&self) -> Bitstring {
        let r = self.app.api_get("/credentials/status/1").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let doc: Value = serde_json::from_str(&r.body).expect("status list");
        let v = verify_credential(
            &doc,
            &self.published_resolver().await,
            ContextLoader::bundled(),
        )
        .expect("the status list is signed by the issuer");
        assert_eq!(v.controller, DID);
        assert_eq!(doc["type"][1], "BitstringStatusListCredential");
        assert_eq!(doc["credentialSubject"]["statusPurpose"], "revocation");
        Bitstring::decode(
            doc["credentialSubject"]["encodedList"]
                .as_str()
                .expect("list"),
        )
        .expect("decodes")
    }

    pub(crate) async fn revoke(&self, public_id: &str, who: &str, reason: &str) -> Reply {
        let fields = [
            ("cohort", self.cohort.to_string()),
            ("id", public_id.to_owned()),
            ("reason", reason.to_owned()),
        ];
        self.post(who, "/api/credentials/revoke", &fields).await
    }

    pub(crate) async fn audit_count(&self, action: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(self.app.db.pool())
            .await
            .expect("audit count")
    }
}

pub(crate) fn index_of(doc: &Value) -> usize {
    doc["credentialStatus"]["statusListIndex"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("status index")
}

fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "CrEdBoUnDaRy";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub(crate) async fn post_verify(app: &TestApp, bytes: &[u8], json: bool) -> Reply {
    let (content_type, body) = multipart("file", "badge", bytes);
    let mut request = Request::post("/api/verify")
        .header("content-type", content_type)
        .header("host", "127.0.0.1:3000")
        .header("origin", "http://127.0.0.1:3000")
        .header("sec-fetch-site", "same-origin");
    request = request.header(
        "accept",
        if json {
            "application/json"
        } else {
            "text/html,*/*;q=0.8"
        },
    );
    app.send(request.body(Body::from(body)).expect("request"))
        .await
}

both_engines! {
    async fn a_domain_badge_then_the_micro_credential(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        assert!(w.mine().await.is_empty());
        // Professional Identity has one competency: its Competent completes the domain.
        let (id, slugs) = w.submit(IDENTITY).await;
        let r = w.competent("assessor", id, &slugs).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let mine = w.mine().await;
        assert_eq!(mine.len(), 1, "{mine:?}");
        let c = &mine[0];
        assert_eq!(c.name, "Professional Identity: Mentoring Micro-credential");
        assert!(c.revoked.is_none() && !c.show_name);
        assert_eq!(c.public_id.len(), 32);
        assert!(c.linkedin.contains("certUrl=http%3A%2F%2F127.0.0.1%3A3000%2Fcredentials%2F"));
        assert_eq!(w.audit_count("credential.issue").await, 1);

        // The document: contexts in order, types, issuer, privacy, results, status, proof.
        let doc = w.document(&c.public_id).await;
        assert_eq!(doc["@context"][0], "https://www.w3.org/ns/credentials/v2");
        assert_eq!(doc["@context"][1], "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
        assert_eq!(doc["type"], serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"]));
        assert_eq!(doc["id"], format!("{BASE}/credentials/{}", c.public_id));
        assert_eq!(doc["issuer"]["id"], DID);
        assert_eq!(doc["issuer"]["type"][0], "Profile");
        assert_eq!(doc["issuer"]["url"], format!("{BASE}/"));
        let subject = &doc["credentialSubject"];
        assert_eq!(subject["type"][0], "AchievementSubject");
        let ident = &subject["identifier"][0];
        assert_eq!(ident["type"], "IdentityObject");
        assert_eq!(ident["hashed"], true);
        assert_eq!(
            ident["identityHash"],
            app::credentials::ob3::identity_hash("teacher@c.test", ident["salt"].as_str().expect("salt"))
        );
        let text = doc.to_string();
        for private in ["teacher@c.test", "Tamsin", PRIVATE_TEXT, "Ada Assessor", "Well evidenced"] {
            assert!(!text.contains(private), "the credential leaks {private:?}");
        }
        let achievement = &subject["achievement"];
        assert_eq!(achievement["id"], format!("{BASE}/achievements/mcf/professional-identity"));
        // A raster image, which every displayer shows (issue 16); the SVG is served beside it.
        assert_eq!(achievement["image"]["id"], format!("{BASE}/badges/mcf/professional-identity.png"));
        assert_eq!(achievement["achievementType"], "Competency");
        assert!(doc["issuer"].get("otherIdentifier").is_none(), "no LinkedIn id configured");
        assert!(!achievement["image"]["caption"].as_str().unwrap_or_default().is_empty());
        assert_eq!(achievement["alignment"][0]["targetUrl"], format!("{BASE}/frameworks/mcf/competencies/{IDENTITY}"));
        assert_eq!(achievement["alignment"][0]["targetType"], "ceasn:Competency");
        assert_eq!(achievement["resultDescription"].as_array().map(Vec::len), Some(slugs.len()));
        let results = subject["result"].as_array().expect("results");
        assert_eq!(results.len(), slugs.len());
        let last = slugs.last().expect("indicators");
        assert!(results.iter().any(|r| r["achievedLevel"].as_str().is_some_and(|l| l.ends_with(&format!("{last}.partly-evident")))));
        assert!(results.iter().any(|r| r["achievedLevel"].as_str().is_some_and(|l| l.ends_with(&format!("{}.evident", slugs[0])))));
        assert_eq!(doc["evidence"][0]["type"][0], "Evidence");
        assert!(doc["evidence"][0]["description"].as_str().unwrap_or_default().contains("1 reflection journal entry"));
        assert_eq!(doc["credentialStatus"]["type"], "BitstringStatusListEntry");
        assert_eq!(doc["credentialStatus"]["statusListCredential"], format!("{BASE}/credentials/status/1"));
        assert_eq!(doc["proof"]["cryptosuite"], "eddsa-rdfc-2022");
        assert_eq!(doc["proof"]["verificationMethod"], format!("{DID}#key-1"));

        // Anyone can verify it with the published did.json; the status list says not revoked.
        verify_credential(&doc, &w.published_resolver().await, ContextLoader::bundled())
            .expect("verifies with the published key");
        assert!(!w.status_list().await.get(index_of(&doc)));
        let page = w.page(&c.public_id).await;
        assert_eq!(page.verification.verdict, Verdict::Valid, "{:?}", page.verification);
        assert_eq!(page.verification.checks.iter().filter(|c| c.ok).count(), 5);
        assert_eq!(page.verification.signer.as_deref(), Some(DID));
        let summary = page.verification.summary.expect("summary");
        assert_eq!(summary.results.len(), slugs.len());
        assert!(summary.results.iter().any(|r| r.level == "Partly evident"));
        assert_eq!(page.holder, None, "the name is hidden unless the holder shows it");
        assert!(!page.is_holder);

        // The achievement is public JSON; the images are served.
        let r = w.app.api_get("/achievements/mcf/professional-identity").await;
        assert_eq!(r.status, 200);
        let a: Value = serde_json::from_str(&r.body).expect("achievement");
        assert_eq!(a["name"], achievement["name"]);
        assert_eq!(w.app.api_get("/achievements/mcf/nope").await.status, 404);
        assert_eq!(w.app.api_get("/achievements/pl2/micro-credential").await.status, 404, "PL2 awards no credential");
        let r = w.app.api_get("/badges/mcf/professional-identity.svg").await;
        assert_eq!(r.status, 200);
        assert_eq!(r.headers["content-type"], "image/svg+xml");
        assert!(r.body.contains("<svg"));
        assert_eq!(w.app.api_get("/badges/mcf/micro-credential.png").await.status, 200);
        assert_eq!(w.app.api_get("/badges/mcf/unknown.png").await.status, 404);

        // The other six competencies: three more domain badges, then the whole, each once.
        for competency in OTHERS {
            let (id, slugs) = w.submit(competency).await;
            let r = w.competent("assessor", id, &slugs).await;
            assert_eq!(r.status, 200, "{competency}: {}", r.body);
        }
        let mine = w.mine().await;
        let names: Vec<&str> = mine.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(mine.len(), 5, "{names:?}");
        assert_eq!(names[0], "Mentoring Micro-credential", "newest first");
        assert_eq!(w.audit_count("credential.issue").await, 5);
        let whole = w.document(&mine[0].public_id).await;
        assert_eq!(whole["credentialSubject"]["achievement"]["achievementType"], "MicroCredential");
        let total: usize = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM indicators i JOIN frameworks f ON f.id = i.framework_id WHERE f.slug = 'mcf' AND i.retired_at IS NULL",
        )
        .fetch_one(w.app.db.pool())
        .await
        .expect("count")
        .try_into()
        .expect("count");
        assert_eq!(whole["credentialSubject"]["result"].as_array().map(Vec::len), Some(total));
        // Each of the seven competencies by its page and by its CASE item.
        assert_eq!(whole["credentialSubject"]["achievement"]["alignment"].as_array().map(Vec::len), Some(14));
        assert_eq!(whole["evidence"].as_array().map(Vec::len), Some(7));

        // Awarding again issues nothing: never twice.
        let issuer = w.app.db.issuer().expect("issuer");
        let mut tx = w.app.db.begin_write().await.expect("begin");
        let competency_id: app::domain::ids::CompetencyId =
            sqlx::query_scalar("SELECT id FROM competencies WHERE slug = $1")
            .bind(IDENTITY)
            .fetch_one(&mut *tx)
            .await
            .expect("competency");
        let teacher = app::domain::ids::UserId::new(w.id("teacher"));
        let again = app::db::credential::award_in(&mut tx, &issuer, teacher, competency_id)
            .await
            .expect("award");
        tx.commit().await.expect("commit");
        assert!(again.is_empty(), "{again:?}");
        assert_eq!(w.mine().await.len(), 5);
    }

    async fn revocation_by_a_coordinator(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (id, slugs) = w.submit(IDENTITY).await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let public_id = w.mine().await[0].public_id.clone();
        let doc = w.document(&public_id).await;
        let index = index_of(&doc);

        // The cohort's coordinator sees it; another cohort's coordinator and the teacher do not.
        let r = w.get("coordinator", &format!("/api/credentials/cohort?cohort={}", w.cohort)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let list: Vec<CohortCredential> = serde_json::from_str(&r.body).expect("list");
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].holder, "Tamsin Teacher");
        assert_eq!(w.get("stranger", &format!("/api/credentials/cohort?cohort={}", w.cohort)).await.status, 404);

        let r = w.revoke(&public_id, "coordinator", "  ").await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("revoke[reason]"));
        assert_eq!(w.revoke(&public_id, "stranger", "Not mine to revoke").await.status, 404);
        assert_eq!(w.revoke(&public_id, "teacher", "Trying my own").await.status, 404);
        assert_eq!(w.audit_count("credential.revoke").await, 0);
        assert_eq!(w.page(&public_id).await.verification.verdict, Verdict::Valid);

        let r = w.revoke(&public_id, "coordinator", "Evidence found to be plagiarised").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(w.audit_count("credential.revoke").await, 1);
        assert!(w.status_list().await.get(index), "the status list has the bit set");
        let page = w.page(&public_id).await;
        assert_eq!(page.verification.verdict, Verdict::Revoked);
        let revoked = page.revoked.expect("revocation shown");
        assert_eq!(revoked.reason, "Evidence found to be plagiarised");
        assert_eq!(w.mine().await[0].revoked.as_ref().map(|r| r.reason.as_str()), Some("Evidence found to be plagiarised"));
        // The signature is still good: revoked, not tampered.
        assert!(page.verification.checks.iter().any(|c| c.label == "Signature" && c.ok));
        let r = w.revoke(&public_id, "coordinator", "Twice").await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("already revoked"));
    }

    async fn downloads_and_the_verify_endpoint(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (id, slugs) = w.submit(IDENTITY).await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let public_id = w.mine().await[0].public_id.clone();
        let json = w.app.api_get(&format!("/credentials/{public_id}/credential.json")).await;
        assert!(json.headers["content-disposition"].to_str().unwrap_or_default().contains("professional-identity"));

        // Baked PNG: one iTXt chunk holding exactly the credential.
        let r = w.app.send(Request::get(format!("/credentials/{public_id}/badge.png")).body(Body::empty()).expect("request")).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.headers["content-type"], "image/png");
        let png = w.app.send_bytes(Request::get(format!("/credentials/{public_id}/badge.png")).body(Body::empty()).expect("request")).await;
        let baked = app::credentials::bake::extract_png(&png).expect("PNG").expect("credential inside");
        assert_eq!(baked, json.body);
        let svg = w.app.api_get(&format!("/credentials/{public_id}/badge.svg")).await;
        assert_eq!(svg.headers["content-type"], "image/svg+xml");
        assert_eq!(app::credentials::bake::extract_svg(&svg.body).expect("SVG").as_deref(), Some(json.body.as_str()));

        // Verify: the baked image goes to the credential's page; JSON callers get the report.
        let r = post_verify(&w.app, &png, false).await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.headers["location"], format!("/credentials/{public_id}?checked=1"));
        let r = post_verify(&w.app, svg.body.as_bytes(), true).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let report: Verification = serde_json::from_str(&r.body).expect("report");
        assert_eq!(report.verdict, Verdict::Valid);

        // A tampered copy fails, here and for the page's form.
        let mut doc: Value = serde_json::from_str(&json.body).expect("JSON");
        doc["credentialSubject"]["achievement"]["name"] = "Master Mentor".into();
        let tampered = doc.to_string();
        let r = post_verify(&w.app, tampered.as_bytes(), true).await;
        let report: Verification = serde_json::from_str(&r.body).expect("report");
        assert_eq!(report.verdict, Verdict::Invalid);
        assert!(report.reason.contains("changed after it was signed"), "{}", report.reason);
        assert_eq!(report.signature_problem.as_deref(), Some("tampered"));
        let r = post_verify(&w.app, tampered.as_bytes(), false).await;
        assert_eq!(r.headers["location"], "/verify?result=tampered#result");

        // The same credential renamed and re-signed by a fresh did:key, keeping our id: valid
        // as a did:key credential, but never presented as ours, and our status list is not
        // consulted for it.
        let key = app::credentials::issuer::generate_key();
        let did = app::credentials::keys::did_key(&key.verifying_key());
        let mut forged: Value = serde_json::from_str(&json.body).expect("JSON");
        forged.as_object_mut().expect("object").remove("proof");
        forged["issuer"]["id"] = did.clone().into();
        forged["credentialSubject"]["achievement"]["name"] = "Master Mentor".into();
        // Signs a document (its proof removed first) with the fresh did:key.
        let sign_with_key = |doc: &Value| {
            let mut doc = doc.clone();
            doc.as_object_mut().expect("object").remove("proof");
            app::credentials::proof::sign(
                &doc,
                &app::credentials::proof::ProofOptions::assertion(
                    app::credentials::keys::did_key_verification_method(&key.verifying_key()),
                    None,
                ),
                &key,
                app::credentials::loader::ContextLoader::bundled(),
            )
            .expect("signed")
        };
        let forged = sign_with_key(&forged);
        let r = post_verify(&w.app, forged.to_string().as_bytes(), false).await;
        let location = r.headers["location"].to_str().unwrap_or_default().to_owned();
        assert!(!location.starts_with("/credentials/"), "a forgery was shown as ours: {location}");
        assert_eq!(location, "/verify?result=status-unknown#result", "its status cannot be checked here");
        let r = post_verify(&w.app, forged.to_string().as_bytes(), true).await;
        let report: Verification = serde_json::from_str(&r.body).expect("report");
        assert_eq!(report.signer.as_deref(), Some(did.as_str()));
        assert!(report.checks.iter().any(|c| c.label == "Issuer identity" && !c.ok), "{report:?}");
        assert!(
            report.checks.iter().any(|c| c.label == "Revocation status" && c.detail.contains("another issuer")),
            "{report:?}"
        );
        // Without a status entry it is valid as a did:key credential, still not ours.
        let mut bare: Value = forged.clone();
        bare.as_object_mut().expect("object").remove("credentialStatus");
        let bare = sign_with_key(&bare);
        let r = post_verify(&w.app, bare.to_string().as_bytes(), false).await;
        assert_eq!(r.headers["location"], "/verify?result=valid-unconfirmed#result");
        // Not a badge at all, and an image without a credential.
        let r = post_verify(&w.app, b"hello", false).await;
        assert_eq!(r.headers["location"], "/verify?result=not-supported#result");
        let plain = app::credentials::image::badge_png(&app::credentials::image::Design {
            key: "professional-identity".into(),
            title: "Professional Identity".into(),
            number: 1,
        });
        let r = post_verify(&w.app, &plain, false).await;
        assert_eq!(r.headers["location"], "/verify?result=no-credential#result");
        let r = post_verify(&w.app, b"{\"@context\": [\"https://www.w3.org/ns/credentials/v2\"]}", true).await;
        let report: Verification = serde_json::from_str(&r.body).expect("report");
        assert_eq!(report.verdict, Verdict::Invalid);
        assert!(report.summary.is_none());

        // The credential's own URL (its `id`): the document for JSON-LD clients, the page for
        // browsers, each marked as varying on Accept.
        let ask = |accept: &'static str| {
            Request::get(format!("/credentials/{public_id}")).header("accept", accept).body(Body::empty()).expect("request")
        };
        let r = w.app.send(ask("application/vc+ld+json, application/ld+json;q=0.9")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body, json.body);
        assert_eq!(r.headers["content-type"], "application/vc+ld+json");
        assert_eq!(r.headers["vary"], "Accept");
        let r = w.app.send(ask("text/html,application/xhtml+xml,*/*;q=0.8")).await;
        assert_eq!(r.status, 200);
        assert!(r.headers["content-type"].to_str().unwrap_or_default().starts_with("text/html"));
        assert_eq!(r.headers["vary"], "Accept");
        let missing = Request::get("/credentials/0123456789abcdef0123456789abcdef")
            .header("accept", "application/json")
            .body(Body::empty())
            .expect("request");
        assert_eq!(w.app.send(missing).await.status, 404);

        // Unknown ids.
        assert_eq!(w.app.api_get("/credentials/0123456789abcdef0123456789abcdef/credential.json").await.status, 404);
        assert_eq!(w.app.api_get("/api/credentials/page?id=nothex").await.status, 404);

        // The holder chooses to show their name; nobody else can.
        let r = w.post("assessor", "/api/credentials/show-name", &[("id", public_id.clone()), ("show", "on".into())]).await;
        assert_eq!(r.status, 404);
        assert_eq!(w.page(&public_id).await.holder, None);
        let r = w.post("teacher", "/api/credentials/show-name", &[("id", public_id.clone()), ("show", "on".into())]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(w.page(&public_id).await.holder.as_deref(), Some("Tamsin Teacher"));
        let r = w.post("teacher", "/api/credentials/show-name", &[("id", public_id.clone())]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(w.page(&public_id).await.holder, None);
    }

    async fn what_cannot_be_checked_here_is_named(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        // What is recognised but not checkable here is named, on the page and to scripts:
        // a JWT credential, an Open Badges 2.0 assertion, an OB 2.0 baked image (issue 16).
        let jwt = b"eyJhbGciOiJFZERTQSIsInR5cCI6InZjK2p3dCJ9.eyJ2YyI6eyJ0eXBlIjpbIlZlcmlmaWFibGVDcmVkZW50aWFsIl19fQ.c2lnbmF0dXJl\n";
        let ob2 = br#"{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "badge": "https://example.org/b"}"#;
        let ob2_png = {
            // A PNG with an `openbadges` tEXt chunk after IHDR, as OB 2.0 bakes.
            let mut png = app::credentials::image::badge_png(&app::credentials::image::Design {
                key: "professional-identity".into(),
                title: "Professional Identity".into(),
                number: 1,
            });
            let data = b"openbadges\0https://example.org/assertions/1";
            let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
            chunk.extend_from_slice(b"tEXt");
            chunk.extend_from_slice(data);
            let crc = crc32fast::hash(&[b"tEXt".as_slice(), data].concat());
            chunk.extend_from_slice(&crc.to_be_bytes());
            png.splice(33..33, chunk);
            png
        };
        for (bytes, code) in [(jwt.to_vec(), "jwt"), (ob2.to_vec(), "ob2"), (ob2_png, "ob2")] {
            let r = post_verify(&w.app, &bytes, false).await;
            assert_eq!(r.headers.get("location").map(|l| l.to_str().unwrap_or_default()), Some(format!("/verify?result={code}#result").as_str()), "{code}: {} {}", r.status, r.body);
            let r = post_verify(&w.app, &bytes, true).await;
            assert_eq!(r.status, 200, "{}", r.body);
            let report: Verification = serde_json::from_str(&r.body).expect("report");
            assert_eq!(report.verdict, Verdict::CannotCheck, "{code}: {report:?}");
            assert!(report.reason.starts_with("This cannot be checked here: it is a"), "{}", report.reason);
        }
    }

    async fn keys_are_sealed_and_rotate(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let db = &w.app.db;
        // The stored secret is sealed: not the key, and useless under another CREDENTIAL_KEY.
        let sealed: String = sqlx::query_scalar("SELECT sealed_secret FROM issuer_keys WHERE fragment = 'key-1'")
            .fetch_one(db.pool())
            .await
            .expect("key row");
        let issuer = db.issuer().expect("issuer");
        assert!(!sealed.contains(&app::credentials::keys::secret_key_multibase(&issuer.signing)));
        let wrong = app::db::credential::IssuerSettings {
            base_url: BASE.into(),
            name: "X".into(),
            sealing: SealingKey::parse(&"11".repeat(32)).expect("key"),
            linkedin_organization: None,
        };
        let e = app::db::credential::load_issuer(db, &wrong).await.expect_err("wrong key refused");
        assert!(format!("{e:#}").contains("CREDENTIAL_KEY"), "{e:#}");

        // A badge signed with key-1, then a rotation: did.json keeps key-1 and adds key-2.
        let (id, slugs) = w.submit(IDENTITY).await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let old = w.document(&w.mine().await[0].public_id).await;
        let settings = app::db::credential::IssuerSettings {
            base_url: BASE.into(),
            name: issuer.name.clone(),
            sealing: SealingKey::development(),
            linkedin_organization: None,
        };
        let fragment = app::db::credential::rotate_key(db, &settings).await.expect("rotate");
        assert_eq!(fragment, "key-2");
        let reloaded = app::db::credential::load_issuer(db, &settings).await.expect("reload");
        assert_eq!(reloaded.fragment, "key-2");
        db.set_issuer(reloaded);
        let resolver = w.published_resolver().await;
        verify_credential(&old, &resolver, ContextLoader::bundled()).expect("old badges still verify");
        let (id, slugs) = w.submit("commitment-to-development").await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let (id, slugs) = w.submit("innovation-and-creativity").await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let newest = w.document(&w.mine().await[0].public_id).await;
        assert_eq!(newest["proof"]["verificationMethod"], format!("{DID}#key-2"));
        verify_credential(&newest, &w.published_resolver().await, ContextLoader::bundled()).expect("new key verifies");
        assert_eq!(w.audit_count("issuer.rotate_key").await, 1);

        // key-1 is compromised: withdrawn, what it signed (and anything forged with it) no
        // longer verifies; the stored badges it signed are signed again, revoked ones too.
        let old_id = old["id"].as_str().and_then(|u| u.rsplit('/').next()).expect("id").to_owned();
        assert_eq!(w.revoke(&old_id, "coordinator", "Revoked before the compromise").await.status, 200);
        let forged = {
            let mut d = old.clone();
            d.as_object_mut().expect("object").remove("proof");
            d["credentialSubject"]["achievement"]["name"] = "Master Mentor".into();
            let key_1 = app::credentials::issuer::SealingKey::development().open(&sealed, "key-1").expect("key-1");
            app::credentials::sign(&d, &app::credentials::ProofOptions::assertion(format!("{DID}#key-1"), None), &key_1, ContextLoader::bundled())
                .expect("forged with the stolen key")
        };
        verify_credential(&forged, &w.published_resolver().await, ContextLoader::bundled())
            .expect("before the withdrawal, a forgery with the stolen key verifies");
        let e = app::db::credential::withdraw_key(db, &settings, "key-9").await.expect_err("no such key");
        assert!(e.to_string().contains("key-9"), "{e}");
        let done = app::db::credential::withdraw_key(db, &settings, "key-1").await.expect("withdraw");
        assert_eq!(done.signing_key, "key-2");
        assert_eq!(done.resigned, 1, "{done:?}");
        assert!(app::db::credential::withdraw_key(db, &settings, "key-1").await.is_err(), "only once");
        let resolver = w.published_resolver().await;
        let r = w.app.api_get("/.well-known/did.json").await;
        assert!(!r.body.contains("#key-1"), "{}", r.body);
        for doc in [&old, &forged] {
            assert!(verify_credential(doc, &resolver, ContextLoader::bundled()).is_err(), "key-1 no longer verifies");
        }
        let again = w.document(&old_id).await;
        assert_eq!(again["proof"]["verificationMethod"], format!("{DID}#key-2"));
        let mut unsigned_again = again.clone();
        unsigned_again.as_object_mut().expect("object").remove("proof");
        let mut unsigned_old = old.clone();
        unsigned_old.as_object_mut().expect("object").remove("proof");
        assert_eq!(unsigned_again, unsigned_old, "the same credential, signed again");
        verify_credential(&again, &resolver, ContextLoader::bundled()).expect("signed again with key-2");
        assert_eq!(w.page(&old_id).await.verification.verdict, Verdict::Revoked, "still says revoked");
        w.status_list().await; // verifies with the published keys
        assert_eq!(w.audit_count("issuer.withdraw_key").await, 1);
    }

    async fn moderation_that_withdraws_competent_revokes(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (id, slugs) = w.submit(IDENTITY).await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        let public_id = w.mine().await[0].public_id.clone();
        // Sent for second marking; the second marker says Not yet and the coordinator agrees.
        let r = w.post("coordinator", "/api/moderation/pick", &[("id", id.to_string())]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = w.post("assessor2", "/api/review/claim", &[("id", id.to_string())]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = w.decide("assessor2", id, &slugs, false).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let moderation: i64 = sqlx::query_scalar("SELECT id FROM moderations WHERE submission_id = $1")
            .bind(id)
            .fetch_one(w.app.db.pool())
            .await
            .expect("moderation");
        let r = w
            .post(
                "coordinator",
                "/api/moderation/resolve",
                &[("id", moderation.to_string()), ("stands", "second".into()), ("note", "Second marker is right".into())],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let page = w.page(&public_id).await;
        assert_eq!(page.verification.verdict, Verdict::Revoked);
        assert!(page.revoked.expect("revoked").reason.contains("Moderation"));
    }

    async fn the_learning_statement_is_the_teachers_choice(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let (id, slugs) = w.submit(IDENTITY).await;
        assert_eq!(w.competent("assessor", id, &slugs).await.status, 200);
        // Signed out: nothing.
        assert_eq!(w.app.api_get("/learning-statement.json").await.status, 401);
        assert_eq!(w.app.api_get("/api/statement").await.status, 401);
        // Before choosing: the programme and the credentials only.
        let r = w.get("teacher", "/api/statement").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let s: app::domain::statement::LearningStatement = serde_json::from_str(&r.body).expect("statement");
        assert_eq!(s.holder, "Tamsin Teacher");
        assert_eq!(s.included, vec![app::domain::statement::Part::Programme, app::domain::statement::Part::Credentials]);
        assert_eq!(s.competencies.len(), 7);
        assert_eq!(s.credentials.len(), 1);
        let r = w.get("teacher", "/learning-statement.json").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["cache-control"], "private, no-store");
        let doc: Value = serde_json::from_str(&r.body).expect("export");
        let keys: Vec<&String> = doc["parts"].as_object().expect("parts").keys().collect();
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert!(doc["parts"]["credentials"][0]["verify"].as_str().unwrap_or_default().starts_with(&format!("{BASE}/credentials/")));
        assert!(doc["parts"].get("growth").is_none() && doc["parts"].get("competencies").is_none());

        // A text too long is refused, naming the field; nothing saved is lost.
        let long = "x".repeat(app::domain::statement::TEXT_MAX + 1);
        let r = w.post("teacher", "/api/statement/save", &[("statement[text][objectives]", long)]).await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("statement[text][objectives]"));
        // The teacher writes objectives and includes them with the growth chart, not the rest.
        let r = w
            .post(
                "teacher",
                "/api/statement/save",
                &[
                    ("statement[text][objectives]", "To mentor with questions, not answers.".into()),
                    ("statement[text][tasks]", "Kept private for now.".into()),
                    ("statement[include][objectives]", "on".into()),
                    ("statement[include][growth]", "on".into()),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let doc: Value = serde_json::from_str(&w.get("teacher", "/learning-statement.json").await.body).expect("export");
        assert_eq!(doc["parts"]["objectives"], "To mentor with questions, not answers.");
        assert!(doc["parts"]["growth"].is_array());
        assert!(doc["parts"].get("tasks").is_none(), "written but not included");
        assert!(doc["parts"].get("credentials").is_none(), "the teacher took it out");
        assert!(!doc.to_string().contains("Kept private"));
        let r = w.get("teacher", "/api/statement").await;
        let s: app::domain::statement::LearningStatement = serde_json::from_str(&r.body).expect("statement");
        assert_eq!(s.text(app::domain::statement::Part::Tasks), "Kept private for now.");
        assert!(s.saved.is_some());
        // Someone else's statement is their own, empty one.
        let r = w.get("assessor", "/learning-statement.json").await;
        assert!(!r.body.contains("questions, not answers"));
    }
}
