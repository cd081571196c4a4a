//! The e-mail outbox: messages written in the transaction of the event that causes them, then
//! taken, sent and marked by a background sender (`server::mail`), on any instance.
//!
//! Delivery is at least once: a sender takes a message by moving its lease forward with a
//! conditional `UPDATE` (so two instances never send the same row at the same time) and marks
//! it sent after the SMTP server accepted it. Only a crash between those two steps sends a
//! message twice, and both copies carry the same `Message-ID` (`<outbox-ID@host>`), by which
//! mail systems recognise the duplicate.

use anyhow::Context as _;

use crate::mail::Message;

/// How long a sender may take over one message before another instance may take it again.
pub const LEASE_MS: i64 = 2 * 60 * 1000;
/// Attempts before a message is given up (`failed_at` set, the error kept for the log).
pub const MAX_ATTEMPTS: i64 = 8;

/// Writes `message` to the outbox inside the caller's transaction; returns its id. It is sent
/// only if that transaction commits.
pub async fn enqueue(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    message: &Message,
) -> anyhow::Result<i64> {
    let now = super::now_ms();
    sqlx::query_scalar(
        "INSERT INTO outbox (kind, recipient, subject, body_text, body_html, unsubscribe_url, \
         created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(message.kind)
    .bind(&message.recipient)
    .bind(&message.subject)
    .bind(&message.text)
    .bind(&message.html)
    .bind(message.unsubscribe.as_deref())
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .context("queue an e-mail")
}

/// A message a sender has taken: its outbox id and content.
#[derive(Clone, Debug)]
pub struct Taken {
    /// The outbox row (also the stable part of the `Message-ID`).
    pub id: i64,
    /// Attempts made before this one.
    pub attempts: i64,
    /// What to send.
    pub message: Message,
}

/// Takes the oldest message that is due and not being sent by anyone, for [`LEASE_MS`].
/// `None` when nothing is due. Safe with several senders: only the one whose `UPDATE`
/// matched the lease it read gets the row.
pub async fn take_due(db: &super::Db) -> anyhow::Result<Option<Taken>> {
    let now = super::now_ms();
    for _ in 0..5 {
        let candidate: Option<Due> = sqlx::query_as(
            "SELECT id, lease_until FROM outbox \
             WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 AND lease_until <= $1 \
             ORDER BY next_attempt_at, id LIMIT 1",
        )
        .bind(now)
        .fetch_optional(db.pool())
        .await
        .context("find a due e-mail")?;
        let Some(Due { id, lease_until }) = candidate else {
            return Ok(None);
        };
        let taken = sqlx::query(
            "UPDATE outbox SET lease_until = $1 \
             WHERE id = $2 AND lease_until = $3 AND sent_at IS NULL AND failed_at IS NULL",
        )
        .bind(now + LEASE_MS)
        .bind(id)
        .bind(lease_until)
        .execute(db.writer())
        .await
        .context("take an e-mail")?;
        if taken.rows_affected() == 1 {
            let row: OutboxRow = sqlx::query_as(&format!(
                "SELECT {MESSAGE}, sent_at, attempts, id FROM outbox WHERE id = $1"
            ))
            .bind(id)
            .fetch_one(db.writer())
            .await
            .with_context(|| format!("read the taken e-mail {id}"))?;
            return Ok(Some(Taken {
                id,
                attempts: row.attempts,
                message: row.message.into(),
            }));
        }
        // Another sender took it between our read and our update: look again.
    }
    Ok(None)
}

/// Records that the SMTP server (or the development folder) accepted message `id`.
pub async fn mark_sent(db: &super::Db, id: i64) -> anyhow::Result<()> {
    sqlx::query("UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id = $2")
        .bind(super::now_ms())
        .bind(id)
        .execute(db.writer())
        .await
        .context("mark an e-mail sent")?;
    Ok(())
}

/// Records a failed attempt: the message is tried again after a backoff that doubles from 30
/// seconds (capped at six hours), or given up after [`MAX_ATTEMPTS`]. Returns whether it was
/// given up.
pub async fn mark_failed(
    db: &super::Db,
    taken: &Taken,
    error: &str,
    permanent: bool,
) -> anyhow::Result<bool> {
    let now = super::now_ms();
    let attempts = taken.attempts + 1;
    let give_up = permanent || attempts >= MAX_ATTEMPTS;
    let delay = backoff_ms(attempts);
    let error: String = error.chars().take(1_000).collect();
    sqlx::query(
        "UPDATE outbox SET attempts = $1, next_attempt_at = $2, lease_until = 0, last_error = $3, \
         failed_at = $4 WHERE id = $5",
    )
    .bind(attempts)
    .bind(now + delay)
    .bind(&error)
    .bind(give_up.then_some(now))
    .bind(taken.id)
    .execute(db.writer())
    .await
    .context("record a failed e-mail")?;
    Ok(give_up)
}

/// The wait after the `attempts`-th failure, in milliseconds: 30 s, 1 min, 2 min, … ≤ 6 h.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    (30_000i64.saturating_mul(1i64 << doublings)).min(6 * 60 * 60 * 1000)
}

/// One outbox row as the tests and the operator see it.
#[derive(Clone, Debug)]
pub struct Row {
    /// Outbox id.
    pub id: i64,
    /// The message.
    pub message: Message,
    /// Sent (epoch ms), if it was.
    pub sent_at: Option<i64>,
    /// Attempts that failed.
    pub attempts: i64,
}

/// Every message to `recipient`, oldest first (tests and support).
pub async fn to_recipient(db: &super::Db, recipient: &str) -> anyhow::Result<Vec<Row>> {
    let rows: Vec<OutboxRow> = sqlx::query_as(&format!(
        "SELECT {MESSAGE}, sent_at, attempts, id FROM outbox WHERE recipient = $1 ORDER BY id"
    ))
    .bind(recipient)
    .fetch_all(db.pool())
    .await
    .context("read the outbox")?;
    Ok(rows
        .into_iter()
        .map(|r| Row {
            message: r.message.into(),
            sent_at: r.sent_at,
            attempts: r.attempts,
            id: r.id,
        })
        .collect())
}

/// The columns of a [`MessageRow`], first in a `SELECT`.
const MESSAGE: &str = "kind, recipient, subject, body_text, body_html, unsubscribe_url";

/// The next due message and the lease it had when read.
#[derive(sqlx::FromRow)]
struct Due {
    id: i64,
    lease_until: i64,
}

/// A message as stored ([`MESSAGE`]); an unknown kind is a decoding error.
#[derive(sqlx::FromRow)]
struct MessageRow {
    kind: crate::mail::Kind,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    unsubscribe_url: Option<String>,
}

impl From<MessageRow> for Message {
    fn from(r: MessageRow) -> Self {
        Message {
            kind: r.kind,
            recipient: r.recipient,
            subject: r.subject,
            text: r.body_text,
            html: r.body_html,
            unsubscribe: r.unsubscribe_url,
        }
    }
}

/// An outbox row: the message and its delivery.
#[derive(sqlx::FromRow)]
struct OutboxRow {
    #[sqlx(flatten)]
    message: MessageRow,
    sent_at: Option<i64>,
    attempts: i64,
    id: i64,
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_from_thirty_seconds_and_stops_at_six_hours() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(3), 120_000);
        for attempts in 1..40 {
            assert!(backoff_ms(attempts + 1) >= backoff_ms(attempts));
            assert!(backoff_ms(attempts) <= 6 * 60 * 60 * 1000);
        }
        assert_eq!(backoff_ms(30), 6 * 60 * 60 * 1000);
    }
}
