//! E-mail that reaches people (issue 17): reminders and digests sent once to those who want
//! them, invitations to a pasted list that people join from, and reset links by e-mail.

use crate::common;

use app::db::notify::sweep::{sweep, Schedule, Swept};
use app::domain::account::Role;
use common::{Cast, Engine, Person, TestApp};

const PASSWORD: &str = "lantern orchard kettle";
const DAY: i64 = 86_400_000;

async fn world(engine: Engine) -> Option<(TestApp, Cast)> {
    let app = TestApp::new(engine).await?;
    let roster: [Person; 6] = [
        ("coord", "Cora Coordinator", &[(true, Role::Coordinator)]),
        ("ana", "Ana Teacher", &[(true, Role::Teacher)]),
        ("ben", "Ben Teacher", &[(true, Role::Teacher)]),
        ("asse", "Ada Assessor", &[(true, Role::Assessor)]),
        ("cara", "Cara Elsewhere", &[(false, Role::Teacher)]),
        ("gone", "Gil Gone", &[(true, Role::Teacher)]),
    ];
    let cast = Cast::new(&app, "Mail", "m.test", &roster).await;
    Some((app, cast))
}

async fn exec(db: &app::db::Db, sql: &str, binds: &[i64]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(db.pool()).await.expect(sql);
}

async fn kinds_to(db: &app::db::Db, to: &str) -> Vec<&'static str> {
    app::db::mail::to_recipient(db, to)
        .await
        .expect("outbox")
        .iter()
        .map(|r| r.message.kind.as_str())
        .collect()
}

