//! Claiming a badge into a wallet through a VC-API exchange, through the real router on both
//! engines: who may open an offer (only the holder, only for a live credential), the wallet's
//! two steps (a challenge, then a DID Authentication presentation signed for it), the copy
//! bound to the wallet's DID (verified with the published did.json, same achievement, results
//! and status entry), single use, expiry, revocation reaching the copy, and refusals with a
//! 4xx naming what was wrong.

use crate::common;
use crate::credentials::{index_of, post_verify, World, BASE, DID, IDENTITY};
use app::credentials::keys::{did_key, did_key_verification_method, multibase_encode};
use app::credentials::{hash_data, verify_credential, ContextLoader};
use app::domain::credential::{OfferState, Verdict, Verification, WalletOffer};
use axum::body::Body;
use axum::http::Request;
use common::Reply;
use ed25519_dalek::{Signer, SigningKey};
use serde_json::{json, Value};

impl World {
    async fn badge(&self) -> String {
        let (id, slugs) = self.submit(IDENTITY).await;
        assert_eq!(self.competent("assessor", id, &slugs).await.status, 200);
        self.mine().await[0].public_id.clone()
    }

    async fn open_offer(&self, who: &str, public_id: &str) -> Reply {
        self.post(
            who,
            "/api/credentials/wallet-offer/open",
            &[("id", public_id.to_owned())],
        )
        .await
    }

    async fn offer(&self, who: &str, public_id: &str) -> Reply {
        self.get(
            who,
            &format!("/api/credentials/wallet-offer?id={public_id}"),
        )
        .await
    }

    /// The holder opens an offer and reads its exchange URL's path.
    async fn exchange(&self, public_id: &str) -> String {
        assert_eq!(self.open_offer("teacher", public_id).await.status, 200);
        let r = self.offer("teacher", public_id).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let offer: WalletOffer = serde_json::from_str(&r.body).expect("offer");
        offer
            .exchange_url
            .strip_prefix(BASE)
            .expect("on our origin")
            .to_owned()
    }

    /// A wallet's POST: no cookie, no Origin, JSON.
    async fn wallet_post(&self, path: &str, body: &str) -> (Reply, Value) {
        self.send_as_wallet(path, "application/json", None, body.to_owned())
            .await
    }

    /// Any wallet request: `content_type`, an optional bearer `token`; answers the reply and
    /// its JSON (null when it is not JSON).
    async fn send_as_wallet(
        &self,
        path: &str,
        content_type: &str,
        token: Option<&str>,
        body: String,
    ) -> (Reply, Value) {
        let mut request = Request::post(path)
            .header("content-type", content_type)
            .header("accept", "application/json");
        if let Some(t) = token {
            request = request.header("authorization", format!("Bearer {t}"));
        }
        let r = self
            .app
            .send(request.body(Body::from(body)).expect("request"))
            .await;
        let v = serde_json::from_str(&r.body).unwrap_or(Value::Null);
        (r, v)
    }

    /// Asks for the presentation request; answers its challenge.
    async fn challenge(&self, path: &str) -> String {
        let (r, v) = self.wallet_post(path, "{}").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let request = &v["verifiablePresentationRequest"];
        assert_eq!(request["query"][0]["type"], "DIDAuthentication");
        assert_eq!(request["domain"], BASE);
        request["challenge"].as_str().expect("challenge").to_owned()
    }
}

/// An OID4VCI key proof (compact JWS, EdDSA) by `key`'s did:key for `aud` with `nonce`.
fn key_proof(key: &SigningKey, aud: &str, nonce: &str) -> String {
    use base64::Engine as _;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let header = json!({"typ": "openid4vci-proof+jwt", "alg": "EdDSA", "kid": did_key_verification_method(&key.verifying_key())});
    let now = app::db::now_ms() / 1000;
    let payload = json!({"aud": aud, "iat": now - 60, "exp": now + 600, "nonce": nonce});
    let input = format!("{}.{}", b64(&header), b64(&payload));
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(key.sign(input.as_bytes()).to_bytes());
    format!("{input}.{signature}")
}

