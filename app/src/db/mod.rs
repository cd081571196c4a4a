//! Database access (server only): one code base for SQLite and PostgreSQL.
//!
//! Queries are portable SQL run through sqlx's `Any` driver (`$1` placeholders work in both
//! engines; times are epoch milliseconds, flags 0/1 integers). Only the migrations differ, one
//! folder per engine. See docs/decisions.md.

pub mod account;
pub mod audit;
pub mod backup;
pub mod codec;
pub mod cohort;
pub mod course;
pub mod credential;
pub mod dashboard;
pub mod evaluation;
pub mod framework;
pub mod journal;
pub mod mail;
pub mod notify;
pub mod rating;
pub mod review;
pub mod sign_up;
pub mod statement;
pub mod submission;
pub mod translation;
pub mod unit;

use anyhow::Context as _;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor as _};
use std::str::FromStr as _;
use std::time::Duration;

/// Which engine a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite (the default).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Engine {
    /// The engine a `DATABASE_URL` names, or an error naming what was expected.
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:// (found {url:?})")
        }
    }

    /// A short name for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The application's database handle: pools and the engine behind them. Cheap to clone.
///
/// On SQLite, writes go through a pool of exactly one connection, so writers queue in order
/// inside the server instead of contending for SQLite's lock (whose busy handler sleeps for
/// milliseconds at a time); reads use the other pool, in parallel, thanks to WAL. On PostgreSQL
/// both are the same pool. See docs/decisions.md, "SQLite: one writer".
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    writer: AnyPool,
    engine: Engine,
    /// Framework structures for the dashboard, cleared whenever content is imported.
    pub(crate) structures: dashboard::StructureCache,
    /// The credential issuer (keys loaded at start), shared by every clone.
    issuer: std::sync::Arc<
        std::sync::RwLock<Option<std::sync::Arc<crate::credentials::issuer::Issuer>>>,
    >,
}

/// The current time in epoch milliseconds, the unit every stored time uses.
pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

