//! Backup under write load, then restore: every save acknowledged before the backup began is
//! in the restored database, it passes SQLite's integrity check, and badges issued before
//! still verify with the same CREDENTIAL_KEY (and the signing key cannot be opened without it).

use crate::common;

use app::domain::journal::SaveOutcome;
use std::sync::{Arc, Mutex};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_every_acknowledged_save() {
    common::within_limit(run()).await;
}

async fn run() {
    let dir = std::env::temp_dir().join(format!("mcf-backup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}/live.db", dir.display());
    let db = app::db::Db::connect(&url, 4).await.expect("connect");
    db.migrate().await.expect("migrate");
    server::startup::import_content(&db, &common::content_dir())
        .await
        .expect("content");
    let settings = app::db::credential::IssuerSettings {
        base_url: "http://127.0.0.1:3000".into(),
        name: "Backup test".into(),
        sealing: app::credentials::issuer::SealingKey::development(),
        linkedin_organization: None,
    };
    let issuer = app::db::credential::load_issuer(&db, &settings)
        .await
        .expect("issuer");
    db.set_issuer(issuer.clone());

    // A teacher with a badge and a journal entry.
    let teacher =
        common::create_user(&db, "tess@b.test", "Tess", common::TEST_PASSWORD, false).await;
    let identity = app::db::submission::competency(&db, "mcf", "specialized-development-of-self")
        .await
        .expect("q")
        .expect("competency");
    let cohort = {
        let mut tx = db.begin_write().await.expect("begin");
        let c = app::db::cohort::create(
            &mut tx,
            "Backup",
            "mcf",
            "2026-09-01",
            "2027-06-30",
            teacher,
        )
        .await
        .expect("cohort");
        tx.commit().await.expect("commit");
        c
    };
    let mut tx = db.begin_write().await.expect("begin");
    sqlx::query(
        "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, created_at, updated_at, submitted_at, decided_at) \
         VALUES ($1, $2, $3, 1, 'competent', 1, 1, 1, 1)",
    )
    .bind(teacher)
    .bind(cohort)
    .bind(identity.id)
    .execute(&mut *tx)
    .await
    .expect("competent");
    let badges = app::db::credential::award_in(
        &mut tx,
        &issuer,
        app::domain::ids::UserId::new(teacher),
        identity.id,
    )
    .await
    .expect("award");
    tx.commit().await.expect("commit");
    let badge = badges.first().expect("a badge").clone();
    let (entry, _) = app::db::journal::create(
        &db,
        teacher,
        &app::db::journal::Links::default(),
        "Under load",
        "v1",
    )
    .await
    .expect("entry");

    // A writer autosaving as fast as it can; every acknowledged version is noted.
    let acked: Arc<Mutex<Vec<(i64, String)>>> = Arc::new(Mutex::new(vec![(1, "v1".into())]));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, acked, stop) = (db.clone(), acked.clone(), stop.clone());
        tokio::spawn(async move {
            let mut version = 1;
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                n += 1;
                let text = format!("saved text number {n}");
                let outcome =
                    app::db::journal::save(&db, teacher, entry, version, "Under load", &text, true)
                        .await
                        .expect("save")
                        .expect("entry");
                match outcome {
                    SaveOutcome::Saved { version: v, .. } => {
                        version = v;
                        acked.lock().expect("lock").push((v, text));
                    }
                    other => panic!("one writer cannot conflict: {other:?}"),
                }
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before = acked
        .lock()
        .expect("lock")
        .last()
        .cloned()
        .expect("some saves");
    let copy = dir.join("backup.db");
    app::db::backup::backup(&db, &copy)
        .await
        .expect("backup under load");
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let saves = writer.await.expect("writer");
    assert!(saves > 10, "the writer kept writing ({saves} saves)");
    assert!(
        app::db::backup::backup(&db, &copy).await.is_err(),
        "an existing file is not overwritten"
    );
    db.close().await;

    // Restore into a new place (as onto a new machine), then open it.
    let restored_url = format!("sqlite://{}/restored.db", dir.display());
    let target = app::db::backup::restore(&copy, &restored_url)
        .await
        .expect("restore");
    app::db::backup::check(&target).await.expect("integrity");
    let restored = app::db::Db::connect(&restored_url, 2)
        .await
        .expect("open restored");
    restored.migrate().await.expect("migrations are in step");
    let view = app::db::journal::get(&restored, teacher, entry)
        .await
        .expect("q")
        .expect("the entry");
    assert!(
        view.version >= before.0,
        "acknowledged version {} before the backup, restored {}",
        before.0,
        view.version
    );
    let acked = acked.lock().expect("lock").clone();
    assert!(
        acked
            .iter()
            .any(|(v, t)| *v == view.version && *t == view.body),
        "the restored text is an acknowledged save"
    );

    // Badges issued before verify from the restored copy with the same key …
    let reopened = app::db::credential::load_issuer(&restored, &settings)
        .await
        .expect("the signing key opens with the same CREDENTIAL_KEY");
    let (document, _, _) = app::db::credential::document(&restored, &badge)
        .await
        .expect("q")
        .expect("the badge");
    let doc: serde_json::Value = serde_json::from_str(&document).expect("json");
    let report = app::db::credential::verify_document(&restored, &reopened, &doc)
        .await
        .expect("verify");
    assert_eq!(
        report.verdict,
        app::domain::credential::Verdict::Valid,
        "{report:?}"
    );
    // … and the signing key stays sealed under any other key.
    let other = app::db::credential::IssuerSettings {
        sealing: app::credentials::issuer::SealingKey::parse(&"7f".repeat(32)).expect("key"),
        ..settings
    };
    assert!(app::db::credential::load_issuer(&restored, &other)
        .await
        .is_err());
    restored.close().await;

    // A damaged file is refused before anything is replaced.
    let damaged = dir.join("damaged.db");
    std::fs::write(&damaged, b"not a database at all").expect("write");
    assert!(app::db::backup::restore(&damaged, &restored_url)
        .await
        .is_err());
    app::db::backup::check(&target)
        .await
        .expect("the restored database is untouched");
    let _ = std::fs::remove_dir_all(&dir);
}