impl World {
    /// The offer's pre-authorised code and PIN, read from its `openid-credential-offer://` link.
    async fn openid_offer(&self, public_id: &str) -> (String, String) {
        assert_eq!(self.open_offer("teacher", public_id).await.status, 200);
        let r = self.offer("teacher", public_id).await;
        let offer: WalletOffer = serde_json::from_str(&r.body).expect("offer");
        let encoded = offer
            .openid_offer
            .strip_prefix("openid-credential-offer://?credential_offer=")
            .expect("an OID4VCI offer link");
        let json: Value =
            serde_json::from_str(&app::domain::url::decode(encoded).expect("decodes"))
                .expect("JSON");
        assert_eq!(json["credential_issuer"], BASE);
        assert_eq!(
            json["credential_configuration_ids"][0],
            "OpenBadgeCredential_ldp_vc"
        );
        let grant = &json["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"];
        assert_eq!(grant["tx_code"]["length"], 6);
        assert!(offer.openid_qr_svg.starts_with("<svg"));
        (
            grant["pre-authorized_code"]
                .as_str()
                .expect("code")
                .to_owned(),
            offer.tx_code,
        )
    }

    async fn token_request(&self, body: &str) -> (Reply, Value) {
        self.send_as_wallet(
            "/oid4vci/token",
            "application/x-www-form-urlencoded",
            None,
            body.to_owned(),
        )
        .await
    }

    async fn credential_request(&self, token: Option<&str>, body: &Value) -> (Reply, Value) {
        self.send_as_wallet(
            "/oid4vci/credential",
            "application/json",
            token,
            body.to_string(),
        )
        .await
    }
}

fn token_body(code: &str, pin: &str) -> String {
    format!("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code={code}&tx_code={pin}")
}

/// A DID Authentication presentation signed with eddsa-rdfc-2022 by `key`'s did:key.
fn did_auth(key: &SigningKey, challenge: &str, domain: &str) -> Value {
    let did = did_key(&key.verifying_key());
    let vp = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did,
    });
    let mut proof = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2026-12-01T06:00:00Z",
        "verificationMethod": did_key_verification_method(&key.verifying_key()),
        "proofPurpose": "authentication",
        "challenge": challenge,
        "domain": domain,
    });
    let hash = hash_data(
        &vp,
        proof.as_object().expect("object"),
        ContextLoader::bundled(),
    )
    .expect("hash");
    proof["proofValue"] = multibase_encode(&key.sign(&hash.bytes()).to_bytes()).into();
    let mut signed = vp;
    signed["proof"] = proof;
    signed
}

fn submit_body(vp: &Value) -> String {
    json!({ "verifiablePresentation": vp }).to_string()
}

