//! The real binary: start-up errors, health, and a clean stop on SIGTERM.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn server() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mcf-bin-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).ok()?;
    Some(reply)
}

fn output_of(child: Child) -> (Option<i32>, String) {
    let out = child.wait_with_output().expect("wait");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

#[test]
fn a_bad_setting_stops_start_up_naming_the_variable() {
    let out = server()
        .env("DB_MAX_CONNECTIONS", "zero")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("DB_MAX_CONNECTIONS=\"zero\" is not valid"),
        "{stderr}"
    );
}

#[test]
fn malformed_content_stops_start_up_naming_file_and_line() {
    let dir = temp_dir("content");
    std::fs::create_dir_all(dir.join("frameworks")).expect("dir");
    std::fs::write(
        dir.join("frameworks/broken.toml"),
        "slug = \"x\"\ntitle = [\n",
    )
    .expect("write");
    let port = free_port();
    let out = server()
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/db.sqlite", dir.display()),
        )
        .env("CONTENT_DIR", &dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid course content"), "{stderr}");
    assert!(stderr.contains("broken.toml:3:"), "{stderr}");
}

#[test]
fn serves_health_and_stops_cleanly_on_sigterm() {
    let dir = temp_dir("run");
    let port = free_port();
    let child = server()
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/db/app.db", dir.display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .spawn()
        .expect("spawn");

    let started = Instant::now();
    let health = loop {
        if let Some(reply) = http_get(port, "/healthz") {
            break reply;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(
        dir.join("db/app.db").exists(),
        "SQLite file created with its folder"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let (code, log) = output_of(child);
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("stopped cleanly"), "{log}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn create_coordinator_makes_an_institution_coordinator_once() {
    let dir = temp_dir("coordinator");
    let db = format!("sqlite://{}/db.sqlite", dir.display());
    let run = |password: &str| {
        server()
            .env("DATABASE_URL", &db)
            .env("COORDINATOR_PASSWORD", password)
            .args([
                "create-coordinator",
                "--email",
                "Dana@School.org",
                "--name",
                "Dana Mensah",
            ])
            .output()
            .expect("run")
    };
    let weak = run("password1234");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("the password is too common"));

    let ok = run("brass compass meadow");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("created coordinator dana@school.org"));

    let again = run("brass compass meadow");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let usage = server()
        .args(["create-coordinator", "--email", "x@y.org"])
        .output()
        .expect("run");
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("--name is required"));
    let _ = std::fs::remove_dir_all(dir);
}
