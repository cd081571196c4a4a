//! Configuration from environment variables, with defaults that run out of the box.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Development (the default) or production.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppEnv {
    /// Local development: demo accounts may be seeded and printed.
    Development,
    /// Production: HTTPS public URL required, no demo data.
    Production,
}

/// Everything the server reads from its environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://data/mcf.db`) or `postgres://…`.
    pub database_url: String,
    /// `DB_MAX_CONNECTIONS`: pool size (default 8).
    pub db_max_connections: u32,
    /// `CONTENT_DIR`: folder holding `frameworks/` (default `content`).
    pub content_dir: PathBuf,
    /// `LEPTOS_SITE_ADDR`: address to listen on (default `127.0.0.1:3000`).
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: folder of the built site (default `target/site`).
    pub site_root: String,
    /// `LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
    /// `SHUTDOWN_GRACE_SECONDS`: how long in-flight requests may finish after SIGTERM (default 10).
    pub shutdown_grace: Duration,
    /// `APP_ENV`: `development` (default) or `production`.
    pub app_env: AppEnv,
    /// `PUBLIC_BASE_URL`: the origin people reach us at (default `http://` + the site address).
    /// Plain `http` is accepted only for a loopback host; cookies are `Secure` otherwise.
    pub public_base_url: String,
    /// `TRUST_FORWARDED_FOR`: take the client address from `X-Forwarded-For` (behind a proxy;
    /// default false).
    pub trust_forwarded_for: bool,
    /// `SEED_DEMO`: create the demo cohort and accounts at start (development only; default false).
    pub seed_demo: bool,
    /// `CREDENTIAL_KEY`: 32 bytes (64 hex digits or base64) sealing the issuer's signing keys in
    /// the database. Required in production; development uses a fixed, published key.
    pub credential_key: app::credentials::issuer::SealingKey,
    /// `ISSUER_NAME`: the institution named in credentials (default "Mentoring Micro-credential").
    pub issuer_name: String,
    /// `ISSUER_LINKEDIN_ID`: the institution's LinkedIn organisation id (digits), put in its
    /// credentials' issuer profile and "Add to LinkedIn" links (default: none, links name it).
    pub issuer_linkedin_id: Option<String>,
    /// Where e-mail goes: `SMTP_URL` (required in a real deployment), else `MAIL_DIR`
    /// (default `data/mail`), one `.eml` file per message, each also logged.
    pub mail: MailDelivery,
    /// `MAIL_FROM`: the sender, e.g. `Mentoring micro-credential <no-reply@example.org>`.
    pub mail_from: String,
    /// When reminders go: `REMINDER_INACTIVE_DAYS` (a teacher quiet this long, default 14),
    /// `REMINDER_BASELINE_DAYS` (baseline not done this long after joining, default 7), each
    /// 0 to 365 (0: never); `DIGEST` (`weekly`, the default, or `off`).
    pub reminders: app::db::notify::sweep::Schedule,
    /// `REMINDER_SWEEP_SECONDS`: how often reminders and lapsed claims are looked for (default
    /// 300, 10 to 86,400).
    pub reminder_sweep: Duration,
}

impl Config {
    /// Whether session cookies carry `Secure` (everything but plain-HTTP loopback development).
    pub fn cookie_secure(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }
}