both_engines! {
    async fn reminders_and_digests_go_once_to_those_who_want_them(engine: Engine) {
        let Some((app, cast)) = world(engine).await else { return };
        let db = &app.db;
        let now = app::db::now_ms();
        let (ana, ben, cara, gone) = (cast.id("ana"), cast.id("ben"), cast.id("cara"), cast.id("gone"));
        // Ana joined 20 days ago and has done nothing; Ben joined 2 days ago; Cara (cohort B)
        // joined 20 days ago but turned reminders off; Gil is deactivated.
        for (user, days) in [(ana, 20), (ben, 2), (cara, 20), (gone, 30)] {
            exec(db, "UPDATE memberships SET created_at = $1 WHERE user_id = $2", &[now - days * DAY, user]).await;
        }
        exec(db, "UPDATE users SET deactivated_at = 1 WHERE id = $1", &[gone]).await;
        let mut tx = db.begin_write().await.expect("begin");
        let (token, on) = app::db::notify::settings::of_user_in(&mut tx, cara).await.expect("settings");
        tx.commit().await.expect("commit");
        assert!(on, "reminders start on");
        assert!(app::db::notify::settings::set_reminders(db, &token, false).await.expect("off"));
        // Ben's evidence has waited 30 days in cohort A (target 10 business days).
        let competency: i64 = sqlx::query_scalar("SELECT c.id FROM competencies c JOIN frameworks f ON f.id = c.framework_id WHERE f.slug = 'mcf' ORDER BY c.id LIMIT 1")
            .fetch_one(db.pool()).await.expect("competency");
        exec(db, "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, created_at, updated_at, submitted_at) \
             VALUES ($1, $2, $3, 1, 'submitted', $4, $4, $4)", &[ben, cast.cohort, competency, now - 30 * DAY]).await;

        let schedule = Schedule { inactive_days: 14, baseline_days: 7, digest: true };
        let (a, b) = tokio::join!(sweep(db, &schedule, now), sweep(db, &schedule, now));
        let (a, b) = (a.expect("sweep"), b.expect("sweep"));
        let total = |f: fn(&Swept) -> usize| f(&a) + f(&b);
        assert_eq!(total(|s| s.inactive), 1, "Ana only: {a:?} {b:?}");
        assert_eq!(total(|s| s.baseline), 1, "Ana only");
        assert_eq!(total(|s| s.overdue), 1, "Ben's evidence, to Cora");
        assert_eq!(total(|s| s.digests), 1, "Cora's week");
        assert_eq!(sweep(db, &schedule, now).await.expect("sweep"), Swept::default(), "nothing twice");
        assert_eq!(kinds_to(db, "ana@m.test").await, ["reminder.inactive", "reminder.baseline"]);
        assert_eq!(kinds_to(db, "coord@m.test").await, ["reminder.overdue", "digest.weekly"]);
        for quiet in ["ben@m.test", "cara@m.test", "gone@m.test", "asse@m.test"] {
            assert!(kinds_to(db, quiet).await.is_empty(), "{quiet}");
        }
        let rows = app::db::mail::to_recipient(db, "ana@m.test").await.expect("outbox");
        let inactive = &rows[0].message;
        assert!(inactive.text.contains("It has been 20 days") && inactive.text.contains("/dashboard"), "{}", inactive.text);
        assert!(inactive.text.contains("/mail/settings/") && inactive.unsubscribe.as_deref().is_some_and(|u| u.contains("/mail/unsubscribe/")));
        let coord = app::db::mail::to_recipient(db, "coord@m.test").await.expect("outbox");
        assert!(coord[0].message.text.contains("business days for a decision; the cohort's target is 10"), "{}", coord[0].message.text);
        // Ben joined in the past seven days; his evidence was submitted long before them.
        assert!(coord[1].message.text.contains("Mail A: 1 joined, 0 submitted, 0 decided; 1 waiting now, 1 beyond the turnaround target."), "{}", coord[1].message.text);

        // Ana works today; fifteen days later she (and Ben) have been quiet two weeks again, Ben
        // has no baseline after a week, and it is another week for the digest. Ben's overdue
        // evidence was told already.
        exec(db, "INSERT INTO unit_progress (user_id, unit_id, done_at) SELECT $1, id, $2 FROM units LIMIT 1", &[ana, now]).await;
        let later = sweep(db, &schedule, now + 15 * DAY).await.expect("sweep");
        assert_eq!(later, Swept { lapsed: 0, inactive: 2, baseline: 1, overdue: 0, digests: 1 });
        // Turned off everywhere: nothing more for Ana.
        let ana_token: String = sqlx::query_scalar("SELECT token FROM mail_settings WHERE user_id = $1").bind(ana).fetch_one(db.pool()).await.expect("token");
        assert!(app::db::notify::settings::set_reminders(db, &ana_token, false).await.expect("off"));
        let before = kinds_to(db, "ana@m.test").await.len();
        sweep(db, &schedule, now + 40 * DAY).await.expect("sweep");
        assert_eq!(kinds_to(db, "ana@m.test").await.len(), before);
    }

    async fn a_pasted_list_invites_each_person_who_joins_from_the_email(engine: Engine) {
        let Some((app, cast)) = world(engine).await else { return };
        let db = &app.db;
        let coord = cast.cookie("coord");
        let cohort = cast.cohort.to_string();
        let invite = |addresses: &'static str, role: &'static str, cookie: &str| {
            let cookie = cookie.to_owned();
            let app = &app;
            let cohort = cohort.clone();
            async move {
                app.post_form("/api/invitations/email", &[
                    ("cohort_id", &cohort), ("role", role), ("valid_days", "14"), ("addresses", addresses),
                ], Some(&cookie)).await
            }
        };
        let count = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(db.pool()).await.expect(sql) };
        let (outbox, invitations) = (count("SELECT COUNT(*) FROM outbox").await, count("SELECT COUNT(*) FROM invitations").await);
        // A bad entry: nothing is sent, and the answer names the field and the entry.
        let bad = invite("new1@x.test, not-an-address", "teacher", coord).await;
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("addresses") && bad.body.contains("not-an-address"), "{}", bad.body);
        assert_eq!((count("SELECT COUNT(*) FROM outbox").await, count("SELECT COUNT(*) FROM invitations").await), (outbox, invitations));
        assert_eq!(invite("x@x.test", "coordinator", coord).await.status, 422, "only an institution coordinator makes coordinators");
        assert_eq!(invite("x@x.test", "teacher", cast.cookie("ana")).await.status, 403);

        let ok = invite("New One <New1@x.test>, new2@x.test\nana@m.test\nnew2@x.test", "teacher", coord).await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert_eq!(ok.body.trim(), "3", "three people, one of them twice");
        assert_eq!(kinds_to(db, "new1@x.test").await, ["invitation"]);
        assert_eq!(kinds_to(db, "ana@m.test").await, ["invitation.existing"]);
        let mail = common::last_mail(db, "new1@x.test").await.message;
        assert!(mail.text.contains("Cora Coordinator invites you to join Mail A as a teacher"), "{}", mail.text);
        let link = common::link_in(&mail.text, "/sign-up/").expect("a sign-up link");
        let code = link.rsplit('/').next().expect("code").to_owned();
        let existing = common::last_mail(db, "ana@m.test").await.message;
        assert!(common::link_in(&existing.text, "/join/").is_some(), "{}", existing.text);

        // The person names themself and chooses a password: one page, no second e-mail.
        let info = app.api_get(&format!("/api/sign-up/info?code={code}")).await;
        assert_eq!(info.status, 200, "{}", info.body);
        assert!(info.body.contains("\"name\":\"\""), "{}", info.body);
        let page = app.get(&format!("/sign-up/{code}")).await;
        assert!(page.body.contains("Your name"), "the page asks for a name");
        let nameless = app.post_form("/api/sign-up/finish", &[("code", &code), ("password", PASSWORD), ("confirm", PASSWORD)], None).await;
        assert_eq!(nameless.status, 422);
        assert!(nameless.body.contains("\"name\""), "{}", nameless.body);
        let done = app.post_form("/api/sign-up/finish", &[("code", &code), ("password", PASSWORD), ("confirm", PASSWORD), ("name", "Nia New")], None).await;
        assert_eq!(done.status, 200, "{}", done.body);
        let member: (String, String) = sqlx::query_as("SELECT u.name, m.role FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = 'new1@x.test' AND m.cohort_id = $1")
            .bind(cast.cohort).fetch_one(db.pool()).await.expect("a member now");
        assert_eq!(member, ("Nia New".to_owned(), "teacher".to_owned()));
        let again = app.post_form("/api/sign-up/finish", &[("code", &code), ("password", PASSWORD), ("confirm", PASSWORD), ("name", "Nia New")], None).await;
        assert_eq!(again.status, 422, "the link works once");
        let emailed: Vec<(String, i64)> = sqlx::query_as("SELECT email, uses FROM invitations WHERE email IS NOT NULL ORDER BY email")
            .fetch_all(db.pool()).await.expect("invitations");
        assert_eq!(emailed, [("ana@m.test".to_owned(), 0), ("new1@x.test".to_owned(), 1), ("new2@x.test".to_owned(), 0)]);
        let audited: String = sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'invitation.email'").fetch_one(db.pool()).await.expect("audit");
        assert!(audited.contains("\"addresses\":3") && audited.contains("\"with_accounts\":1"), "{audited}");
    }

    async fn reset_links_arrive_by_email_and_strangers_learn_nothing(engine: Engine) {
        let Some((app, cast)) = world(engine).await else { return };
        let db = &app.db;
        let ask = |email: &'static str| {
            let app = &app;
            async move { app.post_form("/api/account/forgot-password", &[("email", email)], None).await }
        };
        let known = ask("Ana@M.test").await;
        let stranger = ask("nobody@m.test").await;
        assert_eq!((known.status.as_u16(), stranger.status.as_u16()), (200, 200));
        assert_eq!(known.body, stranger.body, "the same answer either way");
        exec(db, "UPDATE users SET deactivated_at = 1 WHERE id = $1", &[cast.id("gone")]).await;
        assert_eq!(ask("gone@m.test").await.status, 200);
        assert!(kinds_to(db, "nobody@m.test").await.is_empty());
        assert!(kinds_to(db, "gone@m.test").await.is_empty(), "no link for a deactivated account");
        let mail = common::last_mail(db, "ana@m.test").await.message;
        assert_eq!(mail.kind.as_str(), "password.reset");
        assert!(mail.text.contains("Someone, probably you, asked") && mail.text.contains("for 1 hours"), "{}", mail.text);
        let link = common::link_in(&mail.text, "/reset/").expect("a reset link");
        let token = link.rsplit('/').next().expect("token");
        let info = app.api_get(&format!("/api/reset/info?token={token}")).await;
        assert_eq!(info.status, 200, "{}", info.body);
        let bad = ask("not an address").await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("\"email\""), "{}", bad.body);
        // A few tries per address, then a pause.
        ask("ana@m.test").await;
        ask("ana@m.test").await;
        assert_eq!(ask("ana@m.test").await.status, 429);

        // A coordinator's reset link is e-mailed too, naming them.
        let r = app.post_form("/api/members/reset-link", &[("cohort_id", &cast.cohort.to_string()), ("user_id", &cast.id("ben").to_string())], Some(cast.cookie("coord"))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let mail = common::last_mail(db, "ben@m.test").await.message;
        assert!(mail.text.contains("Cora Coordinator, your programme coordinator, issued a link"), "{}", mail.text);
        assert!(r.body.contains(&common::link_in(&mail.text, "/reset/").expect("link")), "the page shows the same link");
    }
}
