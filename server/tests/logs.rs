//! What the server logs for the caller's mistakes: nothing above DEBUG. Its own binary: it
//! installs a process-wide log subscriber, which would also catch every other test's lines.

#[path = "integration/common/mod.rs"]
mod common;

use common::TestApp;

/// Everything logged at INFO or above while the test's requests run (a process-wide
/// subscriber, installed once; the tests of this file run one at a time).
fn captured_logs() -> &'static std::sync::Mutex<Vec<u8>> {
    static LOGS: std::sync::OnceLock<&'static std::sync::Mutex<Vec<u8>>> =
        std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs: &'static std::sync::Mutex<Vec<u8>> =
            Box::leak(Box::new(std::sync::Mutex::new(Vec::new())));
        struct Into(&'static std::sync::Mutex<Vec<u8>>);
        impl std::io::Write for Into {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                self.0
                    .lock()
                    .map_err(|_| std::io::Error::other("poisoned"))?
                    .extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::INFO)
            .with_ansi(false)
            .with_writer(move || Into(logs))
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("the only subscriber in this binary");
        logs
    })
}

/// Unknown pages, files and API paths, and calls missing their arguments, are the caller's
/// mistakes: each answers 4xx and logs nothing above DEBUG (an operator's log is for what needs
/// them). Generated over paths of every kind the router serves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_answer_4xx_and_log_at_most_a_debug_line() {
    let logs = captured_logs();
    let Some(app) = TestApp::new(common::Engine::Sqlite).await else {
        return;
    };
    let cookie = common::new_teacher(&app, "quiet@school.org", "Quiet Teacher").await;
    let stems = [
        "",
        "/units",
        "/frameworks",
        "/journal",
        "/coordinator/cohorts",
        "/credentials",
        "/join",
        "/reset",
        "/sign-up",
        "/pkg",
        "/api",
        "/api/journal",
        "/uploads",
        "/verify",
        "/evidence",
    ];
    let tails = [
        "/nope",
        "/999999999",
        "/%FF%FE",
        "/a/b/c/d/e/f",
        "/..%2F..%2Fetc%2Fpasswd",
        "/x.js",
        "/x.wasm",
    ];
    logs.lock().expect("logs").clear();
    let mut answers = Vec::new();
    // The first path after which each new log line appeared, to name the culprit.
    let mut noisy: Vec<(String, usize)> = Vec::new();
    for stem in stems {
        for tail in tails {
            let path = format!("{stem}{tail}");
            for signed_in in [false, true] {
                let reply = if signed_in {
                    app.page_as(&path, &cookie).await
                } else {
                    app.get(&path).await
                };
                answers.push((path.clone(), signed_in, reply.status.as_u16()));
            }
            let api = app.api_get(&path).await;
            answers.push((path.clone(), false, api.status.as_u16()));
            let grew = logs.lock().expect("logs").len();
            if grew > 0 && !noisy.iter().any(|(_, n)| *n == grew) {
                noisy.push((path.clone(), grew));
            }
        }
    }
    // Server functions called without their arguments.
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        let reply = app.post_form(path, &[], Some(&cookie)).await;
        answers.push((path.to_owned(), true, reply.status.as_u16()));
    }
    let server_errors: Vec<_> = answers.iter().filter(|(_, _, s)| *s >= 500).collect();
    assert!(server_errors.is_empty(), "{server_errors:?}");
    assert!(
        answers.iter().any(|(_, _, s)| *s == 404),
        "some paths are unknown"
    );
    let logged = String::from_utf8_lossy(&logs.lock().expect("logs")).into_owned();
    assert!(
        logged.trim().is_empty(),
        "logged above DEBUG after {noisy:?}:\n{logged}"
    );
}
