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
pub async fn save_draft(
    db: &Db,
    user_id: i64,
    framework_id: i64,
    competency_id: i64,
    base_version: i64,
    content: &DraftContent,
    submit: bool,
) -> anyhow::Result<Result<DraftOutcome, Refused>> {
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    let (id, attempt, version) = match latest(&mut tx, user_id, competency_id).await? {
        None => {
            let Some((cohort_id, _, _)) = teacher_cohort(&mut *tx, user_id, framework_id).await?
            else {
                return Ok(Err(Refused::NoCohort));
            };
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, 1, 'draft', 1, $4, $4) RETURNING id",
            )
            .bind(user_id)
            .bind(cohort_id)
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
        Some((id, attempt, status, version, _)) => {
            match SubmissionStatus::parse(&status) {
                Some(SubmissionStatus::Draft) => {}
                Some(SubmissionStatus::Submitted) => {
                    return Ok(Err(Refused::Closed(
                        "this evidence was submitted and is waiting for an assessor",
                    )))
                }
                Some(SubmissionStatus::Competent) => {
                    return Ok(Err(Refused::Closed(
                        "this competency was already judged Competent",
                    )))
                }
                _ => {
                    return Ok(Err(Refused::Closed(
                        "every attempt has been used; your coordinator can allow another",
                    )))
                }
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
                let (_, _, status, version, _) = latest(&mut tx, user_id, competency_id)
                    .await?
                    .context("the draft vanished")?;
                if status == "draft" {
                    return Ok(Ok(DraftOutcome::Conflict { version }));
                }
                return Ok(Err(Refused::Closed(
                    "this evidence was submitted meanwhile (from another window?)",
                )));
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
            Some(user_id),
            "submission.submit",
            &format!("submission:{id}"),
            &format!("{{\"attempt\":{attempt}}}"),
        )
        .await?;
        tx.commit().await.context("commit")?;
        return Ok(Ok(DraftOutcome::Submitted { attempt }));
    }
    tx.commit().await.context("commit")?;
    Ok(Ok(DraftOutcome::Saved {
        version,
        saved_at: now,
    }))
}

/// Replaces a draft's rationales and evidence. Journal entries and uploads that are not the
/// teacher's are skipped (the `INSERT … SELECT` finds nothing).
pub(super) async fn write_content(
    tx: &mut Transaction<'static, Any>,
    submission_id: i64,
    user_id: i64,
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

/// What the assessor will see: the draft with the texts of what it offers as they are now.
pub(super) async fn build_snapshot(
    tx: &mut Transaction<'static, Any>,
    submission_id: i64,
    user_id: i64,
    competency_id: i64,
) -> anyhow::Result<Snapshot> {
    let head = sqlx::query("SELECT slug, title FROM competencies WHERE id = $1")
        .bind(competency_id)
        .fetch_one(&mut **tx)
        .await
        .context("competency")?;
    let rows = sqlx::query(
        "SELECT i.id, i.slug, i.text, COALESCE(r.rationale, '') FROM indicators i \
         LEFT JOIN submission_rationales r ON r.indicator_id = i.id AND r.submission_id = $1 \
         WHERE i.competency_id = $2 AND i.retired_at IS NULL ORDER BY i.position",
    )
    .bind(submission_id)
    .bind(competency_id)
    .fetch_all(&mut **tx)
    .await
    .context("rationales")?;
    let evidence = sqlx::query(
        "SELECT e.indicator_id, e.kind, e.url, e.label, j.title, j.body, up.id, up.file_name, \
         b.media_type, sr.level, sr.note, sr.evidence_url \
         FROM submission_evidence e \
         LEFT JOIN journal_entries j ON j.id = e.journal_entry_id AND j.deleted_at IS NULL \
         LEFT JOIN uploads up ON up.id = e.upload_id \
         LEFT JOIN upload_blobs b ON b.sha256 = up.sha256 \
         LEFT JOIN self_ratings sr ON e.kind = 'rating' AND sr.user_id = $2 \
              AND sr.indicator_id = e.indicator_id AND sr.phase = 'current' \
         WHERE e.submission_id = $1 ORDER BY e.id",
    )
    .bind(submission_id)
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await
    .context("evidence")?;
    let mut by_indicator: HashMap<i64, Vec<EvidenceItem>> = HashMap::new();
    for r in &evidence {
        let indicator: Option<i64> = r.try_get(0)?;
        let kind: String = r.try_get(1)?;
        let item = match kind.as_str() {
            "journal" => {
                let Some(title) = r.try_get::<Option<String>, _>(4)? else {
                    continue; // moved to the bin since it was chosen
                };
                EvidenceItem {
                    kind,
                    title,
                    text: r.try_get::<Option<String>, _>(5)?.unwrap_or_default(),
                    url: String::new(),
                    upload_id: None,
                    media_type: String::new(),
                }
            }
            "upload" => EvidenceItem {
                kind,
                title: r.try_get::<Option<String>, _>(7)?.unwrap_or_default(),
                text: String::new(),
                url: String::new(),
                upload_id: r.try_get(6)?,
                media_type: r.try_get::<Option<String>, _>(8)?.unwrap_or_default(),
            },
            "rating" => {
                let Some(level) = r.try_get::<Option<i64>, _>(9)?.and_then(Level::from_value)
                else {
                    continue; // no checklist rating to show
                };
                EvidenceItem {
                    kind,
                    title: format!("Checklist: {}", level.label()),
                    text: r.try_get::<Option<String>, _>(10)?.unwrap_or_default(),
                    url: r.try_get::<Option<String>, _>(11)?.unwrap_or_default(),
                    upload_id: None,
                    media_type: String::new(),
                }
            }
            _ => {
                let url: String = r.try_get(2)?;
                let label: String = r.try_get(3)?;
                EvidenceItem {
                    kind,
                    title: if label.is_empty() { url.clone() } else { label },
                    text: String::new(),
                    url,
                    upload_id: None,
                    media_type: String::new(),
                }
            }
        };
        by_indicator
            .entry(indicator.unwrap_or(0))
            .or_default()
            .push(item);
    }
    let mut indicators = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get(0)?;
        indicators.push(SnapshotIndicator {
            slug: r.try_get(1)?,
            text: r.try_get(2)?,
            rationale: r.try_get(3)?,
            evidence: by_indicator.remove(&id).unwrap_or_default(),
        });
    }
    Ok(Snapshot {
        competency_slug: head.try_get(0)?,
        competency_title: head.try_get(1)?,
        indicators,
        general: by_indicator.remove(&0).unwrap_or_default(),
    })
}

/// The snapshot the latest draft would freeze now (the preview); `None` without a draft.
pub async fn preview(
    db: &Db,
    user_id: i64,
    competency_id: i64,
) -> anyhow::Result<Option<Snapshot>> {
    // A read, but inside a transaction so every row comes from one moment.
    let mut tx = db.pool().begin().await.context("begin")?;
    let Some((id, _, status, _, _)) = latest(&mut tx, user_id, competency_id).await? else {
        return Ok(None);
    };
    let snapshot = if status == "draft" {
        build_snapshot(&mut tx, id, user_id, competency_id).await?
    } else {
        let json: Option<String> =
            sqlx::query_scalar("SELECT snapshot FROM submissions WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .context("snapshot")?;
        match json {
            Some(j) => serde_json::from_str(&j).context("stored snapshot")?,
            None => return Ok(None),
        }
    };
    tx.commit().await.context("end read")?;
    Ok(Some(snapshot))
}
