//! Command-line subcommands besides serving: creating the first coordinator, seeding the demo.

use anyhow::Context as _;
use app::db::Db;
use app::domain::account::{Email, PersonName, Role};
use std::io::BufRead as _;

/// What the binary was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Serve the application (the default).
    Serve,
    /// Create an institution coordinator account.
    CreateCoordinator {
        /// Their email.
        email: String,
        /// Their name.
        name: String,
    },
    /// Retire the credential signing key and create the next one (old keys stay published).
    RotateIssuerKey,
    /// Withdraw a compromised key from did.json and sign again what it signed.
    WithdrawIssuerKey {
        /// Its fragment, e.g. `key-1`.
        key: String,
    },
    /// Copy the SQLite database, consistently, while the server runs.
    Backup {
        /// The new file.
        to: std::path::PathBuf,
    },
    /// Check a backup and put it in place of the SQLite database (servers stopped).
    Restore {
        /// The backup file.
        from: std::path::PathBuf,
    },
    /// Write the interface strings the browser fetches, one file per language and table
    /// (`make bundle-report` measures them).
    InterfaceStrings {
        /// The folder to write into.
        to: std::path::PathBuf,
    },
    /// Give a locked-out account a way back: reactivated, a new password, every session ended.
    RecoverAccount {
        /// Their email.
        email: String,
    },
}

/// Usage text.
pub const USAGE: &str = "usage:
  server                                   serve the application
  server create-coordinator --email E --name N
                                           create an institution coordinator; the password is
                                           read from COORDINATOR_PASSWORD or the first line of stdin
  server rotate-issuer-key                 retire the key that signs credentials and create the
                                           next one; badges signed before still verify (restart
                                           running servers to sign with the new key)
  server withdraw-issuer-key KEY           a key was compromised: remove KEY (e.g. key-1) from
                                           did.json, so nothing it signed (or forged) verifies,
                                           and sign every credential it signed again with the
                                           next key; stop the servers first, start them after;
                                           copies in wallets must be claimed again
  server backup FILE                       copy the SQLite database to FILE while the server
                                           runs (PostgreSQL: use pg_dump); keep CREDENTIAL_KEY
                                           with it, or the badges' signing key cannot be opened
  server restore FILE                      check FILE and put it in place of the SQLite
                                           database (stop the servers first); the replaced
                                           one is kept as *.before-restore
  server recover-account --email E         reactivate an account (an institution coordinator
                                           locked out, say), set a new password read like
                                           create-coordinator's, and end all its sessions
  server interface-strings DIR             write the interface strings the browser fetches
                                           (one JSON file per language and table) into DIR";

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    match args.first().map(String::as_str) {
        None | Some("serve") => Ok(Command::Serve),
        Some("create-coordinator") => {
            let mut email = None;
            let mut name = None;
            let mut rest = args[1..].iter();
            while let Some(flag) = rest.next() {
                let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
                match flag.as_str() {
                    "--email" => email = Some(value.clone()),
                    "--name" => name = Some(value.clone()),
                    other => return Err(format!("unknown option {other}")),
                }
            }
            Ok(Command::CreateCoordinator {
                email: email.ok_or("--email is required")?,
                name: name.ok_or("--name is required")?,
            })
        }
        Some("interface-strings") => match &args[1..] {
            [dir] => Ok(Command::InterfaceStrings { to: dir.into() }),
            _ => Err("interface-strings takes one DIR".into()),
        },
        Some("backup") => match &args[1..] {
            [file] => Ok(Command::Backup { to: file.into() }),
            _ => Err("backup takes one FILE".into()),
        },
        Some("restore") => match &args[1..] {
            [file] => Ok(Command::Restore { from: file.into() }),
            _ => Err("restore takes one FILE".into()),
        },
        Some("recover-account") => match &args[1..] {
            [flag, email] if flag == "--email" => Ok(Command::RecoverAccount {
                email: email.clone(),
            }),
            _ => Err("recover-account takes --email E".into()),
        },
        Some("rotate-issuer-key") if args.len() == 1 => Ok(Command::RotateIssuerKey),
        Some("rotate-issuer-key") => Err("rotate-issuer-key takes no options".into()),
        Some("withdraw-issuer-key") => match &args[1..] {
            [key] if key.starts_with("key-") => Ok(Command::WithdrawIssuerKey { key: key.clone() }),
            _ => Err("withdraw-issuer-key takes the key's name, e.g. key-1".into()),
        },
        Some(other) => Err(format!("unknown command {other}")),
    }
}

