//! `server`: serves the mentoring micro-credential (see `server --help`).

use anyhow::Context as _;
use server::cli::{self, Command};
use server::config::{AppEnv, Config};
use server::startup::{self, AppState};
use std::net::SocketAddr;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: server-side rendering allocates many small
/// strings, and glibc's malloc took a fifth of the dashboard's CPU time (docs/decisions.md,
/// "Benchmarks").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{}", cli::USAGE);
        return ExitCode::SUCCESS;
    }
    let command = match cli::parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "server stopped");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    if let Command::InterfaceStrings { to } = &command {
        // Needs no configuration and no database.
        std::fs::create_dir_all(to)?;
        for (l, urls) in app::i18n::TABLE_URLS.iter().enumerate() {
            for (t, url) in urls.iter().enumerate() {
                let name = url.trim_start_matches("/i18n/").replace('/', "-");
                std::fs::write(to.join(name), app::i18n::TABLE_JSON[l][t])?;
            }
        }
        return Ok(());
    }
    let config = Config::from_env()?;
    server::telemetry::init(config.log_format);
    if let Command::Restore { from } = &command {
        // Before anything opens the database being replaced.
        let target = app::db::backup::restore(from, &config.database_url).await?;
        println!(
            "restored {} into {}; start the servers with the CREDENTIAL_KEY of the backup",
            from.display(),
            target.display()
        );
        return Ok(());
    }
    let db = startup::prepare(&config).await?;
    match command {
        Command::CreateCoordinator { email, name } => {
            let password = cli::read_password()?;
            let (id, email) = cli::create_coordinator(&db, &email, &name, &password).await?;
            println!("created coordinator {email} (user {id})");
            db.close().await;
            Ok(())
        }
        Command::Backup { to } => {
            app::db::backup::backup(&db, &to).await?;
            println!(
                "backed up to {}; keep CREDENTIAL_KEY with it (it opens the signing key inside)",
                to.display()
            );
            db.close().await;
            Ok(())
        }
        Command::Restore { .. } => Ok(()),
        Command::RecoverAccount { email } => {
            let password = cli::read_password()?;
            let id = cli::recover_account(&db, &email, &password).await?;
            println!("recovered {email} (user {id}): active, new password, all sessions ended");
            db.close().await;
            Ok(())
        }
        Command::RotateIssuerKey => {
            let fragment =
                app::db::credential::rotate_key(&db, &startup::issuer_settings(&config)).await?;
            println!("credentials are now signed with {fragment}; earlier keys stay published");
            db.close().await;
            Ok(())
        }
        Command::WithdrawIssuerKey { key } => {
            let done =
                app::db::credential::withdraw_key(&db, &startup::issuer_settings(&config), &key)
                    .await?;
            println!(
                "{key} is withdrawn from did.json; {} credentials (and the status list) are signed again with {}, and {} signed Learning Statements rebuilt with them; {} copies in wallets no longer verify: their holders must add the badge to their wallet again. Start the servers now.",
                done.resigned, done.signing_key, done.records, done.wallet_copies
            );
            db.close().await;
            Ok(())
        }
        Command::Serve => serve(config, db).await,
        // Answered above, before any configuration is read.
        Command::InterfaceStrings { .. } => Ok(()),
    }
}

async fn serve(config: Config, db: app::db::Db) -> anyhow::Result<()> {
    // Checkpoint the SQLite WAL once a second off the request path (see Db::checkpoint).
    let checkpointer = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
            loop {
                tick.tick().await;
                if let Err(e) = db.checkpoint().await {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                }
            }
        })
    };
    let sender = server::mail::Sender::new(&config.mail, &config.mail_from)?;
    match &config.mail {
        server::config::MailDelivery::Folder(dir) => tracing::info!(
            folder = %dir.display(),
            "e-mail is not sent in development: each message is written to this folder and logged (set SMTP_URL to send)"
        ),
        server::config::MailDelivery::Smtp(_) => tracing::info!("e-mail is sent through SMTP_URL"),
    }
    let mailer = tokio::spawn(sender.run(db.clone()));
    let reminders = tokio::spawn(server::mail::sweep_forever(
        db.clone(),
        config.reminders.clone(),
        config.reminder_sweep,
    ));
    if config.seed_demo && config.app_env == AppEnv::Development {
        if cli::seed_demo(&db).await? {
            tracing::info!("demo cohort created");
        }
        println!(
            "\nDemo accounts (development only) — sign in at {}/sign-in",
            config.public_base_url
        );
        for (email, _, role, password) in cli::DEMO_ACCOUNTS {
            println!("  {:<12} {email:<24} password: {password}", role.label());
        }
        if let server::config::MailDelivery::Folder(dir) = &config.mail {
            println!(
                "E-mail is not sent in development: each message is written to {} (one .eml file each) and shown in the log.",
                dir.display()
            );
        }
        println!();
    }
    let leptos_options = startup::leptos_options(&config)?;
    let state = AppState::new(&config, leptos_options, db.clone());
    let app = startup::router(state);
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.site_addr))?;
    tracing::info!(addr = %config.site_addr, "listening on {}", config.public_base_url);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal(config.shutdown_grace))
    .await
    .context("server error")?;
    checkpointer.abort();
    mailer.abort();
    reminders.abort();
    db.close().await;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C; after that, in-flight requests get `grace` to finish before
/// the process exits anyway, with status 1 (requests were cut off).
async fn shutdown_signal(grace: std::time::Duration) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        // Requests were cut off: not a clean stop, and a supervisor should know.
        tracing::error!("grace period over with requests still running; exiting with status 1");
        std::process::exit(1);
    });
}