/// A configuration value that cannot be used, naming the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}={value:?} is not valid: {expected}")]
pub struct ConfigError {
    /// The variable.
    pub name: &'static str,
    /// What it held.
    pub value: String,
    /// What it should hold.
    pub expected: &'static str,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup` (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &'static str, default: &str| {
            lookup(name)
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let bad = |name: &'static str, value: String, expected: &'static str| ConfigError {
            name,
            value,
            expected,
        };

        let database_url = get("DATABASE_URL", "sqlite://data/mcf.db");
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(bad(
                "DATABASE_URL",
                database_url,
                "a URL starting with sqlite:// or postgres://",
            ));
        }
        let connections = get("DB_MAX_CONNECTIONS", "8");
        let db_max_connections = match connections.parse::<u32>() {
            Ok(n) if (1..=512).contains(&n) => n,
            _ => {
                return Err(bad(
                    "DB_MAX_CONNECTIONS",
                    connections,
                    "a whole number from 1 to 512",
                ))
            }
        };
        let addr = get("LEPTOS_SITE_ADDR", "127.0.0.1:3000");
        let site_addr = addr.parse().map_err(|_| {
            bad(
                "LEPTOS_SITE_ADDR",
                addr,
                "an address such as 127.0.0.1:3000",
            )
        })?;
        let format = get("LOG_FORMAT", "text");
        let log_format = match format.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => return Err(bad("LOG_FORMAT", format, "text or json")),
        };
        let grace = get("SHUTDOWN_GRACE_SECONDS", "10");
        let shutdown_grace = match grace.parse::<u64>() {
            Ok(n) if n <= 3600 => Duration::from_secs(n),
            _ => {
                return Err(bad(
                    "SHUTDOWN_GRACE_SECONDS",
                    grace,
                    "a whole number of seconds up to 3600",
                ))
            }
        };
        let env = get("APP_ENV", "development");
        let app_env = match env.as_str() {
            "development" | "dev" => AppEnv::Development,
            "production" | "prod" => AppEnv::Production,
            _ => return Err(bad("APP_ENV", env, "development or production")),
        };
        let base = get("PUBLIC_BASE_URL", &format!("http://{site_addr}"));
        let base = base.trim_end_matches('/').to_owned();
        let loopback = is_loopback_origin(&base);
        let base_ok = origin_host(&base).is_some_and(|h| !h.is_empty())
            && !base.contains(['?', '#', '@'])
            && (base.starts_with("https://")
                || (base.starts_with("http://") && loopback && app_env == AppEnv::Development));
        if !base_ok {
            return Err(bad(
                "PUBLIC_BASE_URL",
                base,
                "an https:// origin (plain http only for 127.0.0.1 or localhost in development)",
            ));
        }
        // Whatever APP_ENV says, a server people reach from elsewhere is a real deployment:
        // no published development key, no demo accounts.
        let real_deployment = app_env == AppEnv::Production || !loopback;
        let flag = |name: &'static str| -> Result<bool, ConfigError> {
            let v = get(name, "false");
            match v.as_str() {
                "1" | "true" | "yes" => Ok(true),
                "0" | "false" | "no" => Ok(false),
                _ => Err(bad(name, v, "true or false")),
            }
        };
        let trust_forwarded_for = flag("TRUST_FORWARDED_FOR")?;
        let seed_demo = flag("SEED_DEMO")?;
        if seed_demo && real_deployment {
            return Err(bad(
                "SEED_DEMO",
                "true".into(),
                "false unless PUBLIC_BASE_URL is a loopback address in development (demo accounts have published passwords)",
            ));
        }
        let credential_key = match lookup("CREDENTIAL_KEY").filter(|v| !v.trim().is_empty()) {
            Some(text) => app::credentials::issuer::SealingKey::parse(&text).ok_or_else(|| {
                bad(
                    "CREDENTIAL_KEY",
                    "(hidden)".into(),
                    "32 random bytes as 64 hexadecimal digits or base64 (e.g. `openssl rand -hex 32`)",
                )
            })?,
            None if real_deployment => {
                return Err(bad(
                    "CREDENTIAL_KEY",
                    String::new(),
                    "set in production and wherever PUBLIC_BASE_URL is not a loopback address: 32 random bytes as 64 hexadecimal digits or base64 (e.g. `openssl rand -hex 32`); it seals the key that signs credentials",
                ))
            }
            None => app::credentials::issuer::SealingKey::development(),
        };
        if real_deployment && credential_key.is_development() {
            return Err(bad(
                "CREDENTIAL_KEY",
                "(hidden)".into(),
                "not the published development key: 32 random bytes of your own (e.g. `openssl rand -hex 32`)",
            ));
        }
        let mail = match lookup("SMTP_URL").filter(|v| !v.trim().is_empty()) {
            Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => {
                MailDelivery::Smtp(url.trim().to_owned())
            }
            Some(_) => {
                return Err(bad(
                    "SMTP_URL",
                    "(hidden)".into(),
                    "smtp://host:port (STARTTLS with ?tls=required) or smtps://user:password@host:465",
                ))
            }
            None if real_deployment => {
                return Err(bad(
                    "SMTP_URL",
                    String::new(),
                    "set in production and wherever PUBLIC_BASE_URL is not a loopback address: the SMTP server that sends sign-up links (e.g. smtps://user:password@smtp.example.org:465)",
                ))
            }
            None => MailDelivery::Folder(PathBuf::from(get("MAIL_DIR", "data/mail"))),
        };
        let mail_from = get(
            "MAIL_FROM",
            &format!(
                "Mentoring micro-credential <no-reply@{}>",
                if loopback {
                    "localhost"
                } else {
                    origin_host(&base).unwrap_or("localhost")
                }
            ),
        );
        let days = |name: &'static str, default: &str| {
            let v = get(name, default);
            match v.trim().parse::<i64>() {
                Ok(n) if (0..=365).contains(&n) => Ok(n),
                _ => Err(bad(name, v, "a whole number of days from 0 (never) to 365")),
            }
        };
        let digest = match get("DIGEST", "weekly").trim() {
            "weekly" => true,
            "off" => false,
            other => return Err(bad("DIGEST", other.to_owned(), "weekly or off")),
        };
        let reminders = app::db::notify::sweep::Schedule {
            inactive_days: days("REMINDER_INACTIVE_DAYS", "14")?,
            baseline_days: days("REMINDER_BASELINE_DAYS", "7")?,
            digest,
        };
        let sweep = get("REMINDER_SWEEP_SECONDS", "300");
        let reminder_sweep = match sweep.trim().parse::<u64>() {
            Ok(n) if (10..=86_400).contains(&n) => Duration::from_secs(n),
            _ => {
                return Err(bad(
                    "REMINDER_SWEEP_SECONDS",
                    sweep,
                    "a whole number of seconds from 10 to 86400",
                ))
            }
        };
        let issuer_name = get("ISSUER_NAME", "Mentoring Micro-credential");
        if issuer_name.chars().count() > 200 {
            return Err(bad("ISSUER_NAME", issuer_name, "at most 200 characters"));
        }
        let issuer_linkedin_id = match get("ISSUER_LINKEDIN_ID", "") {
            id if id.is_empty() => None,
            id if id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()) => Some(id),
            id => {
                return Err(bad(
                    "ISSUER_LINKEDIN_ID",
                    id,
                    "the organisation's number, digits only",
                ))
            }
        };
        Ok(Self {
            mail,
            mail_from,
            reminders,
            reminder_sweep,
            credential_key,
            issuer_name,
            issuer_linkedin_id,
            app_env,
            public_base_url: base,
            trust_forwarded_for,
            seed_demo,
            database_url,
            db_max_connections,
            content_dir: PathBuf::from(get("CONTENT_DIR", "content")),
            site_addr,
            site_root: get("LEPTOS_SITE_ROOT", "target/site"),
            log_format,
            shutdown_grace,
        })
    }
}

