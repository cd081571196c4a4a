//! Tests of the database module: URLs, engines, and the two migration folders.

use super::*;

#[test]
fn engine_is_chosen_by_url_scheme() {
    assert_eq!(
        Engine::from_url("sqlite://data/x.db").ok(),
        Some(Engine::Sqlite)
    );
    assert_eq!(
        Engine::from_url("postgres://u@h/db").ok(),
        Some(Engine::Postgres)
    );
    let e = Engine::from_url("mysql://x")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(e.contains("DATABASE_URL"), "{e}");
}

#[test]
fn sqlite_urls_create_the_file() {
    let dir = std::env::temp_dir().join(format!("mcf-url-{}", std::process::id()));
    let url = format!("sqlite://{}/sub/x.db", dir.display());
    let prepared = prepare_sqlite_url(&url).expect("valid");
    assert!(prepared.ends_with("/sub/x.db?mode=rwc"), "{prepared}");
    assert!(dir.join("sub").is_dir());
    assert!(prepare_sqlite_url("sqlite::memory:").is_err());
    let _ = std::fs::remove_dir_all(dir);
}

/// What a migration file makes, by name only (types and defaults differ by engine): each
/// statement's verb and object, and for a table its columns in order.
fn shape(sql: &str) -> Vec<String> {
    let without_comments: String = sql
        .lines()
        .map(|l| l.split("--").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ");
    without_comments
        .split(';')
        .map(|s| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|s| !s.is_empty())
        .map(|s| {
            let words: Vec<&str> = s.split([' ', '(']).filter(|w| !w.is_empty()).collect();
            let head = words.iter().take(3).copied().collect::<Vec<_>>().join(" ");
            if !s.starts_with("create table") {
                // CREATE INDEX name ON table (cols) / ALTER TABLE t ADD COLUMN c / UPDATE …
                let upto = s.find(" where ").unwrap_or(s.len());
                let named: String = s[..upto]
                    .chars()
                    .filter(|c| c.is_alphanumeric() || "_ (),".contains(*c))
                    .collect();
                let words: Vec<&str> = named.split_whitespace().take(7).collect();
                return words.join(" ");
            }
            let body = s.split_once('(').map(|(_, b)| b).unwrap_or_default();
            // Top-level elements of the column list: split on commas outside parentheses.
            let (mut depth, mut columns, mut current) = (0i32, Vec::new(), String::new());
            for c in body.chars() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    ',' if depth == 0 => {
                        columns.push(std::mem::take(&mut current));
                        continue;
                    }
                    _ => {}
                }
                if depth >= 0 {
                    current.push(c);
                }
            }
            columns.push(current);
            let names: Vec<String> = columns
                .iter()
                .filter_map(|c| c.split_whitespace().next().map(str::to_owned))
                .filter(|w| {
                    !["constraint", "primary", "unique", "foreign", "check"].contains(&w.as_str())
                })
                .collect();
            format!("{head}: {}", names.join(", "))
        })
        .collect()
}

/// The SQLite and PostgreSQL migration folders stay in step: the same files, and in each
/// the same tables with the same columns in the same order, the same indexes and changes.
#[test]
fn the_two_migration_folders_stay_in_step() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let files = |engine: &str| -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = std::fs::read_dir(root.join(engine))
            .expect("migration folder")
            .map(|e| {
                let path = e.expect("entry").path();
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (name, std::fs::read_to_string(&path).expect("migration"))
            })
            .collect();
        out.sort();
        out
    };
    let (sqlite, postgres) = (files("sqlite"), files("postgres"));
    let names = |f: &[(String, String)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&sqlite), names(&postgres), "the same migration files");
    assert!(sqlite.len() >= 9);
    for ((name, lite), (_, pg)) in sqlite.iter().zip(&postgres) {
        assert_eq!(shape(lite), shape(pg), "{name} differs between the engines");
    }
    // The comparison can fail: a column missing from one side is seen.
    let (_, first) = &sqlite[0];
    let altered = first.replacen("slug", "slag", 1);
    assert_ne!(shape(first), shape(&altered));
}

/// Issue 14: the `db/` layer is split by operation; no file of it grows past 400 lines.
#[test]
fn no_db_file_is_over_400_lines() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db");
    let mut stack = vec![root];
    let mut over = Vec::new();
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("db/ is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                seen += 1;
                let lines = std::fs::read_to_string(&path)
                    .expect("source")
                    .lines()
                    .count();
                if lines > 400 {
                    over.push(format!("{} ({lines} lines)", path.display()));
                }
            }
        }
    }
    assert!(seen > 20, "found only {seen} files under db/");
    assert!(over.is_empty(), "over 400 lines: {over:?}");
}
