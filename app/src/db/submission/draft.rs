//! The draft a teacher composes (saved on a version), the snapshot frozen when they submit, the preview.

use super::*;

/// One piece of evidence a teacher offers for an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offered {
    /// One of their journal entries.
    Journal(i64),
    /// One of their uploads.
    Upload(i64),
    /// Their checklist note and link for the indicator.
    Checklist,
    /// A link with a label.
    Link(String, String),
}

/// A draft's content, validated: per indicator id, the rationale and what is offered.
#[derive(Debug, Clone, Default)]
pub struct DraftContent {
    /// Per indicator.
    pub indicators: Vec<(i64, String, Vec<Offered>)>,
}

/// Saves a draft on `base_version` (0 before the first save, which starts attempt 1); with
/// `submit`, then freezes the snapshot and sends it for assessment, in the same transaction.
#[tracing::instrument(skip(db, content))]
pub async fn save_draft(
    db: &Db,
    user_id: UserId,
    framework_id: i64,
    competency_id: CompetencyId,
    base_version: i64,
    content: &DraftContent,
    submit: bool,
) -> anyhow::Result<Result<DraftOutcome, Refused>> {
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin saving a draft")?;
    let (id, attempt, version) = match latest(&mut tx, user_id, competency_id).await? {
        None => {
            let Some(cohort) = teacher_cohort(&mut *tx, user_id, framework_id).await? else {
                return Ok(Err(Refused::NoCohort));
            };
            let inserted = sqlx::query_scalar::<_, SubmissionId>(
                "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, 1, 'draft', 1, $4, $4) RETURNING id",
            )
            .bind(user_id)
            .bind(cohort.id)
            .bind(competency_id)
            .bind(now)
            .fetch_one(&mut *tx)
            .await;
            match inserted {
                Ok(id) => (id, 1, 1),
                // Another window started it first (PostgreSQL; SQLite serialises writers).
                Err(e)
                    if crate::db::is_unique_violation(
                        &e,
                        "submissions_user_competency_attempt",
                        "submissions.user_id",
                    ) =>
                {
                    return Ok(Ok(DraftOutcome::Conflict { version: 1 }))
                }
                Err(e) => return Err(anyhow::Error::new(e).context("start attempt")),
            }
        }
        Some(LatestAttempt {
            id,
            attempt,
            status,
            version,
        }) => {
            if let Err(why) = crate::domain::review::may_edit(status) {
                return Ok(Err(Refused::Closed(why)));
            }
            if version != base_version {
                return Ok(Ok(DraftOutcome::Conflict { version }));
            }
            // The checks above read the row before this transaction held it; on PostgreSQL
            // another save or submit may have committed since. The same checks in the write
            // (which waits for the row) decide: zero rows means someone else got there first.
            let bumped = sqlx::query(
                "UPDATE submissions SET version = version + 1, updated_at = $1 \
                 WHERE id = $2 AND status = 'draft' AND version = $3",
            )
            .bind(now)
            .bind(id)
            .bind(base_version)
            .execute(&mut *tx)
            .await
            .context("bump draft version")?
            .rows_affected();
            if bumped != 1 {
                let now_there = latest(&mut tx, user_id, competency_id)
                    .await?
                    .context("the draft vanished")?;
                if now_there.status == SubmissionStatus::Draft {
                    return Ok(Ok(DraftOutcome::Conflict {
                        version: now_there.version,
                    }));
                }
                let why = crate::t!(validation.submitted_meanwhile);
                return Ok(Err(Refused::Closed(why)));
            }
            (id, attempt, version + 1)
        }
    };
    write_content(&mut tx, id, user_id, content).await?;
    if submit {
        let snapshot = build_snapshot(&mut tx, id, user_id, competency_id).await?;
        let json = serde_json::to_string(&snapshot).context("snapshot to JSON")?;
        let submitted = sqlx::query(
            "UPDATE submissions SET status = 'submitted', snapshot = $1, submitted_at = $2, \
             updated_at = $2 WHERE id = $3 AND status = 'draft'",
        )
        .bind(json)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .context("submit")?
        .rows_affected();
        if submitted != 1 {
            anyhow::bail!("submission {id} left draft while this transaction held it");
        }
        audit::record_in(
            &mut tx,
            Some(user_id.get()),
            "submission.submit",
            &format!("submission:{id}"),
            &format!("{{\"attempt\":{attempt}}}"),
        )
        .await?;
        crate::db::notify::events::review_waiting_in(&mut tx, db, id.get()).await?;
        tx.commit().await.context("commit the submission")?;
        return Ok(Ok(DraftOutcome::Submitted { attempt }));
    }
    tx.commit().await.context("commit the draft")?;
    Ok(Ok(DraftOutcome::Saved {
        version,
        saved_at: now,
    }))
}

/// Replaces a draft's rationales and evidence. Journal entries and uploads that are not the
/// teacher's are skipped (the `INSERT … SELECT` finds nothing).
pub(super) async fn write_content(
    tx: &mut Transaction<'static, Any>,
    submission_id: SubmissionId,
    user_id: UserId,
    content: &DraftContent,
) -> anyhow::Result<()> {
    for table in ["submission_rationales", "submission_evidence"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE submission_id = $1"))
            .bind(submission_id)
            .execute(&mut **tx)
            .await
            .context("clear draft")?;
    }
    for (indicator_id, rationale, offered) in &content.indicators {
        if !rationale.is_empty() {
            sqlx::query(
                "INSERT INTO submission_rationales (submission_id, indicator_id, rationale) VALUES ($1, $2, $3)",
            )
            .bind(submission_id)
            .bind(indicator_id)
            .bind(rationale)
            .execute(&mut **tx)
            .await
            .context("rationale")?;
        }
        for item in offered {
            let query = match item {
                Offered::Journal(entry) => sqlx::query(
                    "INSERT INTO submission_evidence (submission_id, indicator_id, kind, journal_entry_id) \
                     SELECT $1, $2, 'journal', id FROM journal_entries WHERE id = $3 AND user_id = $4 \
                     AND deleted_at IS NULL",
                )
                .bind(submission_id)
                .bind(indicator_id)
                .bind(entry)
                .bind(user_id),
                Offered::Upload(upload) => sqlx::query(
                    "INSERT INTO submission_evidence (submission_id, indicator_id, kind, upload_id) \
                     SELECT $1, $2, 'upload', id FROM uploads WHERE id = $3 AND user_id = $4",
                )
                .bind(submission_id)
                .bind(indicator_id)
                .bind(upload)
                .bind(user_id),
                Offered::Checklist => sqlx::query(
                    "INSERT INTO submission_evidence (submission_id, indicator_id, kind) VALUES ($1, $2, 'rating')",
                )
                .bind(submission_id)
                .bind(indicator_id),
                Offered::Link(url, label) => sqlx::query(
                    "INSERT INTO submission_evidence (submission_id, indicator_id, kind, url, label) \
                     VALUES ($1, $2, 'link', $3, $4)",
                )
                .bind(submission_id)
                .bind(indicator_id)
                .bind(url)
                .bind(label),
            };
            query.execute(&mut **tx).await.context("evidence")?;
        }
    }
    Ok(())
}
