//! Sign-in, sessions, sign-out, throttling, password change, cross-site refusal.

use crate::common;

use common::{create_user, TestApp};

const PASSWORD: &str = "lantern orchard kettle";

async fn sign_in(app: &TestApp, email: &str, password: &str) -> common::Reply {
    app.post_form(
        "/api/account/sign-in",
        &[
            ("email", email),
            ("password", password),
            ("next", "/frameworks/mcf"),
        ],
        None,
    )
    .await
}

async fn me(app: &TestApp, cookie: &str) -> serde_json::Value {
    let reply = app.get_as("/api/account/me", cookie).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).expect("json")
}

both_engines! {
    async fn sign_in_then_out(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;

        let reply = sign_in(&app, " Ana@School.org ", PASSWORD).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        assert_eq!(reply.body, "\"/frameworks/mcf\"");
        let set_cookie = reply.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
        let cookie = reply.session_cookie().expect("session cookie");
        assert_eq!(me(&app, &cookie).await["name"], "Ana Silva");

        // A second sign-in gets a fresh session id.
        let again = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        assert_ne!(again, cookie);

        let out = app.post_form("/api/account/sign-out", &[], Some(&cookie)).await;
        assert_eq!(out.status, 200, "{}", out.body);
        assert!(me(&app, &cookie).await.is_null(), "the session is over on the server");
        assert_eq!(me(&app, &again).await["name"], "Ana Silva", "other sessions live on");
    }

    async fn unknown_email_and_wrong_password_get_the_same_answer(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let wrong = sign_in(&app, "ana@school.org", "not the password").await;
        let unknown = sign_in(&app, "nobody@school.org", PASSWORD).await;
        assert_eq!(wrong.status, 422);
        assert_eq!(wrong.status, unknown.status);
        assert_eq!(wrong.body, unknown.body);
        assert!(wrong.body.contains("do not match"), "{}", wrong.body);
        assert!(wrong.session_cookie().is_none());
        let empty = sign_in(&app, "not-an-email", PASSWORD).await;
        assert!(empty.body.contains("\"field\":\"email\""), "{}", empty.body);
    }

    async fn repeated_failures_are_throttled_per_account(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        for _ in 0..5 {
            assert_eq!(sign_in(&app, "ana@school.org", "wrong guess here").await.status, 422);
        }
        // Even the right password waits now.
        let blocked = sign_in(&app, "ana@school.org", PASSWORD).await;
        assert_eq!(blocked.status, 429, "{}", blocked.body);
        assert!(blocked.body.contains("TooManyRequests"), "{}", blocked.body);
        // Another account from the same address is not affected.
        create_user(&app.db, "ben@school.org", "Ben Okoro", PASSWORD, false).await;
        assert_eq!(sign_in(&app, "ben@school.org", PASSWORD).await.status, 200);
    }

    async fn guesses_sent_at_once_are_counted_before_any_is_checked(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let guesses = (0..12).map(|i| {
            let app = &app;
            async move { sign_in(app, "ana@school.org", &format!("wrong guess number {i}")).await.status.as_u16() }
        });
        let statuses = futures_join(guesses).await;
        let checked = statuses.iter().filter(|s| **s == 422).count();
        assert!(checked <= app::auth::throttle::PER_ACCOUNT as usize, "{checked} guesses were checked: {statuses:?}");
        assert!(statuses.iter().all(|s| matches!(s, 422 | 429)), "{statuses:?}");
    }

    async fn guessing_the_current_password_is_throttled(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let cookie = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        let change = |current: &'static str| {
            let app = &app;
            let cookie = cookie.clone();
            async move {
                app.post_form(
                    "/api/account/password",
                    &[("current", current), ("new_password", "brass compass meadow"), ("confirm", "brass compass meadow")],
                    Some(&cookie),
                )
                .await
            }
        };
        for _ in 0..app::auth::throttle::PER_ACCOUNT {
            let reply = change("not my password").await;
            assert_eq!(reply.status, 422, "{}", reply.body);
        }
        let blocked = change(PASSWORD).await;
        assert_eq!(blocked.status, 429, "even the right one waits now: {}", blocked.body);
    }

    async fn signing_in_again_ends_the_previous_session(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let first = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        let again = app
            .post_form(
                "/api/account/sign-in",
                &[("email", "ana@school.org"), ("password", PASSWORD), ("next", "/")],
                Some(&first),
            )
            .await;
        let second = again.session_cookie().expect("a new cookie");
        assert_ne!(first, second);
        assert!(me(&app, &first).await.is_null(), "the previous session ended");
        assert_eq!(me(&app, &second).await["name"], "Ana Silva");
    }

    async fn many_failures_from_one_address_are_throttled(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        // Different (unknown) accounts from one address: the per-address limit applies.
        for i in 0..app::auth::throttle::PER_ADDRESS {
            let reply = sign_in(&app, &format!("guess{i}@school.org"), "wrong guess here").await;
            assert_eq!(reply.status, 422, "attempt {i}: {}", reply.body);
        }
        let blocked = sign_in(&app, "ana@school.org", PASSWORD).await;
        assert_eq!(blocked.status, 429, "{}", blocked.body);
    }

    async fn sessions_expire_when_idle_and_absolutely(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let idle = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        let old = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        let hash = |c: &str| app::auth::session::hash_token(c.split_once('=').map(|(_, t)| t).unwrap_or_default());
        let now = app::db::now_ms();
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now - app::auth::session::IDLE_TIMEOUT_MS - 1000)
            .bind(hash(&idle))
            .execute(app.db.pool())
            .await
            .expect("age session");
        sqlx::query("UPDATE sessions SET absolute_expires_at = $1 WHERE id_hash = $2")
            .bind(now - 1)
            .bind(hash(&old))
            .execute(app.db.pool())
            .await
            .expect("expire session");
        assert!(me(&app, &idle).await.is_null(), "idle timeout");
        assert!(me(&app, &old).await.is_null(), "absolute timeout");
    }

    async fn sessions_are_listed_and_can_be_ended(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let laptop = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        let phone = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        let list: serde_json::Value =
            serde_json::from_str(&app.get_as("/api/account/sessions", &laptop).await.body).expect("json");
        let list = list.as_array().expect("array");
        assert_eq!(list.len(), 2);
        assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
        assert!(list.iter().all(|s| s["client_ip"] == "198.51.100.7"));
        let other = list.iter().find(|s| s["current"] == false).expect("other")["id"].as_str().expect("id").to_owned();

        // Someone else cannot end it.
        create_user(&app.db, "ben@school.org", "Ben Okoro", PASSWORD, false).await;
        let ben = sign_in(&app, "ben@school.org", PASSWORD).await.session_cookie().expect("cookie");
        let refused = app.post_form("/api/account/sessions/end", &[("id", &other)], Some(&ben)).await;
        assert_eq!(refused.status, 404);
        assert_eq!(me(&app, &phone).await["name"], "Ana Silva");

        let ended = app.post_form("/api/account/sessions/end", &[("id", &other)], Some(&laptop)).await;
        assert_eq!(ended.status, 200, "{}", ended.body);
        assert!(me(&app, &phone).await.is_null());
        assert_eq!(me(&app, &laptop).await["name"], "Ana Silva");
    }

    async fn a_password_change_ends_the_other_sessions(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let here = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        let there = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        let new = "brass compass meadow";
        let weak = app
            .post_form("/api/account/password", &[("current", PASSWORD), ("new_password", "password1234"), ("confirm", "password1234")], Some(&here))
            .await;
        assert_eq!(weak.status, 422);
        assert!(weak.body.contains("new_password") && weak.body.contains("too common"), "{}", weak.body);
        let wrong = app
            .post_form("/api/account/password", &[("current", "not it at all"), ("new_password", new), ("confirm", new)], Some(&here))
            .await;
        assert!(wrong.body.contains("\"field\":\"current\""), "{}", wrong.body);
        let ok = app
            .post_form("/api/account/password", &[("current", PASSWORD), ("new_password", new), ("confirm", new)], Some(&here))
            .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert_eq!(me(&app, &here).await["name"], "Ana Silva", "this session stays");
        assert!(me(&app, &there).await.is_null(), "the other session ended");
        assert_eq!(sign_in(&app, "ana@school.org", PASSWORD).await.status, 422);
        assert_eq!(sign_in(&app, "ana@school.org", new).await.status, 200);
    }

    async fn deactivated_people_cannot_sign_in(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let id = create_user(&app.db, "ana@school.org", "Ana Silva", PASSWORD, false).await;
        let cookie = sign_in(&app, "ana@school.org", PASSWORD).await.session_cookie().expect("cookie");
        sqlx::query("UPDATE users SET deactivated_at = 1 WHERE id = $1").bind(id).execute(app.db.pool()).await.expect("deactivate");
        assert!(me(&app, &cookie).await.is_null(), "live sessions stop working");
        assert_eq!(sign_in(&app, "ana@school.org", PASSWORD).await.status, 422);
    }

    async fn cross_site_posts_are_refused(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let request = axum::http::Request::post("/api/account/sign-in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("host", "127.0.0.1:3000")
            .header("origin", "https://evil.example")
            .body(axum::body::Body::from("email=a%40b.org&password=x&next=%2F"))
            .expect("request");
        let reply = app.send(request).await;
        assert_eq!(reply.status, 403);
    }

    async fn pages_carry_a_strict_csp_with_the_scripts_nonce(engine: Engine) {
        let Some(app) = TestApp::new(engine).await else { return };
        let page = app.get("/").await;
        let csp = page.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).expect("csp").to_owned();
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("nonce");
        assert!(page.body.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");
        // A path no route knows is answered by the fallback handler: same policy, its own nonce.
        let lost = app.get("/no/such/page").await;
        assert_eq!(lost.status, 404);
        let lost_csp = lost.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).expect("csp").to_owned();
        let lost_nonce = lost_csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("nonce on the 404 page");
        assert!(lost.body.contains(&format!("nonce=\"{lost_nonce}\"")), "the 404 page's hydration script carries the header's nonce");
        // Whoever is signed in sees their own header there too, without JavaScript (issue 15).
        let cookie = common::new_teacher(&app, "lost@school.org", "Lou Lost").await;
        let lost = app.page_as("/no/such/page", &cookie).await;
        assert_eq!(lost.status, 404);
        assert!(lost.body.contains("Sign out (Lou Lost)"), "the 404 page's header knows the reader");
        assert!(!lost.body.contains(">Sign in<"), "and does not offer to sign in");
        let other = app.get("/").await;
        assert!(!other.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().contains(nonce), "a fresh nonce per response");
    }
}

/// Runs futures at once on the test's runtime and collects their outputs in order.
async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = futures.map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = (0..pinned.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (slot, fut) in out.iter_mut().zip(pinned.iter_mut()) {
            if slot.is_none() {
                match fut.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(|o| o.expect("ready")).collect()
}
