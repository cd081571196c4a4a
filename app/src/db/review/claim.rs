//! Claims, releases and assignments of submissions to assessors.

use super::*;

/// Claims a submission (first review or second marking) for the viewer, for [`CLAIM_MS`];
/// answers when the claim lapses. A claim that lapsed may be taken by anyone eligible; one
/// assigned to someone else may not ([`rules::may_claim`]).
#[tracing::instrument(skip(db))]
pub async fn claim(
    db: &Db,
    viewer: Viewer,
    id: SubmissionId,
) -> anyhow::Result<Result<i64, Refused>> {
    let now = now_ms();
    let mut tx = db
        .begin_write()
        .await
        .context("begin claiming a submission")?;
    let Some(t) = held_target(&mut tx, viewer, id).await? else {
        return Ok(Err(Refused::NotFound));
    };
    let marking = match rules::may_claim(&t.facts, viewer.user_id, now) {
        Ok(marking) => marking,
        Err(refusal) => return Ok(Err(refusal.into())),
    };
    let until = now + CLAIM_MS;
    // The same condition as the rule, in the write: the row is held, so this only guards.
    let taken = sqlx::query(
        "UPDATE submissions SET claimed_by = $1, claim_expires_at = $2 WHERE id = $3 \
         AND (claimed_by IS NULL OR claimed_by = $1 OR claim_expires_at <= $4)",
    )
    .bind(viewer.user_id)
    .bind(until)
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("claim")?;
    if taken.rows_affected() == 0 {
        return Ok(Err(Refused::Taken(
            crate::t!(validation.another_assessor_reviewing).into(),
        )));
    }
    let second = marking == Marking::Second;
    ledger::claimed(&mut tx, id, viewer.user_id, second, now, until).await?;
    audit::record_in(
        &mut tx,
        Some(viewer.user_id.get()),
        "submission.claim",
        &format!("submission:{id}"),
        &format!("{{\"until\":{until},\"second\":{second}}}"),
    )
    .await?;
    tx.commit().await.context("commit the claim")?;
    Ok(Ok(until))
}

/// Lets go of a claim the viewer holds; `false` when they held none on it.
#[tracing::instrument(skip(db))]
pub async fn release(db: &Db, viewer: Viewer, id: SubmissionId) -> anyhow::Result<bool> {
    let mut tx = db.begin_write().await.context("begin releasing a claim")?;
    let done = sqlx::query(
        "UPDATE submissions SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1 AND claimed_by = $2",
    )
    .bind(id)
    .bind(viewer.user_id)
    .execute(&mut *tx)
    .await
    .context("release")?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    ledger::ended(
        &mut tx,
        id,
        ledger::Holder::Only(viewer.user_id),
        ledger::Outcome::Released,
        now_ms(),
    )
    .await?;
    tx.commit().await.context("commit the release")?;
    Ok(true)
}

/// A coordinator assigns a waiting submission (first review, or second marking once sent) to
/// an assessor of its cohort, who is not its teacher (nor, for second marking, its first
/// assessor): [`rules::may_assign`].
#[tracing::instrument(skip(db))]
pub async fn assign(
    db: &Db,
    viewer: Viewer,
    id: SubmissionId,
    assessor: UserId,
) -> anyhow::Result<Result<(), Refused>> {
    let mut tx = db
        .begin_write()
        .await
        .context("begin assigning a submission")?;
    let Some(t) = held_target(&mut tx, viewer, id).await? else {
        return Ok(Err(Refused::NotFound));
    };
    let eligible: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.cohort_id = $1 AND m.user_id = $2 AND m.role = 'assessor' AND u.deactivated_at IS NULL",
    )
    .bind(t.cohort_id)
    .bind(assessor)
    .fetch_one(&mut *tx)
    .await
    .context("assessor membership")?;
    let marking = match rules::may_assign(&t.facts, viewer.user_id, assessor, eligible > 0) {
        Ok(marking) => marking,
        Err(refusal) => return Ok(Err(refusal.into())),
    };
    let second = marking == Marking::Second;
    if second {
        sqlx::query("UPDATE moderations SET second_assessor = $1 WHERE submission_id = $2")
            .bind(assessor)
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("assign second")?;
    } else {
        sqlx::query("UPDATE submissions SET assigned_to = $1 WHERE id = $2")
            .bind(assessor)
            .bind(id)
            .execute(&mut *tx)
            .await
            .context("assign")?;
    }
    // The assignee holds it from now on; any other claim ends.
    sqlx::query(
        "UPDATE submissions SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1 AND claimed_by <> $2",
    )
    .bind(id)
    .bind(assessor)
    .execute(&mut *tx)
    .await
    .context("end other claims")?;
    ledger::ended(
        &mut tx,
        id,
        ledger::Holder::AllBut(assessor),
        ledger::Outcome::Withdrawn,
        now_ms(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        Some(viewer.user_id.get()),
        "submission.assign",
        &format!("submission:{id}"),
        &format!("{{\"assessor\":{assessor},\"second\":{second}}}"),
    )
    .await?;
    tx.commit().await.context("commit the assignment")?;
    Ok(Ok(()))
}