/// How e-mail leaves the service.
#[derive(Clone, PartialEq, Eq)]
pub enum MailDelivery {
    /// An SMTP server (`smtp://` plain or STARTTLS, `smtps://` implicit TLS; credentials in the
    /// URL as lettre reads them).
    Smtp(String),
    /// A folder on this machine (development): nothing leaves it.
    Folder(PathBuf),
}

impl std::fmt::Debug for MailDelivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // The URL may hold the SMTP password.
            Self::Smtp(_) => f.write_str("Smtp(..)"),
            Self::Folder(dir) => f.debug_tuple("Folder").field(dir).finish(),
        }
    }
}

/// The host of an origin such as `https://host:port` (brackets kept for IPv6), without the port.
fn origin_host(origin: &str) -> Option<&str> {
    let rest = origin.split_once("://")?.1;
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.starts_with('[') {
        let end = authority.find(']')?;
        return Some(&authority[..=end]);
    }
    Some(authority.rsplit_once(':').map_or(authority, |(h, _)| h))
}

/// Whether an origin's host is this machine only: `localhost` or a loopback address.
fn is_loopback_origin(origin: &str) -> bool {
    let Some(host) = origin_host(origin) else {
        return false;
    };
    let host = host.to_ascii_lowercase();
    if host == "localhost" {
        return true;
    }
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn with(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_run_out_of_the_box() {
        let c = with(&[]).expect("defaults are valid");
        assert_eq!(c.database_url, "sqlite://data/mcf.db");
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.db_max_connections, 8);
        assert_eq!(c.log_format, LogFormat::Text);
    }

    #[test]
    fn a_bad_value_names_the_variable() {
        let e = with(&[("DB_MAX_CONNECTIONS", "lots")]).expect_err("invalid");
        assert_eq!(
            e.to_string(),
            "DB_MAX_CONNECTIONS=\"lots\" is not valid: a whole number from 1 to 512"
        );
        let e = with(&[("DATABASE_URL", "mysql://x")]).expect_err("invalid");
        assert_eq!(e.name, "DATABASE_URL");
        let e = with(&[("LOG_FORMAT", "xml")]).expect_err("invalid");
        assert_eq!(e.name, "LOG_FORMAT");
        let e = with(&[("LEPTOS_SITE_ADDR", "localhost")]).expect_err("invalid");
        assert_eq!(e.name, "LEPTOS_SITE_ADDR");
        for bad in ["acme", "12 34", "1234567890123456789012", "-1"] {
            let e = with(&[("ISSUER_LINKEDIN_ID", bad)]).expect_err(bad);
            assert_eq!(e.name, "ISSUER_LINKEDIN_ID");
        }
        let c = with(&[("ISSUER_LINKEDIN_ID", "1337")]).expect("digits");
        assert_eq!(c.issuer_linkedin_id.as_deref(), Some("1337"));
        assert_eq!(with(&[]).expect("defaults").issuer_linkedin_id, None);
    }

    #[test]
    fn plain_http_is_only_for_loopback_development() {
        let c = with(&[]).expect("defaults");
        assert_eq!(c.public_base_url, "http://127.0.0.1:3000");
        assert!(!c.cookie_secure());
        let key = "7f".repeat(32);
        let c = with(&[
            ("PUBLIC_BASE_URL", "https://mentoring.example.org/"),
            ("CREDENTIAL_KEY", &key),
            ("SMTP_URL", "smtps://u:p@smtp.example.org"),
        ])
        .expect("https");
        assert!(c.cookie_secure());
        assert_eq!(c.public_base_url, "https://mentoring.example.org");
        let e = with(&[("PUBLIC_BASE_URL", "http://mentoring.example.org")]).expect_err("http");
        assert_eq!(e.name, "PUBLIC_BASE_URL");
        let e = with(&[("APP_ENV", "production")]).expect_err("http in production");
        assert_eq!(e.name, "PUBLIC_BASE_URL");
        let e = with(&[
            ("APP_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://x.org"),
            ("SEED_DEMO", "1"),
        ])
        .expect_err("demo in production");
        assert_eq!(e.name, "SEED_DEMO");
    }

    #[test]
    fn loopback_is_decided_by_the_host_alone() {
        for yes in [
            "http://127.0.0.1:3000",
            "http://localhost",
            "http://LOCALHOST:80",
            "http://[::1]:3000",
            "http://[::1]",
            "http://127.8.9.10",
        ] {
            assert!(is_loopback_origin(yes), "{yes}");
        }
        for no in [
            "https://mentoring.example.org",
            "http://127.0.0.1.nip.io",
            "http://localhost.example.org:3000",
            "http://10.0.0.1:3000",
            "http://[::2]:3000",
            "http://0.0.0.0:3000",
            "nonsense",
        ] {
            assert!(!is_loopback_origin(no), "{no}");
        }
    }

    /// Every combination of environment, origin, key and demo flag: the development key and
    /// demo data are accepted exactly when the origin is loopback and APP_ENV is not production.
    #[test]
    fn only_loopback_development_may_use_the_development_key_or_demo_data() {
        let own_key = "7f".repeat(32);
        for env in [None, Some("development"), Some("production")] {
            for base in [
                None,
                Some("http://localhost:3000"),
                Some("http://[::1]:3000"),
                Some("https://localhost"),
                Some("https://mentoring.example.org"),
                Some("https://127.0.0.1.example.org"),
            ] {
                for key in [None, Some(own_key.as_str())] {
                    for seed in ["false", "true"] {
                        let mut vars =
                            vec![("SEED_DEMO", seed), ("SMTP_URL", "smtp://mail.example.org")];
                        if let Some(e) = env {
                            vars.push(("APP_ENV", e));
                        }
                        if let Some(b) = base {
                            vars.push(("PUBLIC_BASE_URL", b));
                        }
                        if let Some(k) = key {
                            vars.push(("CREDENTIAL_KEY", k));
                        }
                        let case = format!("{vars:?}");
                        let result = with(&vars);
                        let loopback = base.is_none_or(is_loopback_origin);
                        let production = env == Some("production");
                        let plain_http = base.is_none_or(|b| b.starts_with("http://"));
                        if production && plain_http {
                            assert_eq!(
                                result.map(|_| ()).map_err(|e| e.name),
                                Err("PUBLIC_BASE_URL"),
                                "{case}"
                            );
                            continue;
                        }
                        let real = production || !loopback;
                        match result {
                            Ok(c) => {
                                assert!(!real || !c.credential_key.is_development(), "{case}");
                                assert!(!real || !c.seed_demo, "{case}");
                            }
                            Err(e) => {
                                assert!(real, "{case}: refused a loopback development set-up: {e}");
                                assert!(
                                    (key.is_none() && e.name == "CREDENTIAL_KEY")
                                        || (seed == "true" && e.name == "SEED_DEMO"),
                                    "{case}: {e}"
                                );
                            }
                        }
                        if real && (key.is_none() || seed == "true") {
                            assert!(with(&vars).is_err(), "{case} must be refused");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_published_development_key_is_refused_outside_loopback() {
        // The development key given explicitly, as a deployment copying `.env` might.
        let hex = app::credentials::issuer::SealingKey::development_hex();
        let e = with(&[
            ("PUBLIC_BASE_URL", "https://mentoring.example.org"),
            ("CREDENTIAL_KEY", &hex),
            ("SMTP_URL", "smtp://mail.example.org"),
        ])
        .expect_err("the development key in a real deployment");
        assert_eq!(e.name, "CREDENTIAL_KEY");
        assert!(
            with(&[("CREDENTIAL_KEY", &hex)]).is_ok(),
            "fine on loopback"
        );
    }

    #[test]
    fn production_needs_a_credential_key() {
        let prod = [
            ("APP_ENV", "production"),
            ("PUBLIC_BASE_URL", "https://x.org"),
            ("SMTP_URL", "smtp://mail.x.org?tls=required"),
        ];
        let e = with(&prod).expect_err("no key");
        assert_eq!(e.name, "CREDENTIAL_KEY");
        assert!(e.expected.contains("production"));
        let key = "7f".repeat(32);
        let mut vars = prod.to_vec();
        vars.push(("CREDENTIAL_KEY", &key));
        assert!(with(&vars).is_ok());
        let e = with(&[("CREDENTIAL_KEY", "too-short")]).expect_err("bad key");
        assert_eq!(e.name, "CREDENTIAL_KEY");
        assert_eq!(e.value, "(hidden)", "a key is never echoed");
        assert_eq!(
            with(&[]).expect("dev").issuer_name,
            "Mentoring Micro-credential"
        );
    }

    /// A real deployment must send e-mail through SMTP (a folder on the server reaches nobody);
    /// development writes to a folder. The URL, which may hold a password, is never echoed.
    #[test]
    fn real_deployments_need_an_smtp_server_and_development_uses_a_folder() {
        let key = "7f".repeat(32);
        for (env, base) in [
            ("production", "https://x.org"),
            ("development", "https://x.org"),
            ("production", "https://localhost"),
        ] {
            let vars = [
                ("APP_ENV", env),
                ("PUBLIC_BASE_URL", base),
                ("CREDENTIAL_KEY", &key),
            ];
            let e = with(&vars).expect_err("no SMTP_URL");
            assert_eq!(e.name, "SMTP_URL", "{vars:?}");
            let mut with_smtp = vars.to_vec();
            with_smtp.push(("SMTP_URL", "smtps://user:secret@smtp.x.org:465"));
            let c = with(&with_smtp).expect("with SMTP_URL");
            assert_eq!(
                c.mail,
                MailDelivery::Smtp("smtps://user:secret@smtp.x.org:465".into())
            );
            assert!(
                !format!("{c:?}").contains("secret"),
                "the password stays out of logs"
            );
            let mut wrong = vars.to_vec();
            wrong.push(("SMTP_URL", "http://user:secret@x.org"));
            let e = with(&wrong).expect_err("not smtp");
            assert_eq!((e.name, e.value.as_str()), ("SMTP_URL", "(hidden)"));
        }
        let dev = with(&[]).expect("development");
        assert_eq!(dev.mail, MailDelivery::Folder(PathBuf::from("data/mail")));
        assert_eq!(
            dev.mail_from,
            "Mentoring micro-credential <no-reply@localhost>"
        );
        let c = with(&[
            ("PUBLIC_BASE_URL", "https://mentoring.example.org"),
            ("CREDENTIAL_KEY", &key),
            ("SMTP_URL", "smtp://mail.example.org"),
        ])
        .expect("real");
        assert_eq!(
            c.mail_from,
            "Mentoring micro-credential <no-reply@mentoring.example.org>"
        );
    }
}