/// Creates an institution coordinator (admin) account.
pub async fn create_coordinator(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
) -> anyhow::Result<(i64, String)> {
    let email = Email::parse(email).map_err(|m| anyhow::anyhow!("--email {m}"))?;
    let name = PersonName::parse(name).map_err(|m| anyhow::anyhow!("--name {m}"))?;
    app::auth::password::check_new(password, email.as_str(), name.as_str())
        .map_err(|m| anyhow::anyhow!("the password {m}"))?;
    let hash = app::auth::password::hash(password.to_owned()).await?;
    let mut tx = db.begin_write().await.context("begin")?;
    let id = app::db::account::create(&mut tx, email.as_str(), name.as_str(), &hash, true)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    app::db::audit::record_in(
        &mut tx,
        None,
        "user.create_coordinator",
        &format!("user:{id}"),
        "{}",
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok((id, email.as_str().to_owned()))
}

/// Reactivates the account with `email`, gives it `password` and ends all its sessions, in one
/// audited transaction (the operator's way back for a locked-out account). Returns its id.
pub async fn recover_account(db: &Db, email: &str, password: &str) -> anyhow::Result<i64> {
    let email = Email::parse(email).map_err(|m| anyhow::anyhow!("--email {m}"))?;
    let account = app::db::account::find_by_email(db, email.as_str())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account has the email {}", email.as_str()))?;
    app::auth::password::check_new(password, email.as_str(), &account.name)
        .map_err(|m| anyhow::anyhow!("the password {m}"))?;
    let hash = app::auth::password::hash(password.to_owned()).await?;
    let now = app::db::now_ms();
    let mut tx = db.begin_write().await.context("begin the recovery")?;
    sqlx::query(
        "UPDATE users SET deactivated_at = NULL, password_hash = $1, password_changed_at = $2 \
         WHERE id = $3",
    )
    .bind(hash.as_str())
    .bind(now)
    .bind(account.id)
    .execute(&mut *tx)
    .await
    .context("reactivate and set the password")?;
    app::auth::session::end_all_in(&mut tx, account.id, now).await?;
    app::db::audit::record_in(
        &mut tx,
        None,
        "user.recover",
        &format!("user:{}", account.id),
        "{}",
    )
    .await?;
    tx.commit().await.context("commit the recovery")?;
    Ok(account.id)
}

/// The password for `create-coordinator`: `COORDINATOR_PASSWORD`, else the first line of stdin.
pub fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("COORDINATOR_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("read the password from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The demo accounts: published, for development only.
pub const DEMO_ACCOUNTS: [(&str, &str, Role, &str); 3] = [
    (
        "coordinator@demo.test",
        "Dana Coordinator",
        Role::Coordinator,
        "demo coordinator password",
    ),
    (
        "assessor@demo.test",
        "Asha Assessor",
        Role::Assessor,
        "demo assessor password",
    ),
    (
        "teacher@demo.test",
        "Tomas Teacher",
        Role::Teacher,
        "demo teacher password",
    ),
];

/// Creates the demo cohort and its three accounts, once. Returns whether anything was created.
pub async fn seed_demo(db: &Db) -> anyhow::Result<bool> {
    if app::db::account::find_by_email(db, DEMO_ACCOUNTS[0].0)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let mut hashes = Vec::new();
    for (_, _, _, password) in DEMO_ACCOUNTS {
        hashes.push(app::auth::password::hash(password.to_owned()).await?);
    }
    let mut tx = db.begin_write().await.context("begin")?;
    let mut ids = Vec::new();
    for ((email, name, role, _), hash) in DEMO_ACCOUNTS.iter().zip(&hashes) {
        let admin = *role == Role::Coordinator;
        let id = match app::db::account::create(&mut tx, email, name, hash, admin).await {
            Ok(id) => id,
            // Another instance starting at the same moment seeded it first.
            Err(app::db::account::CreateUserError::EmailTaken) => return Ok(false),
            Err(e) => return Err(anyhow::anyhow!("{e}")),
        };
        ids.push((id, *role));
    }
    let cohort = app::db::cohort::create(
        &mut tx,
        "Demo cohort",
        "mcf",
        "2026-09-01",
        "2027-06-30",
        ids[0].0,
    )
    .await?;
    for (id, role) in &ids {
        app::db::cohort::add_member(&mut tx, cohort, *id, *role, None).await?;
    }
    tx.commit().await.context("commit demo seed")?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_subcommands() {
        assert_eq!(parse(&args(&[])), Ok(Command::Serve));
        assert_eq!(
            parse(&args(&[
                "create-coordinator",
                "--email",
                "a@b.org",
                "--name",
                "Ana"
            ])),
            Ok(Command::CreateCoordinator {
                email: "a@b.org".into(),
                name: "Ana".into()
            })
        );
        assert!(parse(&args(&["create-coordinator", "--email"]))
            .unwrap_err()
            .contains("needs a value"));
        assert!(parse(&args(&["create-coordinator", "--name", "x"]))
            .unwrap_err()
            .contains("--email"));
        assert!(parse(&args(&["frobnicate"])).is_err());
        assert_eq!(
            parse(&args(&["rotate-issuer-key"])),
            Ok(Command::RotateIssuerKey)
        );
        assert!(parse(&args(&["rotate-issuer-key", "--now"])).is_err());
        assert_eq!(
            parse(&args(&["withdraw-issuer-key", "key-2"])),
            Ok(Command::WithdrawIssuerKey {
                key: "key-2".into()
            })
        );
        assert!(parse(&args(&["withdraw-issuer-key"])).is_err());
        assert!(parse(&args(&["withdraw-issuer-key", "2"])).is_err());
        assert!(parse(&args(&["withdraw-issuer-key", "key-1", "key-2"])).is_err());
    }
}
