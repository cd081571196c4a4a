//! Claims, releases and assignments of submissions to assessors.

use super::*;

/// Claims a submission (first review or second marking) for the viewer, for [`CLAIM_MS`].
/// A claim that lapsed may be taken by anyone eligible; one assigned to someone else may not.
pub async fn claim(db: &Db, viewer: Viewer, id: i64) -> anyhow::Result<Result<i64, Refused>> {
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    crate::db::hold(&mut tx, crate::db::Held::Submission, id).await?;
    let (t, second) = match reviewer_target(&mut tx, viewer, id).await? {
        Ok(found) => found,
        Err(refused) => return Ok(Err(refused)),
    };
    if t.assigned(second).is_some_and(|a| a != viewer.user_id) {
        return Ok(Err(Refused::Taken(
            "a coordinator assigned this to another assessor".into(),
        )));
    }
    let until = now + CLAIM_MS;
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
            "another assessor is reviewing this now".into(),
        )));
    }
    audit::record_in(
        &mut tx,
        Some(viewer.user_id),
        "submission.claim",
        &format!("submission:{id}"),
        &format!("{{\"until\":{until},\"second\":{second}}}"),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(until))
}

/// Lets go of a claim the viewer holds.
pub async fn release(db: &Db, viewer: Viewer, id: i64) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE submissions SET claimed_by = NULL, claim_expires_at = NULL WHERE id = $1 AND claimed_by = $2",
    )
    .bind(id)
    .bind(viewer.user_id)
    .execute(db.writer())
    .await
    .context("release")?;
    Ok(done.rows_affected() == 1)
}

/// A coordinator assigns a waiting submission (first review, or second marking once sent) to
/// an assessor of its cohort, who is not its teacher (nor, for second marking, its first
/// assessor).
pub async fn assign(
    db: &Db,
    viewer: Viewer,
    id: i64,
    assessor: i64,
) -> anyhow::Result<Result<(), Refused>> {
    let mut tx = db.begin_write().await.context("begin")?;
    crate::db::hold(&mut tx, crate::db::Held::Submission, id).await?;
    let Some(t) = target(&mut *tx, viewer, id).await? else {
        return Ok(Err(Refused::NotFound));
    };
    if !t.coordinator {
        return Ok(Err(Refused::NotFound));
    }
    let eligible: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.cohort_id = $1 AND m.user_id = $2 AND m.role = 'assessor' AND u.deactivated_at IS NULL",
    )
    .bind(t.cohort_id)
    .bind(assessor)
    .fetch_one(&mut *tx)
    .await
    .context("assessor membership")?;
    let invalid = |m: &str| {
        Ok(Err(Refused::Invalid {
            field: "assessor".into(),
            message: m.into(),
        }))
    };
    if eligible == 0 {
        return invalid("choose an assessor of this submission's cohort");
    }
    if assessor == t.user_id {
        return invalid("nobody assesses their own work");
    }
    let second = if t.status == "submitted" {
        false
    } else if matches!(t.moderation, Some((_, _, false))) && !t.has_second {
        if t.first_assessor == Some(assessor) {
            return invalid("second marking needs someone other than the first assessor");
        }
        // Nor does the first assessor choose who gives the second opinion on their decision.
        if t.first_assessor == Some(viewer.user_id) {
            return Ok(Err(Refused::NotFound));
        }
        true
    } else {
        return Ok(Err(Refused::NotWaiting));
    };
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
    audit::record_in(
        &mut tx,
        Some(viewer.user_id),
        "submission.assign",
        &format!("submission:{id}"),
        &format!("{{\"assessor\":{assessor},\"second\":{second}}}"),
    )
    .await?;
    tx.commit().await.context("commit")?;
    Ok(Ok(()))
}
