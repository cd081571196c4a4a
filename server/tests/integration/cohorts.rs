//! Cohorts, invitations, sign-up by invitation, reset links and deactivation.

use crate::common;

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

/// The invitation's sign-up form, as the page posts it.
async fn request_sign_up(app: &TestApp, token: &str, name: &str, email: &str) -> common::Reply {
    app.post_form(
        "/api/join/sign-up",
        &[
            ("form[token]", token),
            ("form[name]", name),
            ("form[email]", email),
        ],
        None,
    )
    .await
}

/// The whole sign-up: the form, the e-mailed link, choosing the password. Returns the answer
/// to the last step (it signs the person in).
async fn sign_up(app: &TestApp, token: &str, name: &str, email: &str) -> common::Reply {
    let reply = request_sign_up(app, token, name, email).await;
    if reply.status != 200 {
        return reply;
    }
    let mail = common::last_mail(&app.db, &email.to_lowercase()).await;
    let link =
        common::link_in(&mail.message.text, "/sign-up/").expect("the e-mail carries the link");
    let code = link.rsplit('/').next().expect("code");
    app.post_form(
        "/api/sign-up/finish",
        &[
            ("code", code),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
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

        // The form answers "check your e-mail" and signs nobody in; the e-mail's link leads to
        // choosing a password, which makes the account, joins the cohort and signs in.
        let asked = request_sign_up(&app, &token, "Ana Silva", "ana@school.org").await;
        assert_eq!(asked.status, 200, "{}", asked.body);
        assert_eq!(asked.body, "\"/check-email\"");
        assert!(asked.session_cookie().is_none());
        assert!(app::db::account::find_by_email(&app.db, "ana@school.org").await.expect("q").is_none(), "no account before the address is confirmed");
        let mail = common::last_mail(&app.db, "ana@school.org").await;
        assert_eq!(mail.message.kind, app::mail::Kind::SignUpConfirm);
        assert!(mail.message.subject.contains("Spring 2027"));
        let link = common::link_in(&mail.message.text, "/sign-up/").expect("link");
        assert!(link.starts_with("http://127.0.0.1:3000/sign-up/"), "{link}");
        let code = link.rsplit('/').next().expect("code").to_owned();
        let pending: serde_json::Value = serde_json::from_str(&app.api_get(&format!("/api/sign-up/info?code={code}")).await.body).expect("json");
        assert_eq!((pending["name"].as_str(), pending["email"].as_str(), pending["cohort_name"].as_str()), (Some("Ana Silva"), Some("ana@school.org"), Some("Spring 2027")));
        let page = app.get(&format!("/sign-up/{code}")).await;
        assert!(page.status == 200 && page.body.contains("Join Spring 2027 as a teacher"), "{}", page.body);
        let weak = app.post_form("/api/sign-up/finish", &[("code", &code), ("password", "short"), ("confirm", "short")], None).await;
        assert_eq!(weak.status, 422);
        assert!(weak.body.contains("\"field\":\"password\""), "{}", weak.body);
        let reply = app.post_form("/api/sign-up/finish", &[("code", &code), ("password", PASSWORD), ("confirm", PASSWORD)], None).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let cookie = reply.session_cookie().expect("signed in");
        let me: serde_json::Value = serde_json::from_str(&app.get_as("/api/account/me", &cookie).await.body).expect("json");
        assert_eq!(me["roles"][0]["cohort_name"], "Spring 2027");
        assert_eq!(me["roles"][0]["role"], "Teacher");
        let reuse = app.post_form("/api/sign-up/finish", &[("code", &code), ("password", PASSWORD), ("confirm", PASSWORD)], None).await;
        assert_eq!(reuse.status, 422, "one time only: {}", reuse.body);
        assert!(reuse.body.contains("\"field\":\"code\""), "{}", reuse.body);

        // The same address again: the same answer, no account, no seat; the e-mail (to the
        // address's owner only) says how to join with the account.
        let again = request_sign_up(&app, &token, "Ana Again", "ANA@school.org").await;
        assert_eq!((again.status, again.body.as_str()), (asked.status, asked.body.as_str()));
        assert!(again.session_cookie().is_none());
        let mail = common::last_mail(&app.db, "ana@school.org").await;
        assert_eq!(mail.message.kind, app::mail::Kind::SignUpExisting);
        assert!(common::link_in(&mail.message.text, &format!("/join/{token}")).is_some(), "{}", mail.message.text);
        assert!(common::link_in(&mail.message.text, "/sign-up/").is_none(), "no way to a second account");
        let me: serde_json::Value = serde_json::from_str(&app.get_as("/api/account/me", &cookie).await.body).expect("json");
        assert_eq!(me["name"], "Ana Silva");

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

    /// The sign-up form cannot tell anyone whether an address has an account: for every kind
    /// of address (new, existing, deactivated, another case, a coordinator's) and both ways of
    /// posting (the app's call, a plain form without JavaScript), the answer is the same bytes
    /// and sets no session; only the e-mail differs. Each address may ask three times per
    /// window, whatever it is, then gets the same 429.
    async fn sign_up_answers_the_same_whether_or_not_the_address_has_an_account(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let (coordinator, cohort) = coordinator_with_cohort(&app).await;
        let token = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "50").await);
        create_user(&app.db, "kept@school.org", "Kept Member", PASSWORD, false).await;
        create_user(&app.db, "case@school.org", "Case Member", PASSWORD, false).await;
        let gone = create_user(&app.db, "gone@school.org", "Gone Member", PASSWORD, false).await;
        sqlx::query("UPDATE users SET deactivated_at = 1 WHERE id = $1").bind(gone).execute(app.db.writer()).await.expect("deactivate");
        let cases = [
            ("fresh@school.org", false),
            ("kept@school.org", true),
            ("Case@School.ORG", true),
            ("gone@school.org", true),
            ("dana@school.org", true),
        ];
        let plain = |email: &str| {
            axum::http::Request::post("/api/join/sign-up")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "text/html,application/xhtml+xml")
                .header("referer", format!("http://127.0.0.1:3000/join/{token}"))
                .header("host", "127.0.0.1:3000")
                .header("origin", "http://127.0.0.1:3000")
                .header("x-forwarded-for", "198.51.100.8")
                .body(axum::body::Body::from(format!(
                    "form%5Btoken%5D={token}&form%5Bname%5D=Some+One&form%5Bemail%5D={}",
                    app::domain::url::encode(email)
                )))
                .expect("request")
        };
        let shape = |r: &common::Reply| {
            let cookies: Vec<String> = r.headers.get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(|v| v.split('=').next().unwrap_or_default().to_owned()).collect();
            let location = r.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            (r.status, r.body.clone(), location, cookies)
        };
        let mut by_call = Vec::new();
        let mut by_form = Vec::new();
        for (email, has_account) in cases {
            let before = app::db::mail::to_recipient(&app.db, &email.to_lowercase()).await.expect("outbox").len();
            by_call.push(shape(&request_sign_up(&app, &token, "Some One", email).await));
            by_form.push(shape(&app.send(plain(email)).await));
            let mails = app::db::mail::to_recipient(&app.db, &email.to_lowercase()).await.expect("outbox");
            assert_eq!(mails.len(), before + 2, "{email}: one e-mail per request");
            let expected = if has_account { app::mail::Kind::SignUpExisting } else { app::mail::Kind::SignUpConfirm };
            assert!(mails.iter().skip(before).all(|m| m.message.kind == expected), "{email}");
        }
        for answers in [&by_call, &by_form] {
            assert!(answers.iter().all(|a| *a == answers[0]), "{answers:#?}");
            assert!(answers[0].0.is_success() || answers[0].0.is_redirection(), "{answers:#?}");
            assert!(!answers[0].3.iter().any(|c| c.contains("session")), "nobody is signed in: {answers:#?}");
        }
        assert_eq!(by_form[0].2, "/check-email", "the plain form goes to the page that says to check e-mail");
        // Two requests made per address; the third passes, the fourth is throttled, alike.
        let mut third = Vec::new();
        let mut fourth = Vec::new();
        for (email, _) in cases {
            third.push(request_sign_up(&app, &token, "Some One", email).await.status.as_u16());
            let r = request_sign_up(&app, &token, "Some One", email).await;
            fourth.push((r.status.as_u16(), r.body));
        }
        assert!(third.iter().all(|s| *s == 200), "{third:?}");
        assert!(fourth.iter().all(|f| f.0 == 429 && *f == fourth[0]), "{fourth:?}");
        let page = app.get("/check-email").await;
        assert!(page.status == 200 && page.body.contains("Check your e-mail"));
    }

    /// A confirmation link finishes only while its invitation still has a place and the address
    /// still has no account; otherwise the code is refused, naming the field, and nothing is made.
    async fn a_sign_up_link_is_refused_when_things_changed_since_it_was_sent(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let (coordinator, cohort) = coordinator_with_cohort(&app).await;
        let one_seat = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "1").await);
        let code_for = |email: &'static str| {
            let app = &app;
            async move {
                let mail = common::last_mail(&app.db, email).await;
                let link = common::link_in(&mail.message.text, "/sign-up/").expect("link");
                link.rsplit('/').next().expect("code").to_owned()
            }
        };
        let finish = |code: String| {
            let app = &app;
            async move {
                app.post_form("/api/sign-up/finish", &[("code", &code), ("password", PASSWORD), ("confirm", PASSWORD)], None).await
            }
        };
        // Two people ask for the one place; the first to finish gets it.
        assert_eq!(request_sign_up(&app, &one_seat, "Ana Silva", "ana@school.org").await.status, 200);
        assert_eq!(request_sign_up(&app, &one_seat, "Ben Okoro", "ben@school.org").await.status, 200);
        let (ana, ben) = (code_for("ana@school.org").await, code_for("ben@school.org").await);
        assert_eq!(finish(ana).await.status, 200);
        let late = finish(ben).await;
        assert_eq!(late.status, 422);
        assert!(late.body.contains("\"field\":\"code\"") && late.body.contains("Every place"), "{}", late.body);
        assert!(app::db::account::find_by_email(&app.db, "ben@school.org").await.expect("q").is_none());

        // Asked twice, then an account was made for the address another way: the old link stops.
        let open = token_of(&invite(&app, &coordinator, cohort, "teacher", "14", "9").await);
        assert_eq!(request_sign_up(&app, &open, "Cai Lin", "cai@school.org").await.status, 200);
        let cai = code_for("cai@school.org").await;
        create_user(&app.db, "cai@school.org", "Cai Lin", PASSWORD, false).await;
        let taken = finish(cai).await;
        assert_eq!(taken.status, 422);
        assert!(taken.body.contains("has an account now"), "{}", taken.body);

        // An expired link, and a forged one.
        assert_eq!(request_sign_up(&app, &open, "Dee Park", "dee@school.org").await.status, 200);
        let dee = code_for("dee@school.org").await;
        sqlx::query("UPDATE sign_up_requests SET expires_at = 1").execute(app.db.writer()).await.expect("expire");
        assert_eq!(app.api_get(&format!("/api/sign-up/info?code={dee}")).await.status, 404);
        assert_eq!(app.get(&format!("/sign-up/{dee}")).await.status, 404);
        assert_eq!(finish(dee).await.status, 422);
        assert_eq!(finish("forged".into()).await.status, 422);
    }

    /// The outbox through a real SMTP server: a queued message arrives once, in text and HTML,
    /// with a stable Message-ID; a message committed while no sender ran (the server was killed)
    /// is sent by the next one; two senders at once send each message once; a server that is
    /// down means a retry later, not a loss; a rolled-back event sends nothing.
    async fn the_outbox_delivers_each_message_once_through_smtp(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let smtp = common::SmtpServer::start();
        let delivery = server::config::MailDelivery::Smtp(smtp.url());
        let from = "Mentoring micro-credential <no-reply@school.test>";
        let sender = server::mail::Sender::new(&delivery, from).expect("sender");
        let queue = |n: usize, commit: bool| {
            let db = app.db.clone();
            async move {
                let mut tx = db.begin_write().await.expect("begin");
                for i in 0..n {
                    let m = app::mail::sign_up_confirm(&format!("p{i}@school.test"), &format!("Person {i}"), "Spring", "a teacher", &format!("http://127.0.0.1:3000/sign-up/code{i}"), 24);
                    app::db::mail::enqueue(&mut tx, &m).await.expect("enqueue");
                }
                if commit { tx.commit().await.expect("commit") } else { tx.rollback().await.expect("rollback") }
            }
        };
        // Committed with no sender running (as after a kill -9 between commit and send), and
        // one rolled back.
        queue(1, true).await;
        queue(1, false).await;
        assert_eq!(sender.deliver_due(&app.db).await.expect("deliver"), 1);
        assert_eq!(sender.deliver_due(&app.db).await.expect("deliver"), 0, "nothing twice");
        let got = smtp.messages();
        assert_eq!(got.len(), 1);
        let m = &got[0];
        for header in ["To: p0@school.test", "Subject: Finish joining Spring", "Auto-Submitted: auto-generated", "multipart/alternative", "text/plain", "text/html"] {
            assert!(m.contains(header), "{header} missing in {m}");
        }
        let row = &common::last_mail(&app.db, "p0@school.test").await;
        assert!(row.sent_at.is_some());
        assert!(m.contains(&format!("Message-ID: <outbox-{}@school.test>", row.id)), "{m}");

        // Two senders (two instances) at once over 12 messages: each arrives exactly once.
        queue(12, true).await;
        let other = server::mail::Sender::new(&delivery, from).expect("sender");
        let (a, b) = tokio::join!(sender.deliver_due(&app.db), other.deliver_due(&app.db));
        assert_eq!(a.expect("a") + b.expect("b"), 12);
        let got = smtp.messages();
        assert_eq!(got.len(), 13);
        let mut ids: Vec<&str> = got.iter().filter_map(|m| m.lines().find(|l| l.starts_with("Message-ID:"))).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 13, "no message sent twice");

        // The SMTP server down: the message waits with a backoff, then goes when it is back.
        let port = smtp.port;
        drop(smtp);
        queue(1, true).await;
        let down = server::mail::Sender::new(&server::config::MailDelivery::Smtp(format!("smtp://127.0.0.1:{port}")), from).expect("sender");
        assert_eq!(down.deliver_due(&app.db).await.expect("deliver"), 0);
        let waiting = &common::last_mail(&app.db, "p0@school.test").await;
        assert_eq!((waiting.sent_at, waiting.attempts), (None, 1), "kept for a retry");
        assert_eq!(down.deliver_due(&app.db).await.expect("deliver"), 0, "not before its backoff");
        let again = common::SmtpServer::start();
        sqlx::query("UPDATE outbox SET next_attempt_at = 0 WHERE sent_at IS NULL").execute(app.db.writer()).await.expect("due now");
        let back = server::mail::Sender::new(&server::config::MailDelivery::Smtp(again.url()), from).expect("sender");
        assert_eq!(back.deliver_due(&app.db).await.expect("deliver"), 1);
        assert_eq!(again.messages().len(), 1);

        // Development: the message goes to a folder instead, as a whole .eml file.
        queue(1, true).await;
        let dir = std::env::temp_dir().join(format!("mcf-mail-{}-{engine:?}", std::process::id()));
        let folder = server::mail::Sender::new(&server::config::MailDelivery::Folder(dir.clone()), from).expect("sender");
        assert_eq!(folder.deliver_due(&app.db).await.expect("deliver"), 1);
        let files: Vec<_> = std::fs::read_dir(&dir).expect("folder").collect();
        assert_eq!(files.len(), 1);
        let _ = std::fs::remove_dir_all(&dir);
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
