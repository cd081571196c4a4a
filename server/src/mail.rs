//! The outbox sender: takes due messages from the database (`app::db::mail`), sends them
//! through SMTP with lettre (or, in development, writes them to a folder and logs where), and
//! records the result. Safe with several instances: each message is taken under a lease.

use crate::config::MailDelivery;
use anyhow::Context as _;
use app::db::mail::Taken;
use app::db::Db;
use lettre::message::{header, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// How often an idle sender looks for due messages.
pub const POLL: Duration = Duration::from_secs(2);

/// Where messages go, ready to send.
pub enum Transport {
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// A folder: `<outbox id>.eml` per message (development).
    Folder(PathBuf),
}

/// The sender: transport, the `From` address and the host named in `Message-ID`s.
pub struct Sender {
    transport: Transport,
    from: Mailbox,
    host: String,
}

impl Sender {
    /// Builds the sender from the configuration. Errors name the variable that is wrong.
    pub fn new(delivery: &MailDelivery, from: &str) -> anyhow::Result<Self> {
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("MAIL_FROM={from:?} is not a valid mailbox"))?;
        let host = from.email.domain().to_owned();
        let transport = match delivery {
            MailDelivery::Smtp(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .context("SMTP_URL is not a valid SMTP URL")?
                    .timeout(Some(Duration::from_secs(30)))
                    .build(),
            ),
            MailDelivery::Folder(dir) => Transport::Folder(dir.clone()),
        };
        Ok(Self {
            transport,
            from,
            host,
        })
    }

    /// The message as lettre sends it: plain text and HTML alternatives, a `Message-ID` fixed
    /// by the outbox row (the same on a retry, so a duplicate can be recognised), an
    /// `Auto-Submitted` header (RFC 3834) so vacation responders stay quiet, and for the kinds a
    /// person can turn off, `List-Unsubscribe` (RFC 2369) with `List-Unsubscribe-Post`
    /// (RFC 8058: a one-click POST turns reminders off).
    fn build(&self, taken: &Taken) -> anyhow::Result<lettre::Message> {
        let m = &taken.message;
        let to: Mailbox = m
            .recipient
            .parse()
            .with_context(|| format!("recipient {:?} is not an address", m.recipient))?;
        let mut builder = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(Some(format!("<outbox-{}@{}>", taken.id, self.host)))
            .header(AutoSubmitted);
        if let Some(url) = &m.unsubscribe {
            builder = builder
                .header(ListUnsubscribe(format!("<{url}>")))
                .header(ListUnsubscribePost);
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                m.text.clone(),
                m.html.clone(),
            ))
            .context("compose the e-mail")
    }

    /// Sends one message. `Err((error, permanent))` on failure; permanent ones (the server
    /// refused the address, a malformed message) are not retried.
    async fn send(&self, taken: &Taken) -> Result<(), (String, bool)> {
        let message = self.build(taken).map_err(|e| (format!("{e:#}"), true))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| (e.to_string(), e.is_permanent())),
            Transport::Folder(dir) => {
                let path = dir.join(format!("{}.eml", taken.id));
                let write = async {
                    tokio::fs::create_dir_all(dir).await?;
                    tokio::fs::write(&path, message.formatted()).await
                };
                write.await.map_err(|e| (e.to_string(), false))?;
                tracing::info!(
                    to = %taken.message.recipient,
                    kind = taken.message.kind.as_str(),
                    file = %path.display(),
                    "development e-mail written (not sent):\n{}",
                    taken.message.text
                );
                Ok(())
            }
        }
    }

    /// Sends every message that is due now; returns how many were sent.
    pub async fn deliver_due(&self, db: &Db) -> anyhow::Result<usize> {
        let mut sent = 0;
        while let Some(taken) = app::db::mail::take_due(db).await? {
            match self.send(&taken).await {
                Ok(()) => {
                    app::db::mail::mark_sent(db, taken.id).await?;
                    sent += 1;
                }
                Err((error, permanent)) => {
                    let gave_up = app::db::mail::mark_failed(db, &taken, &error, permanent).await?;
                    if gave_up {
                        tracing::error!(id = taken.id, kind = taken.message.kind.as_str(), %error, "e-mail given up");
                    } else {
                        tracing::warn!(id = taken.id, kind = taken.message.kind.as_str(), %error, "e-mail failed; will retry");
                    }
                }
            }
        }
        Ok(sent)
    }

    /// Runs until the task is dropped: delivers what is due, then waits [`POLL`].
    pub async fn run(self, db: Db) {
        loop {
            if let Err(e) = self.deliver_due(&db).await {
                tracing::warn!(error = %format!("{e:#}"), "e-mail outbox unavailable");
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// Every `every`: queues what time has made due (lapsed claims, reminders, digests; see
/// `app::db::notify::sweep`). Every instance runs it; each message still goes once.
pub async fn sweep_forever(db: Db, schedule: app::db::notify::sweep::Schedule, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app::db::notify::sweep::sweep(&db, &schedule, app::db::now_ms()).await {
            Ok(swept) if swept != app::db::notify::sweep::Swept::default() => {
                tracing::info!(?swept, "reminders queued");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %format!("{e:#}"), "reminder sweep failed"),
        }
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834 §5).
#[derive(Clone, Copy)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// `List-Unsubscribe: <https://…>` (RFC 2369 §3.2).
#[derive(Clone)]
struct ListUnsubscribe(String);

impl header::Header for ListUnsubscribe {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058 §3.1).
#[derive(Clone, Copy)]
struct ListUnsubscribePost;

impl header::Header for ListUnsubscribePost {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// The one-click unsubscribe target of `List-Unsubscribe` (RFC 8058): `POST
/// /mail/unsubscribe/{token}` turns the token's reminders off (the mail client posts
/// `List-Unsubscribe=One-Click`; any body up to 1 KB is accepted); `GET` shows the settings page
/// (a link scanner's visit changes nothing). 404 for an unknown token.
pub fn routes() -> axum::Router<crate::startup::AppState> {
    use axum::extract::{DefaultBodyLimit, Path, State};
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Redirect, Response};
    use axum::routing::get;
    async fn one_click(
        State(state): State<crate::startup::AppState>,
        Path(token): Path<String>,
    ) -> Response {
        match app::db::notify::settings::set_reminders(&state.db, token.trim(), false).await {
            Ok(true) => (
                StatusCode::OK,
                [(axum::http::header::CACHE_CONTROL, "no-store")],
                "Reminders are off.",
            )
                .into_response(),
            Ok(false) => (StatusCode::NOT_FOUND, "That link is not known.").into_response(),
            Err(e) => {
                tracing::error!(error = ?e, "one-click unsubscribe failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Please try again, or use the link in the message.",
                )
                    .into_response()
            }
        }
    }
    async fn page(Path(token): Path<String>) -> Redirect {
        Redirect::to(&format!(
            "/mail/settings/{}",
            app::domain::url::encode(token.trim())
        ))
    }
    axum::Router::new()
        .route("/mail/unsubscribe/{token}", get(page).post(one_click))
        .layer(DefaultBodyLimit::max(1024))
}