both_engines! {
    async fn a_wallet_claims_a_copy_bound_to_its_did(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let public_id = w.badge().await;
        // No offer yet: the page says so.
        let r = w.offer("teacher", &public_id).await;
        let offer: WalletOffer = serde_json::from_str(&r.body).expect("offer");
        assert_eq!(offer.state, None);
        let path = w.exchange(&public_id).await;
        let r = w.offer("teacher", &public_id).await;
        let offer: WalletOffer = serde_json::from_str(&r.body).expect("offer");
        assert!(matches!(offer.state, Some(OfferState::Open { .. })), "{offer:?}");
        assert!(offer.qr_svg.starts_with("<svg"), "{}", offer.qr_svg);
        assert!(offer.deep_link.starts_with("https://lcw.app/request?request="));
        assert_eq!(r.headers["cache-control"], "private, no-store");

        // An interaction URL's description.
        let r = w.app.api_get(&path).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v: Value = serde_json::from_str(&r.body).expect("JSON");
        assert_eq!(v["protocols"]["vcapi"], format!("{BASE}{path}"));

        let key = SigningKey::from_bytes(&[11u8; 32]);
        let holder = did_key(&key.verifying_key());
        // Answering before asking: no challenge yet.
        let (r, _) = w.wallet_post(&path, &submit_body(&did_auth(&key, "guess", BASE))).await;
        assert_eq!(r.status, 409, "{}", r.body);
        let challenge = w.challenge(&path).await;
        // Wrong challenge, wrong domain, another key than the holder's: 422, and the
        // exchange stays open for the right answer.
        for vp in [
            did_auth(&key, "not-the-challenge", BASE),
            did_auth(&key, &challenge, "https://elsewhere.example"),
            {
                let mut vp = did_auth(&SigningKey::from_bytes(&[12u8; 32]), &challenge, BASE);
                vp["holder"] = holder.clone().into();
                vp
            },
        ] {
            let (r, v) = w.wallet_post(&path, &submit_body(&vp)).await;
            assert_eq!(r.status, 422, "{}", r.body);
            assert!(v["message"].as_str().is_some_and(|m| m.starts_with("verifiablePresentation")), "{v}");
        }
        let (r, v) = w.wallet_post(&path, &submit_body(&did_auth(&key, &challenge, BASE))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.headers["access-control-allow-origin"], "*");
        let copy = v["verifiablePresentation"]["verifiableCredential"][0].clone();
        let original = w.document(&public_id).await;

        // The copy: signed by us, bound to the wallet's DID, the same badge and status entry.
        let verified = verify_credential(&copy, &w.published_resolver().await, ContextLoader::bundled())
            .expect("the copy verifies with the published did.json");
        assert_eq!(verified.controller, DID);
        assert_eq!(copy["credentialSubject"]["id"], holder);
        assert!(copy["id"].as_str().is_some_and(|id| id.starts_with("urn:uuid:")), "{}", copy["id"]);
        assert_ne!(copy["id"], original["id"]);
        // The holder did not choose to add their name: only the hashed e-mail identifies them.
        assert!(!copy.to_string().contains("Tamsin"), "{copy}");
        for field in ["achievement", "result", "identifier"] {
            assert_eq!(copy["credentialSubject"][field], original["credentialSubject"][field], "{field}");
        }
        for field in ["credentialStatus", "issuer", "validFrom", "evidence", "type", "@context"] {
            assert_eq!(copy[field], original[field], "{field}");
        }
        // Used once: the same answer again, or a new request, is refused.
        let (r, _) = w.wallet_post(&path, &submit_body(&did_auth(&key, &challenge, BASE))).await;
        assert_eq!(r.status, 409, "{}", r.body);
        let (r, _) = w.wallet_post(&path, "{}").await;
        assert_eq!(r.status, 409, "{}", r.body);
        let r = w.offer("teacher", &public_id).await;
        let offer: WalletOffer = serde_json::from_str(&r.body).expect("offer");
        assert_eq!(offer.state, Some(OfferState::Claimed { holder_did: holder.clone() }));
        assert!(offer.qr_svg.is_empty() && offer.exchange_url.is_empty());
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM credential_copies WHERE holder_did = $1")
            .bind(&holder)
            .fetch_one(w.app.db.pool())
            .await
            .expect("copies");
        assert_eq!(stored, 1);
        assert_eq!(w.audit_count("credential.wallet-offer").await, 1);
        assert_eq!(w.audit_count("credential.wallet-claim").await, 1);

        // Revoking the original revokes the copy: the same status list entry.
        assert_eq!(index_of(&copy), index_of(&original));
        let r = post_verify(&w.app, copy.to_string().as_bytes(), true).await;
        let report: Verification = serde_json::from_str(&r.body).expect("report");
        assert_eq!(report.verdict, Verdict::Valid, "{report:?}");
        assert_eq!(w.revoke(&public_id, "coordinator", "Withdrawn after review").await.status, 200);
        let r = post_verify(&w.app, copy.to_string().as_bytes(), true).await;
        let report: Verification = serde_json::from_str(&r.body).expect("report");
        assert_eq!(report.verdict, Verdict::Revoked, "{report:?}");
        // And a revoked credential cannot be offered again.
        assert_eq!(w.open_offer("teacher", &public_id).await.status, 404);
    }

    async fn only_the_holder_opens_offers_and_exchanges_expire(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let public_id = w.badge().await;
        // Every other role, in the cohort or not, learns nothing: not found.
        for who in ["assessor", "assessor2", "coordinator", "stranger"] {
            assert_eq!(w.open_offer(who, &public_id).await.status, 404, "{who}");
            assert_eq!(w.offer(who, &public_id).await.status, 404, "{who}");
        }
        assert_eq!(w.audit_count("credential.wallet-offer").await, 0);
        for bad in ["", "xyz", "0123456789abcdef0123456789abcdeg", &"f".repeat(32)] {
            assert_eq!(w.open_offer("teacher", bad).await.status, 404, "{bad:?}");
        }
        let path = w.exchange(&public_id).await;
        // Unknown, malformed and expired exchanges are gone; bodies that are not the step's
        // shape are 400s naming the field.
        let (r, _) = w.wallet_post("/exchanges/0123456789abcdef0123456789abcdef", "{}").await;
        assert_eq!(r.status, 404, "{}", r.body);
        let (r, _) = w.wallet_post("/exchanges/not-a-token", "{}").await;
        assert_eq!(r.status, 404, "{}", r.body);
        for (body, field) in [
            ("not json", "body"),
            ("[1, 2]", "body"),
            (r#"{"verifiablePresentation": "a string"}"#, "verifiablePresentation"),
            (r#"{"verifiablePresentation": {"type": "VerifiablePresentation"}}"#, "verifiablePresentation"),
        ] {
            let _ = w.challenge(&path).await;
            let (r, v) = w.wallet_post(&path, body).await;
            assert!(r.status == 400 || r.status == 409 || r.status == 422, "{body}: {}", r.status);
            assert!(v["message"].as_str().is_some_and(|m| m.starts_with(field)), "{body}: {v}");
        }
        let (r, _) = w.wallet_post(&path, &"x".repeat(70 * 1024)).await;
        assert_eq!(r.status, 413, "{}", r.body);
        sqlx::query("UPDATE wallet_exchanges SET expires_at = 1")
            .execute(w.app.db.pool())
            .await
            .expect("expire");
        let (r, _) = w.wallet_post(&path, "{}").await;
        assert_eq!(r.status, 404, "{}", r.body);
        let r = w.offer("teacher", &public_id).await;
        let offer: WalletOffer = serde_json::from_str(&r.body).expect("offer");
        assert_eq!(offer.state, Some(OfferState::Expired));
        assert!(offer.exchange_url.is_empty());
    }

    async fn two_wallets_racing_for_one_exchange_get_one_copy(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let public_id = w.badge().await;
        let path = w.exchange(&public_id).await;
        let challenge = w.challenge(&path).await;
        let a = did_auth(&SigningKey::from_bytes(&[21u8; 32]), &challenge, BASE);
        let b = did_auth(&SigningKey::from_bytes(&[22u8; 32]), &challenge, BASE);
        let (a, b) = (submit_body(&a), submit_body(&b));
        let (ra, rb) = tokio::join!(w.wallet_post(&path, &a), w.wallet_post(&path, &b));
        let mut statuses = [ra.0.status.as_u16(), rb.0.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "{} / {}", ra.0.body, rb.0.body);
        let copies: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM credential_copies")
            .fetch_one(w.app.db.pool())
            .await
            .expect("copies");
        assert_eq!(copies, 1);
    }

    async fn an_openid_wallet_claims_a_copy_with_the_pin_and_a_key_proof(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let public_id = w.badge().await;
        // Metadata, where both draft and final clients look for it.
        let r = w.app.api_get("/.well-known/openid-credential-issuer").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let meta: Value = serde_json::from_str(&r.body).expect("metadata");
        assert_eq!(meta["credential_issuer"], BASE);
        assert_eq!(meta["credential_configurations_supported"]["OpenBadgeCredential_ldp_vc"]["format"], "ldp_vc");
        for path in ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"] {
            let r = w.app.api_get(path).await;
            let v: Value = serde_json::from_str(&r.body).expect("AS metadata");
            assert_eq!(v["token_endpoint"], format!("{BASE}/oid4vci/token"), "{path}");
        }
        let (code, pin) = w.openid_offer(&public_id).await;
        // The token endpoint: a wrong or missing PIN, another grant, an unknown code.
        let wrong = if pin == "000000" { "000001" } else { "000000" };
        for (body, error) in [
            (token_body(&code, wrong), "invalid_grant"),
            (token_body(&code, ""), "invalid_grant"),
            (token_body("0123456789abcdef0123456789abcdef", &pin), "invalid_grant"),
            (format!("grant_type=authorization_code&code={code}"), "unsupported_grant_type"),
            ("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code".to_owned(), "invalid_request"),
        ] {
            let (r, v) = w.token_request(&body).await;
            assert_eq!(r.status, 400, "{body}: {}", r.body);
            assert_eq!(v["error"], error, "{body}");
        }
        // Draft wallets send the PIN as user_pin.
        let (r, v) = w.token_request(&format!("grant_type=urn:ietf:params:oauth:grant-type:pre-authorized_code&pre-authorized_code={code}&user_pin={pin}")).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let access = v["access_token"].as_str().expect("token").to_owned();
        let c_nonce = v["c_nonce"].as_str().expect("nonce").to_owned();
        assert_eq!(v["token_type"], "Bearer");
        // The code is used once.
        let (r, v) = w.token_request(&token_body(&code, &pin)).await;
        assert_eq!((r.status.as_u16(), v["error"].as_str()), (400, Some("invalid_grant")));

        let key = SigningKey::from_bytes(&[31u8; 32]);
        let holder = did_key(&key.verifying_key());
        let request = |proof: String| json!({"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proofs": {"jwt": [proof]}});
        // No token, a wrong audience, a nonce nobody gave: refused, naming the field.
        let (r, v) = w.credential_request(None, &request(key_proof(&key, BASE, &c_nonce))).await;
        assert_eq!(r.status, 401, "{}", r.body);
        assert_eq!(v["error"], "invalid_token");
        assert!(r.headers["www-authenticate"].to_str().unwrap_or_default().starts_with("Bearer"));
        let (r, v) = w.credential_request(Some(&access), &request(key_proof(&key, "https://elsewhere.example", &c_nonce))).await;
        assert_eq!((r.status.as_u16(), v["error"].as_str()), (400, Some("invalid_proof")), "{}", r.body);
        assert!(v["error_description"].as_str().is_some_and(|d| d.starts_with("proof: its aud")), "{v}");
        let (r, v) = w.credential_request(Some(&access), &request(key_proof(&key, BASE, "made-up"))).await;
        assert_eq!((r.status.as_u16(), v["error"].as_str()), (400, Some("invalid_nonce")), "{}", r.body);
        // A nonce from the nonce endpoint serves once, like the token's c_nonce.
        let r = w.wallet_post("/oid4vci/nonce", "").await.0;
        assert_eq!(r.status, 200, "{}", r.body);
        let fresh: Value = serde_json::from_str(&r.body).expect("nonce");
        let fresh = fresh["c_nonce"].as_str().expect("c_nonce").to_owned();
        // The draft-15 request shape: a single `proof`.
        let (r, v) = w.credential_request(Some(&access), &json!({"credential_configuration_id": "OpenBadgeCredential_ldp_vc", "proof": {"proof_type": "jwt", "jwt": key_proof(&key, BASE, &fresh)}})).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let copy = v["credentials"][0]["credential"].clone();
        let verified = verify_credential(&copy, &w.published_resolver().await, ContextLoader::bundled())
            .expect("the copy verifies with the published did.json");
        assert_eq!(verified.controller, DID);
        assert_eq!(copy["credentialSubject"]["id"], holder);
        let original = w.document(&public_id).await;
        assert_eq!(copy["credentialStatus"], original["credentialStatus"]);
        assert_eq!(copy["credentialSubject"]["result"], original["credentialSubject"]["result"]);
        // Used: the token, the nonce and the offer's other protocol.
        let (r, _) = w.credential_request(Some(&access), &request(key_proof(&key, BASE, &c_nonce))).await;
        assert_eq!(r.status, 401, "{}", r.body);
        let r = w.offer("teacher", &public_id).await;
        let offer: WalletOffer = serde_json::from_str(&r.body).expect("offer");
        assert_eq!(offer.state, Some(OfferState::Claimed { holder_did: holder.clone() }));
        assert!(offer.tx_code.is_empty() && offer.openid_offer.is_empty());
        let protocol: Option<String> = sqlx::query_scalar("SELECT protocol FROM wallet_exchanges WHERE holder_did = $1")
            .bind(&holder)
            .fetch_one(w.app.db.pool())
            .await
            .expect("exchange");
        assert_eq!(protocol.as_deref(), Some("oid4vci"));
    }

    async fn five_wrong_pins_void_an_openid_offer(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let public_id = w.badge().await;
        let (code, pin) = w.openid_offer(&public_id).await;
        let wrong = if pin == "999999" { "999998" } else { "999999" };
        for _ in 0..5 {
            let (r, _) = w.token_request(&token_body(&code, wrong)).await;
            assert_eq!(r.status, 400);
        }
        let (r, v) = w.token_request(&token_body(&code, &pin)).await;
        assert_eq!((r.status.as_u16(), v["error"].as_str()), (400, Some("invalid_grant")), "{}", r.body);
        let r = w.offer("teacher", &public_id).await;
        let offer: WalletOffer = serde_json::from_str(&r.body).expect("offer");
        assert_eq!(offer.state, Some(OfferState::Expired));
        // A new offer works.
        let (code, pin) = w.openid_offer(&public_id).await;
        let (r, _) = w.token_request(&token_body(&code, &pin)).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    async fn a_holder_may_put_their_name_in_the_copy(engine: Engine) {
        let Some(w) = World::new(engine).await else { return };
        let public_id = w.badge().await;
        let r = w
            .post("teacher", "/api/credentials/wallet-offer/open", &[("id", public_id.clone()), ("name", "on".into())])
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = w.offer("teacher", &public_id).await;
        let offer: WalletOffer = serde_json::from_str(&r.body).expect("offer");
        assert!(offer.include_name);
        let path = offer.exchange_url.strip_prefix(BASE).expect("ours").to_owned();
        let challenge = w.challenge(&path).await;
        let key = SigningKey::from_bytes(&[41u8; 32]);
        let (r, v) = w.wallet_post(&path, &submit_body(&did_auth(&key, &challenge, BASE))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let copy = &v["verifiablePresentation"]["verifiableCredential"][0];
        verify_credential(copy, &w.published_resolver().await, ContextLoader::bundled())
            .expect("the copy with a name verifies");
        let ids = copy["credentialSubject"]["identifier"].as_array().expect("identifiers");
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert_eq!(ids[1], json!({"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": "Tamsin Teacher"}));
        let original = w.document(&public_id).await;
        assert_eq!(ids[0], original["credentialSubject"]["identifier"][0]);
        assert!(!original.to_string().contains("Tamsin"), "the original is unchanged");
    }
}
