//! `server`: serves the mentoring micro-credential.

use anyhow::Context as _;
use server::config::Config;
use server::startup::{self, AppState};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "server stopped");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    server::telemetry::init(config.log_format);
    let leptos_options = startup::leptos_options(&config)?;
    let db = startup::prepare(&config).await?;
    let state = AppState {
        leptos_options,
        db: db.clone(),
    };
    let app = startup::router(state);
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.site_addr))?;
    tracing::info!(addr = %config.site_addr, "listening on http://{}", config.site_addr);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal(config.shutdown_grace))
        .await
        .context("server error")?;
    db.close().await;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Resolves on SIGTERM or Ctrl-C; after that, in-flight requests get `grace` to finish before
/// the process exits anyway.
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
        tracing::warn!("grace period over; exiting");
        std::process::exit(0);
    });
}
