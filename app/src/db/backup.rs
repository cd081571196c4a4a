//! Backup and restore of a SQLite database (server only). PostgreSQL deployments use the
//! engine's own tools (`pg_dump --format=custom`, `pg_restore`); see the README.
//!
//! A backup is a complete, consistent copy made with `VACUUM INTO` on a reading connection:
//! in WAL mode it reads one snapshot and never holds up the writer, so the server keeps
//! saving while it runs. Every save acknowledged before the backup starts is in it.

use super::{Db, Engine};
use anyhow::Context as _;
use std::path::{Path, PathBuf};

/// Writes a consistent copy of the database to `to` (which must not exist yet). Errors: not
/// SQLite (use `pg_dump`), the file exists, the copy failed.
#[tracing::instrument(skip(db))]
pub async fn backup(db: &Db, to: &Path) -> anyhow::Result<()> {
    if db.engine() != Engine::Sqlite {
        anyhow::bail!(
            "backup copies SQLite databases; for PostgreSQL use pg_dump --format=custom (see the README)"
        );
    }
    if to.exists() {
        anyhow::bail!("{} exists already; choose a new file", to.display());
    }
    let path = to
        .to_str()
        .context("the backup path must be valid UTF-8")?
        .to_owned();
    sqlx::query("VACUUM INTO $1")
        .bind(path)
        .execute(db.pool())
        .await
        .with_context(|| format!("copy the database into {}", to.display()))?;
    Ok(())
}

/// Checks a SQLite file with `PRAGMA integrity_check`. Errors: not a database, or what the
/// check found.
pub async fn check(file: &Path) -> anyhow::Result<()> {
    let url = format!(
        "sqlite://{}?mode=ro",
        file.to_str().context("the path must be valid UTF-8")?
    );
    // A plain read-only connection: the server's pragmas (WAL mode) would write to the file.
    sqlx::any::install_default_drivers();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .with_context(|| format!("open {}", file.display()))?;
    let answer: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await
        .with_context(|| format!("{} is not a database this server can read", file.display()))?;
    let _ = sqlx::Connection::close(conn).await;
    if answer != ["ok"] {
        anyhow::bail!("{} is damaged: {}", file.display(), answer.join("; "));
    }
    Ok(())
}

/// The database file a `sqlite://` URL names.
pub fn sqlite_file(database_url: &str) -> anyhow::Result<PathBuf> {
    if Engine::from_url(database_url)? != Engine::Sqlite {
        anyhow::bail!(
            "restore replaces SQLite databases; for PostgreSQL use pg_restore (see the README)"
        );
    }
    let rest = database_url
        .trim_start_matches("sqlite:")
        .trim_start_matches("//");
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    Ok(PathBuf::from(path))
}

/// Replaces the database at `database_url` with the backup `from`, after checking the backup's
/// integrity. The servers must be stopped: the file is swapped under them otherwise. The
/// replaced database is kept beside it as `<name>.before-restore`.
pub async fn restore(from: &Path, database_url: &str) -> anyhow::Result<PathBuf> {
    let target = sqlite_file(database_url)?;
    check(from).await?;
    let staged = target.with_extension("restoring");
    std::fs::copy(from, &staged)
        .with_context(|| format!("copy {} to {}", from.display(), staged.display()))?;
    std::fs::File::open(&staged)
        .and_then(|f| f.sync_all())
        .context("flush the copy to disk")?;
    // The current database (with its write-ahead log) is kept, not deleted.
    let kept = target.with_extension("before-restore");
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", target.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{suffix}", kept.display()));
            std::fs::rename(&from, &to)
                .with_context(|| format!("keep {} as {}", from.display(), to.display()))?;
        }
    }
    std::fs::rename(&staged, &target)
        .with_context(|| format!("put the backup in place at {}", target.display()))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::sqlite_file;

    #[test]
    fn the_file_comes_from_the_url() {
        assert_eq!(
            sqlite_file("sqlite://data/mcf.db?mode=rwc").expect("sqlite"),
            std::path::PathBuf::from("data/mcf.db")
        );
        assert!(sqlite_file("postgres://u@h/db").is_err());
    }
}
