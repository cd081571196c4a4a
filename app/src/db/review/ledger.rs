//! The claims ledger (`claims`): every claim of a submission, from taking it to how it ended,
//! beside the submission row's current claim. The evaluation page counts the claims that lapsed
//! per assessor from it.

use super::*;

/// How a claim ended (`claims.outcome`). A claim whose time ran out before its holder decided
/// ends as `lapsed` whatever ended it; the statements below decide that in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Its holder recorded a decision.
    Decided,
    /// Its holder let go of it.
    Released,
    /// A coordinator gave the work to someone else, or deactivated the holder.
    Withdrawn,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Decided => "decided",
            Self::Released => "released",
            Self::Withdrawn => "withdrawn",
        }
    }
}

/// Records that `assessor` holds submission `id` until `until`: the holder's open claim that
/// has not run out is extended; otherwise any open claim ends (as lapsed if its time ran out,
/// withdrawn if not) and a new one starts.
pub(crate) async fn claimed(
    tx: &mut Transaction<'static, Any>,
    id: SubmissionId,
    assessor: UserId,
    second: bool,
    now: i64,
    until: i64,
) -> anyhow::Result<()> {
    let extended = sqlx::query(
        "UPDATE claims SET expires_at = $1 WHERE submission_id = $2 AND assessor_id = $3 \
         AND ended_at IS NULL AND expires_at > $4",
    )
    .bind(until)
    .bind(id)
    .bind(assessor)
    .bind(now)
    .execute(&mut **tx)
    .await
    .context("extend the claim")?;
    if extended.rows_affected() > 0 {
        return Ok(());
    }
    sqlx::query(
        "UPDATE claims SET ended_at = $1, \
           outcome = CASE WHEN expires_at <= $1 THEN 'lapsed' ELSE 'withdrawn' END \
         WHERE submission_id = $2 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("end the earlier claim")?;
    sqlx::query(
        "INSERT INTO claims (submission_id, assessor_id, second, claimed_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(assessor)
    .bind(i64::from(second))
    .bind(now)
    .bind(until)
    .execute(&mut **tx)
    .await
    .context("record the claim")?;
    Ok(())
}

/// Ends the open claims on submission `id` (only `assessor`'s when given; everyone's but
/// `except`'s otherwise) with `outcome`. A claim whose time had already run out ends as lapsed
/// whatever the outcome, except a decision (its holder still decided).
pub(crate) async fn ended(
    tx: &mut Transaction<'static, Any>,
    id: SubmissionId,
    holder: Holder,
    outcome: Outcome,
    now: i64,
) -> anyhow::Result<()> {
    let (who, assessor) = match holder {
        Holder::Only(a) => ("assessor_id = $4", a),
        Holder::AllBut(a) => ("assessor_id <> $4", a),
    };
    sqlx::query(&format!(
        "UPDATE claims SET ended_at = $1, \
           outcome = CASE WHEN $2 <> 'decided' AND expires_at <= $1 THEN 'lapsed' ELSE $2 END \
         WHERE submission_id = $3 AND {who} AND ended_at IS NULL"
    ))
    .bind(now)
    .bind(outcome.as_str())
    .bind(id)
    .bind(assessor)
    .execute(&mut **tx)
    .await
    .context("end the claim")?;
    Ok(())
}

/// Whose claims [`ended`] ends.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Holder {
    /// This assessor's.
    Only(UserId),
    /// Everyone's but this assessor's.
    AllBut(UserId),
}

/// Ends every open claim `assessor` holds (they were deactivated), as withdrawn (or lapsed).
pub(crate) async fn withdrawn_from(
    tx: &mut Transaction<'static, Any>,
    assessor: i64,
    now: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE claims SET ended_at = $1, \
           outcome = CASE WHEN expires_at <= $1 THEN 'lapsed' ELSE 'withdrawn' END \
         WHERE assessor_id = $2 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(assessor)
    .execute(&mut **tx)
    .await
    .context("withdraw their claims")?;
    Ok(())
}