impl Db {
    /// Connects, creating the SQLite file (and its folder) when missing.
    ///
    /// SQLite connections run in WAL mode with foreign keys on and a busy timeout, so readers
    /// never block the writer and a busy writer waits instead of failing.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let engine = Engine::from_url(url)?;
        let url = match engine {
            Engine::Sqlite => prepare_sqlite_url(url)?,
            Engine::Postgres => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)
            .with_context(|| format!("DATABASE_URL is not a valid {} URL", engine.as_str()))?;
        // The writer checkpoints the WAL itself only as a backstop (every 10,000 pages);
        // `Db::checkpoint`, run in the background by the server, does it without holding up
        // writes (see docs/decisions.md, "SQLite: one writer").
        let open = |connections: u32, pragmas: &'static str| {
            AnyPoolOptions::new()
                .max_connections(connections)
                .acquire_timeout(Duration::from_secs(10))
                // sqlx pings every connection it hands out by default: a round trip to the
                // connection's thread before each statement. An embedded SQLite connection
                // cannot go away behind our back, so only PostgreSQL's are checked (one hand-off
                // fewer per query; see docs/decisions.md, "Benchmarks").
                .test_before_acquire(engine == Engine::Postgres)
                .after_connect(move |conn, _meta| {
                    Box::pin(async move {
                        if engine == Engine::Sqlite {
                            conn.execute(pragmas).await?;
                        }
                        Ok(())
                    })
                })
                .connect_with(options.clone())
        };
        // Readers map the database file (shared with the OS page cache, no copy per page) and
        // keep 16 MiB of pages each: the evaluation's statements read most of a 1,000-teacher
        // cohort's tables, which the default 2 MB cache evicted between statements (see
        // docs/decisions.md, "Running a programme: the evaluation page").
        const READER: &str = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                              PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
                              PRAGMA mmap_size = 268435456; PRAGMA cache_size = -16384;";
        const WRITER: &str = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                              PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
                              PRAGMA wal_autocheckpoint = 10000;";
        let pool = open(max_connections, READER)
            .await
            .with_context(|| format!("cannot connect to the {} database", engine.as_str()))?;
        let writer = match engine {
            Engine::Sqlite => open(1, WRITER)
                .await
                .context("cannot open the SQLite writer connection")?,
            Engine::Postgres => pool.clone(),
        };
        Ok(Self {
            pool,
            writer,
            engine,
            structures: dashboard::StructureCache::default(),
            issuer: std::sync::Arc::default(),
        })
    }

    /// Sets the credential issuer (at start, after [`credential::load_issuer`]).
    pub fn set_issuer(&self, issuer: crate::credentials::issuer::Issuer) {
        if let Ok(mut slot) = self.issuer.write() {
            *slot = Some(std::sync::Arc::new(issuer));
        }
    }

    /// The credential issuer, once set.
    pub fn issuer(&self) -> Option<std::sync::Arc<crate::credentials::issuer::Issuer>> {
        self.issuer.read().ok().and_then(|slot| slot.clone())
    }

    /// The public base URL (no trailing slash) links in e-mails start with: the credential
    /// issuer's, set at startup. `None` before that (then no notice is queued).
    pub fn public_base_url(&self) -> Option<String> {
        self.issuer().map(|i| i.base_url.clone())
    }

    /// Applies the migrations of this engine that have not run yet.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.engine {
            Engine::Sqlite => sqlx::migrate!("../migrations/sqlite"),
            Engine::Postgres => sqlx::migrate!("../migrations/postgres"),
        };
        migrator
            .run(&self.writer)
            .await
            .context("database migration failed")
    }

    /// The pool, for reading.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool for statements that write outside [`Db::begin_write`] (one connection on
    /// SQLite, the same pool as [`Db::pool`] on PostgreSQL).
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// The engine behind the pool.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// Starts a transaction that will write, on the writer connection. On SQLite it also takes
    /// the write lock at once (`BEGIN IMMEDIATE`), so nothing read inside it can go stale.
    pub async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.engine {
            Engine::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.writer.begin().await,
        }
    }

    /// Copies what the SQLite write-ahead log holds into the database file, without waiting
    /// for (or holding up) the writer (`PASSIVE`). A no-op on PostgreSQL.
    pub async fn checkpoint(&self) -> sqlx::Result<()> {
        if self.engine == Engine::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Closes every connection (on shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }
}

/// Whether an error is a violation of the named unique constraint. PostgreSQL reports the
/// constraint's name; SQLite reports the columns (`table.column`), so both are given.
pub fn is_unique_violation(error: &sqlx::Error, pg_constraint: &str, sqlite_columns: &str) -> bool {
    match error {
        sqlx::Error::Database(e) if e.is_unique_violation() => {
            e.constraint() == Some(pg_constraint) || e.message().contains(sqlite_columns)
        }
        _ => false,
    }
}

/// Adds `mode=rwc` (create when missing) and creates the parent folder of a file database.
fn prepare_sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        anyhow::bail!("DATABASE_URL must name a SQLite file, e.g. sqlite://data/mcf.db");
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("cannot create the database folder {}", parent.display())
            })?;
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

#[cfg(test)]
mod tests;

/// A row whose lock a transaction takes before it reads what it will check.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Held {
    /// A submission (claims, decisions, assignment, moderation picks).
    Submission,
    /// A person (awards, revocations and extra attempts for them).
    User,
}

/// Takes `id`'s row lock for the rest of the transaction. On PostgreSQL (read committed) a
/// transaction that reads a status, checks it and then writes races another doing the same;
/// taking the row first makes the second wait, and every statement it runs afterwards sees
/// what the first committed. SQLite's single writer already serialises; this costs nothing
/// there. Take submission before user when both are needed (one order, no deadlock).
pub(crate) async fn hold(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    what: Held,
    id: i64,
) -> anyhow::Result<()> {
    let sql = match what {
        Held::Submission => "UPDATE submissions SET id = id WHERE id = $1",
        Held::User => "UPDATE users SET id = id WHERE id = $1",
    };
    sqlx::query(sql)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
        .with_context(|| format!("hold {what:?} {id}"))
}
