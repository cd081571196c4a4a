//! Cohorts, invitations, sign-up by invitation, reset links and deactivation.

mod common;

use common::{create_user, TestApp};

const PASSWORD: &str = "lantern orchard kettle";

async fn signed_in(app: &TestApp, email: &str, password: &str) -> String {
    let reply = app
        .post_form(
            "/api/account/sign-in",
            &[("email", email), ("password", password), ("next", "/")],
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.session_cookie().expect("cookie")
}

/// An institution coordinator with a new cohort; returns (cookie, cohort id).
async fn coordinator_with_cohort(app: &TestApp) -> (String, i64) {
    create_user(
        &app.db,
        "dana@school.org",
        "Dana Coordinator",
        PASSWORD,
        true,
    )
    .await;
    let cookie = signed_in(app, "dana@school.org", PASSWORD).await;
    let reply = app
        .post_form(
            "/api/cohorts/create",
            &[
                ("cohort[name]", "Spring 2027"),
                ("cohort[starts_on]", "2027-01-10"),
                ("cohort[ends_on]", "2027-06-30"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    (cookie, reply.body.parse().expect("cohort id"))
}

async fn invite(
    app: &TestApp,
    cookie: &str,
    cohort: i64,
    role: &str,
    days: &str,
    seats: &str,
) -> common::Reply {
    app.post_form(
        "/api/invitations/create",
        &[
            ("cohort_id", &cohort.to_string()),
            ("role", role),
            ("valid_days", days),
            ("seats", seats),
        ],
        Some(cookie),
    )
    .await
}

fn token_of(reply: &common::Reply) -> String {
    let link: String = serde_json::from_str(&reply.body).expect("link");
    assert!(link.starts_with("http://127.0.0.1:3000/join/"), "{link}");
    link.rsplit('/').next().expect("token").to_owned()
}

async fn sign_up(app: &TestApp, token: &str, name: &str, email: &str) -> common::Reply {
    app.post_form(
        "/api/join/sign-up",
        &[
            ("form[token]", token),
            ("form[name]", name),
            ("form[email]", email),
            ("form[password]", PASSWORD),
            ("form[confirm]", PASSWORD),
        ],
        None,
    )
    .await
}

both_engines! {
    async fn a_teacher_signs_up_through_an_invitation(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let (coordinator, cohort) = coordinator_with_cohort(&app).await;
        let token = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "2").await);

        let info: serde_json::Value = serde_json::from_str(&app.api_get(&format!("/api/join/info?token={token}")).await.body).expect("json");
        assert_eq!(info["cohort_name"], "Spring 2027");
        assert_eq!(info["role"], "Teacher");
        assert_eq!(info["state"], "Open");

        let reply = sign_up(&app, &token, "Ana Silva", "ana@school.org").await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let cookie = reply.session_cookie().expect("signed in at once");
        let me: serde_json::Value = serde_json::from_str(&app.get_as("/api/account/me", &cookie).await.body).expect("json");
        assert_eq!(me["roles"][0]["cohort_name"], "Spring 2027");
        assert_eq!(me["roles"][0]["role"], "Teacher");

        // The same email cannot register twice: without that account's password it is refused
        // (and counted like a failed sign-in); with it, it signs in to the same account. The
        // seat is spent neither time.
        let wrong = app
            .post_form(
                "/api/join/sign-up",
                &[
                    ("form[token]", token.as_str()),
                    ("form[name]", "Ana Again"),
                    ("form[email]", "ANA@school.org"),
                    ("form[password]", "not her password at all"),
                    ("form[confirm]", "not her password at all"),
                ],
                None,
            )
            .await;
        assert_eq!(wrong.status, 422);
        assert!(wrong.body.contains("form[email]") && wrong.body.contains("already has an account"), "{}", wrong.body);
        assert!(wrong.session_cookie().is_none());
        let failures: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures WHERE scope = 'account:ana@school.org'")
            .fetch_one(app.db.pool())
            .await
            .expect("count");
        assert_eq!(failures, 1, "the attempt counts against the account");
        let again = sign_up(&app, &token, "Ana Again", "ANA@school.org").await;
        assert_eq!(again.status, 200, "{}", again.body);
        let cookie = again.session_cookie().expect("signed in to her account");
        let me: serde_json::Value = serde_json::from_str(&app.get_as("/api/account/me", &cookie).await.body).expect("json");
        assert_eq!(me["name"], "Ana Silva", "the existing account, not a new one");

        // The cohort page lists her; the invitation shows one of two places used.
        let detail: serde_json::Value = serde_json::from_str(&app.get_as(&format!("/api/cohorts/detail?cohort_id={cohort}"), &coordinator).await.body).expect("json");
        let members = detail["members"].as_array().expect("members");
        assert!(members.iter().any(|m| m["email"] == "ana@school.org" && m["roles"][0] == "Teacher"));
        assert_eq!(detail["invitations"][0]["uses"], 1);
    }

    async fn used_up_expired_revoked_and_forged_invitations_are_refused(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let (coordinator, cohort) = coordinator_with_cohort(&app).await;

        let one_seat = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "1").await);
        assert_eq!(sign_up(&app, &one_seat, "Ana Silva", "ana@school.org").await.status, 200);
        let full = sign_up(&app, &one_seat, "Ben Okoro", "ben@school.org").await;
        assert_eq!(full.status, 422);
        assert!(full.body.contains("Every place"), "{}", full.body);

        let expired = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "5").await);
        sqlx::query("UPDATE invitations SET expires_at = 1 WHERE token = $1").bind(&expired).execute(app.db.pool()).await.expect("expire");
        let reply = sign_up(&app, &expired, "Ben Okoro", "ben@school.org").await;
        assert!(reply.body.contains("expired"), "{}", reply.body);
        let info = app.api_get(&format!("/api/join/info?token={expired}")).await;
        assert!(info.body.contains("Expired"), "{}", info.body);

        let revoked = token_of(&invite(&app, &coordinator, cohort, "assessor", "14", "5").await);
        let detail: serde_json::Value = serde_json::from_str(&app.get_as(&format!("/api/cohorts/detail?cohort_id={cohort}"), &coordinator).await.body).expect("json");
        let id = detail["invitations"][0]["id"].as_i64().expect("id");
        let reply = app.post_form("/api/invitations/revoke", &[("invitation_id", &id.to_string())], Some(&coordinator)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let reply = sign_up(&app, &revoked, "Ben Okoro", "ben@school.org").await;
        assert!(reply.body.contains("withdrawn"), "{}", reply.body);

        let forged = app.api_get("/api/join/info?token=not-a-real-token").await;
        assert_eq!(forged.status, 404);
        let forged_page = app.get("/join/not-a-real-token").await;
        assert_eq!(forged_page.status, 404);
        assert!(forged_page.body.contains("Not found"));
        let expired_page = app.get(&format!("/join/{expired}")).await;
        assert_eq!(expired_page.status, 410);
        assert!(expired_page.body.contains("This invitation has expired"));

        let bad = invite(&app, &coordinator, cohort, "teacher", "0", "5").await;
        assert!(bad.body.contains("valid_days"), "{}", bad.body);
        let bad = invite(&app, &coordinator, cohort, "principal", "7", "5").await;
        assert!(bad.body.contains("\"field\":\"role\""), "{}", bad.body);
    }

    async fn an_existing_account_joins_another_cohort_with_the_link(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let (coordinator, cohort) = coordinator_with_cohort(&app).await;
        create_user(&app.db, "asha@school.org", "Asha Assessor", PASSWORD, false).await;
        let asha = signed_in(&app, "asha@school.org", PASSWORD).await;
        let token = token_of(&invite(&app, &coordinator, cohort, "assessor", "7", "3").await);
        let reply = app.post_form("/api/join/accept", &[("token", &token)], Some(&asha)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let me: serde_json::Value = serde_json::from_str(&app.get_as("/api/account/me", &asha).await.body).expect("json");
        assert_eq!(me["roles"][0]["role"], "Assessor");
    }

    async fn a_reset_link_sets_a_new_password_once_and_ends_sessions(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let (coordinator, cohort) = coordinator_with_cohort(&app).await;
        let token = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "5").await);
        let ana_cookie = sign_up(&app, &token, "Ana Silva", "ana@school.org").await.session_cookie().expect("cookie");
        let detail: serde_json::Value = serde_json::from_str(&app.get_as(&format!("/api/cohorts/detail?cohort_id={cohort}"), &coordinator).await.body).expect("json");
        let ana = detail["members"].as_array().expect("members").iter().find(|m| m["email"] == "ana@school.org").expect("ana")["user_id"].as_i64().expect("id");

        let reply = app.post_form("/api/members/reset-link", &[("cohort_id", &cohort.to_string()), ("user_id", &ana.to_string())], Some(&coordinator)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let link: String = serde_json::from_str(&reply.body).expect("link");
        let reset = link.rsplit('/').next().expect("token").to_owned();
        let name: String = serde_json::from_str(&app.api_get(&format!("/api/reset/info?token={reset}")).await.body).expect("name");
        assert_eq!(name, "Ana Silva");

        let new = "brass compass meadow";
        let weak = app.post_form("/api/reset/complete", &[("token", &reset), ("new_password", "short"), ("confirm", "short")], None).await;
        assert!(weak.body.contains("at least 12"), "{}", weak.body);
        let ok = app.post_form("/api/reset/complete", &[("token", &reset), ("new_password", new), ("confirm", new)], None).await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        let me = app.get_as("/api/account/me", &ana_cookie).await;
        assert_eq!(me.body, "null", "her sessions ended");
        signed_in(&app, "ana@school.org", new).await;
        let reuse = app.post_form("/api/reset/complete", &[("token", &reset), ("new_password", new), ("confirm", new)], None).await;
        assert_eq!(reuse.status, 422, "one time only: {}", reuse.body);
    }

    async fn a_deactivated_member_cannot_sign_in_and_keeps_their_record(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let (coordinator, cohort) = coordinator_with_cohort(&app).await;
        let token = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "5").await);
        let ben_cookie = sign_up(&app, &token, "Ben Okoro", "ben@school.org").await.session_cookie().expect("cookie");
        let detail: serde_json::Value = serde_json::from_str(&app.get_as(&format!("/api/cohorts/detail?cohort_id={cohort}"), &coordinator).await.body).expect("json");
        let ben = detail["members"].as_array().expect("members").iter().find(|m| m["email"] == "ben@school.org").expect("ben")["user_id"].as_i64().expect("id");
        let reply = app.post_form("/api/members/deactivate", &[("cohort_id", &cohort.to_string()), ("user_id", &ben.to_string())], Some(&coordinator)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(app.get_as("/api/account/me", &ben_cookie).await.body, "null");
        let refused = app.post_form("/api/account/sign-in", &[("email", "ben@school.org"), ("password", PASSWORD), ("next", "/")], None).await;
        assert_eq!(refused.status, 422);
        let detail: serde_json::Value = serde_json::from_str(&app.get_as(&format!("/api/cohorts/detail?cohort_id={cohort}"), &coordinator).await.body).expect("json");
        let row = detail["members"].as_array().expect("members").iter().find(|m| m["email"] == "ben@school.org").cloned().expect("still listed");
        assert_eq!(row["active"], false);
        let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.deactivate'").fetch_one(app.db.pool()).await.expect("audit");
        assert_eq!(audit, 1);
    }

    async fn signed_out_visitors_are_sent_to_sign_in_and_back(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let page = app.get("/coordinator/cohorts/1?tab=members").await;
        assert_eq!(page.status, 302, "{}", page.body);
        let location = page.headers.get("location").and_then(|v| v.to_str().ok()).expect("location");
        assert_eq!(location, "/sign-in?next=%2Fcoordinator%2Fcohorts%2F1%3Ftab%3Dmembers");
        // A teacher on a coordinator page gets a polite 403.
        let (coordinator, cohort) = coordinator_with_cohort(&app).await;
        let token = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "5").await);
        let ana = sign_up(&app, &token, "Ana Silva", "ana@school.org").await.session_cookie().expect("cookie");
        let page = app.page_as("/coordinator", &ana).await;
        assert_eq!(page.status, 403);
        assert!(page.body.contains("No access"));
        let page = app.page_as(&format!("/coordinator/cohorts/{cohort}"), &coordinator).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Spring 2027") && page.body.contains("Ana Silva"));
    }

    async fn a_deactivated_member_is_reactivated_and_a_locked_out_admin_recovered(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let (coordinator, cohort) = coordinator_with_cohort(&app).await;
        let token = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "5").await);
        sign_up(&app, &token, "Ben Okafor", "ben@school.org").await;
        let ben = app::db::account::find_by_email(&app.db, "ben@school.org").await.expect("q").expect("ben").id;
        let ids = [("cohort_id", cohort.to_string()), ("user_id", ben.to_string())];
        let fields: Vec<(&str, &str)> = ids.iter().map(|(k, v)| (*k, v.as_str())).collect();
        // Reactivating someone active says so; after deactivation it works, and is audited.
        let reply = app.post_form("/api/members/reactivate", &fields, Some(&coordinator)).await;
        assert_eq!(reply.status, 422, "{}", reply.body);
        let reply = app.post_form("/api/members/deactivate", &fields, Some(&coordinator)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let reply = app.post_form("/api/members/reactivate", &fields, Some(&coordinator)).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        signed_in(&app, "ben@school.org", PASSWORD).await;
        let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'user.reactivate'").fetch_one(app.db.pool()).await.expect("audit");
        assert_eq!(audit, 1);

        // The institution coordinator locked out (deactivated by hand): the command line
        // brings them back with a new password and ends every old session.
        let dana = app::db::account::find_by_email(&app.db, "dana@school.org").await.expect("q").expect("dana").id;
        sqlx::query("UPDATE users SET deactivated_at = 1 WHERE id = $1").bind(dana).execute(app.db.writer()).await.expect("lock out");
        let refused = app.post_form("/api/account/sign-in", &[("email", "dana@school.org"), ("password", PASSWORD), ("next", "/")], None).await;
        assert_eq!(refused.status, 422);
        let id = server::cli::recover_account(&app.db, "dana@school.org", "quartz meadow lantern 7").await.expect("recovered");
        assert_eq!(id, dana);
        assert_eq!(app.get_as("/api/account/me", &coordinator).await.body, "null", "old sessions ended");
        signed_in(&app, "dana@school.org", "quartz meadow lantern 7").await;
        assert!(server::cli::recover_account(&app.db, "nobody@school.org", "quartz meadow lantern 7").await.is_err());
        assert!(server::cli::recover_account(&app.db, "dana@school.org", "short").await.is_err(), "the password rules apply");
    }
}
