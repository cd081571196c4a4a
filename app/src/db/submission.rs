//! A teacher's submissions of evidence per competency: the draft they compose (autosaved on a
//! version, like the journal), the snapshot frozen when they submit, and their attempts.
//! Every query is scoped by the teacher's user id.

use super::{audit, now_ms, Db};
use crate::domain::assessment::{
    AttemptRecord, Decision, DraftIndicator, DraftOutcome, EvidenceItem, Material, RatedIndicator,
    RubricLevel, Snapshot, SnapshotIndicator, SubmissionStatus, Workspace,
};
use crate::domain::rating::Level;
use anyhow::Context as _;
use sqlx::{Any, Row as _, Transaction};
use std::collections::HashMap;

/// Why a draft cannot be saved or submitted (besides a version conflict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// No such competency.
    NotFound,
    /// The teacher is in no cohort of this framework.
    NoCohort,
    /// Nothing may be edited now (submitted, Competent, or no attempt left); says why.
    Closed(&'static str),
}

/// A competency by slugs: (framework id, competency id, title).
pub async fn competency(
    db: &Db,
    framework: &str,
    competency: &str,
) -> anyhow::Result<Option<(i64, i64, String)>> {
    let row = sqlx::query(
        "SELECT f.id, c.id, c.title FROM competencies c JOIN frameworks f ON f.id = c.framework_id \
         WHERE f.slug = $1 AND c.slug = $2 AND c.retired_at IS NULL",
    )
    .bind(framework)
    .bind(competency)
    .fetch_optional(db.pool())
    .await
    .context("find competency")?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
}

/// A competency's current indicators in order: (id, slug, text).
pub async fn indicators(db: &Db, competency_id: i64) -> anyhow::Result<Vec<(i64, String, String)>> {
    let rows = sqlx::query(
        "SELECT id, slug, text FROM indicators WHERE competency_id = $1 AND retired_at IS NULL \
         ORDER BY position",
    )
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .context("indicators")?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .collect()
}

/// The cohort a teacher's submissions on a framework go to (their latest teacher membership in
/// a cohort of it that is not archived): (id, name, max attempts).
async fn teacher_cohort<'e, E>(
    executor: E,
    user_id: i64,
    framework_id: i64,
) -> anyhow::Result<Option<(i64, String, i64)>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query(
        "SELECT c.id, c.name, c.max_attempts FROM memberships m JOIN cohorts c ON c.id = m.cohort_id \
         WHERE m.user_id = $1 AND m.role = 'teacher' AND c.framework_id = $2 AND c.archived_at IS NULL \
         ORDER BY m.id DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(framework_id)
    .fetch_optional(executor)
    .await
    .context("teacher cohort")?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
}

/// Extra attempts a coordinator allowed a teacher on a competency.
pub(crate) async fn extra_attempts<'e, E>(
    executor: E,
    user_id: i64,
    competency_id: i64,
) -> anyhow::Result<i64>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(extra), 0) AS BIGINT) FROM attempt_allowances \
         WHERE user_id = $1 AND competency_id = $2",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_one(executor)
    .await
    .context("extra attempts")
}

/// The latest attempt: (id, attempt, status, version, updated_at).
async fn latest(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    competency_id: i64,
) -> anyhow::Result<Option<(i64, i64, String, i64, i64)>> {
    let row = sqlx::query(
        "SELECT id, attempt, status, version, updated_at FROM submissions \
         WHERE user_id = $1 AND competency_id = $2 ORDER BY attempt DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_optional(&mut **tx)
    .await
    .context("latest attempt")?;
    row.map(|r| {
        Ok((
            r.try_get(0)?,
            r.try_get(1)?,
            r.try_get(2)?,
            r.try_get(3)?,
            r.try_get(4)?,
        ))
    })
    .transpose()
}

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
                    if super::is_unique_violation(
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
async fn write_content(
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
async fn build_snapshot(
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

/// The decision that stands on a submission: the first review, unless moderation resolved in
/// favour of the second. `with_assessor`: include the assessor's name.
pub(crate) async fn decision_of(
    db: &Db,
    submission_id: i64,
    kind: Option<&str>,
    with_assessor: bool,
) -> anyhow::Result<Option<Decision>> {
    let kind = match kind {
        Some(k) => k.to_owned(),
        None => sqlx::query_scalar::<_, Option<String>>(
            "SELECT resolution FROM moderations WHERE submission_id = $1",
        )
        .bind(submission_id)
        .fetch_optional(db.pool())
        .await
        .context("moderation")?
        .flatten()
        .unwrap_or_else(|| "first".to_owned()),
    };
    let Some(review) = sqlx::query(
        "SELECT r.id, r.decision, r.feedback, r.improve, r.created_at, u.name FROM reviews r \
         JOIN users u ON u.id = r.assessor_id WHERE r.submission_id = $1 AND r.kind = $2",
    )
    .bind(submission_id)
    .bind(&kind)
    .fetch_optional(db.pool())
    .await
    .context("review")?
    else {
        return Ok(None);
    };
    let review_id: i64 = review.try_get(0)?;
    let ratings = sqlx::query(
        "SELECT i.slug, i.text, rr.level, rr.comment FROM review_ratings rr \
         JOIN indicators i ON i.id = rr.indicator_id WHERE rr.review_id = $1 ORDER BY i.position",
    )
    .bind(review_id)
    .fetch_all(db.pool())
    .await
    .context("review ratings")?;
    let ratings = ratings
        .iter()
        .map(|r| {
            Ok(RatedIndicator {
                slug: r.try_get(0)?,
                text: r.try_get(1)?,
                level: RubricLevel::from_value(r.try_get(2)?).unwrap_or(RubricLevel::NotEvident),
                comment: r.try_get(3)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(Decision {
        competent: review.try_get::<String, _>(1)? == "competent",
        feedback: review.try_get(2)?,
        improve: review.try_get(3)?,
        ratings,
        decided_at: review.try_get(4)?,
        assessor: if with_assessor {
            Some(review.try_get(5)?)
        } else {
            None
        },
    }))
}

/// The teacher's workspace for a competency; `None` when there is no such competency.
/// Opening it marks the decisions on it as seen.
pub async fn workspace(
    db: &Db,
    user_id: i64,
    framework: &str,
    competency_slug: &str,
) -> anyhow::Result<Option<Workspace>> {
    let Some((framework_id, competency_id, competency_title)) =
        competency(db, framework, competency_slug).await?
    else {
        return Ok(None);
    };
    let cohort = teacher_cohort(db.pool(), user_id, framework_id).await?;
    let extra = extra_attempts(db.pool(), user_id, competency_id).await?;
    let attempts = sqlx::query(
        "SELECT id, attempt, status, version, updated_at, submitted_at, decided_at, decision_seen_at \
         FROM submissions WHERE user_id = $1 AND competency_id = $2 ORDER BY attempt DESC",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .context("attempts")?;
    let mut history = Vec::new();
    let mut unseen = false;
    for r in &attempts {
        let id: i64 = r.try_get(0)?;
        let status =
            SubmissionStatus::parse(&r.try_get::<String, _>(2)?).unwrap_or(SubmissionStatus::Draft);
        let decided_at: Option<i64> = r.try_get(6)?;
        unseen |= decided_at.is_some() && r.try_get::<Option<i64>, _>(7)?.is_none();
        let decision = if decided_at.is_some() {
            decision_of(db, id, None, false).await?
        } else {
            None
        };
        history.push(AttemptRecord {
            attempt: r.try_get(1)?,
            status,
            submitted_at: r.try_get(5)?,
            decision,
        });
    }
    if unseen {
        sqlx::query(
            "UPDATE submissions SET decision_seen_at = $1 WHERE user_id = $2 AND competency_id = $3 \
             AND decided_at IS NOT NULL AND decision_seen_at IS NULL",
        )
        .bind(now_ms())
        .bind(user_id)
        .bind(competency_id)
        .execute(db.writer())
        .await
        .context("mark decisions seen")?;
    }
    let latest = attempts.first();
    let (latest_id, attempt, version, saved_at) = match latest {
        Some(r) => (
            Some(r.try_get::<i64, _>(0)?),
            r.try_get::<i64, _>(1)?,
            r.try_get::<i64, _>(3)?,
            Some(r.try_get::<i64, _>(4)?),
        ),
        None => (None, 0, 0, None),
    };
    let status = history.first().map(|h| h.status);
    let editable = cohort.is_some() && matches!(status, None | Some(SubmissionStatus::Draft));
    // The indicators with the latest attempt's content and the checklist's current notes.
    let rows = sqlx::query(
        "SELECT i.id, i.slug, i.text, COALESCE(r.rationale, ''), sr.level, sr.note, sr.evidence_url \
         FROM indicators i \
         LEFT JOIN submission_rationales r ON r.indicator_id = i.id AND r.submission_id = $1 \
         LEFT JOIN self_ratings sr ON sr.indicator_id = i.id AND sr.user_id = $3 AND sr.phase = 'current' \
         WHERE i.competency_id = $2 AND i.retired_at IS NULL ORDER BY i.position",
    )
    .bind(latest_id.unwrap_or(0))
    .bind(competency_id)
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("draft indicators")?;
    let evidence = sqlx::query(
        "SELECT indicator_id, kind, journal_entry_id, upload_id, url, label FROM submission_evidence \
         WHERE submission_id = $1 ORDER BY id",
    )
    .bind(latest_id.unwrap_or(0))
    .fetch_all(db.pool())
    .await
    .context("draft evidence")?;
    let mut indicators = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get(0)?;
        let level = r.try_get::<Option<i64>, _>(4)?.and_then(Level::from_value);
        let note: Option<String> = r.try_get(5)?;
        let url: Option<String> = r.try_get(6)?;
        let checklist_text = level.map(|l| {
            let mut s = l.label().to_owned();
            for extra in [note.unwrap_or_default(), url.unwrap_or_default()] {
                if !extra.is_empty() {
                    s.push_str(" — ");
                    s.push_str(&extra);
                }
            }
            s
        });
        let mut ind = DraftIndicator {
            slug: r.try_get(1)?,
            text: r.try_get(2)?,
            rationale: r.try_get(3)?,
            journal: Vec::new(),
            uploads: Vec::new(),
            checklist: false,
            checklist_text,
            links: String::new(),
        };
        for e in &evidence {
            if e.try_get::<Option<i64>, _>(0)? != Some(id) {
                continue;
            }
            match e.try_get::<String, _>(1)?.as_str() {
                "journal" => ind.journal.extend(e.try_get::<Option<i64>, _>(2)?),
                "upload" => ind.uploads.extend(e.try_get::<Option<i64>, _>(3)?),
                "rating" => ind.checklist = true,
                _ => {
                    let url: String = e.try_get(4)?;
                    let label: String = e.try_get(5)?;
                    if !ind.links.is_empty() {
                        ind.links.push('\n');
                    }
                    ind.links.push_str(url.trim());
                    if !label.is_empty() {
                        ind.links.push(' ');
                        ind.links.push_str(&label);
                    }
                }
            }
        }
        indicators.push(ind);
    }
    let journal = sqlx::query(
        "SELECT j.id, j.title, COALESCE(c.title, '') FROM journal_entries j \
         LEFT JOIN competencies c ON c.id = j.competency_id \
         WHERE j.user_id = $1 AND j.deleted_at IS NULL \
         ORDER BY CASE WHEN j.competency_id = $2 THEN 0 ELSE 1 END, j.updated_at DESC",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .context("journal material")?
    .iter()
    .map(|r| {
        Ok(Material {
            id: r.try_get(0)?,
            title: r.try_get(1)?,
            detail: r.try_get(2)?,
        })
    })
    .collect::<anyhow::Result<Vec<_>>>()?;
    let uploads = list_uploads(db, user_id).await?;
    Ok(Some(Workspace {
        framework: framework.to_owned(),
        competency: competency_slug.to_owned(),
        competency_title,
        cohort: cohort.as_ref().map(|c| c.1.clone()),
        status,
        attempt,
        attempts_allowed: cohort.as_ref().map_or(0, |c| c.2) + extra,
        version,
        saved_at,
        editable,
        indicators,
        journal,
        uploads,
        history,
    }))
}

/// A teacher's uploaded files, newest first.
pub async fn list_uploads(db: &Db, user_id: i64) -> anyhow::Result<Vec<Material>> {
    sqlx::query(
        "SELECT u.id, u.file_name, b.media_type, b.size FROM uploads u \
         JOIN upload_blobs b ON b.sha256 = u.sha256 WHERE u.user_id = $1 ORDER BY u.id DESC",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("uploads")?
    .iter()
    .map(|r| {
        let media: String = r.try_get(2)?;
        let size: i64 = r.try_get(3)?;
        let kind = match media.as_str() {
            "application/pdf" => "PDF",
            "image/png" => "PNG image",
            _ => "JPEG image",
        };
        #[allow(clippy::cast_precision_loss)]
        let detail = if size >= 1024 * 1024 {
            format!("{kind}, {:.1} MB", size as f64 / (1024.0 * 1024.0))
        } else {
            format!("{kind}, {} KB", (size + 1023) / 1024)
        };
        Ok(Material {
            id: r.try_get(0)?,
            title: r.try_get(1)?,
            detail,
        })
    })
    .collect()
}

/// Stores an uploaded file (content-addressed: the same bytes are kept once) for a teacher;
/// answers the upload's id.
pub async fn store_upload(
    db: &Db,
    user_id: i64,
    file_name: &str,
    media_type: &str,
    bytes: &[u8],
) -> anyhow::Result<i64> {
    use sha2::Digest as _;
    let sha: String = sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let now = now_ms();
    let mut tx = db.begin_write().await.context("begin")?;
    sqlx::query(
        "INSERT INTO upload_blobs (sha256, media_type, size, bytes, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (sha256) DO NOTHING",
    )
    .bind(&sha)
    .bind(media_type)
    .bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX))
    .bind(bytes)
    .bind(now)
    .execute(&mut *tx)
    .await
    .context("store blob")?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO uploads (user_id, sha256, file_name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(user_id)
    .bind(&sha)
    .bind(file_name)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .context("store upload")?;
    tx.commit().await.context("commit")?;
    Ok(id)
}

/// An upload's bytes for someone allowed to see it: its owner, or an assessor or coordinator
/// of the cohort of a submitted (not draft) submission that offers it (an admin counts as
/// coordinator everywhere). Answers (file name, media type, bytes).
pub async fn read_upload(
    db: &Db,
    viewer: i64,
    viewer_is_admin: bool,
    upload_id: i64,
) -> anyhow::Result<Option<(String, String, Vec<u8>)>> {
    let row = sqlx::query(
        "SELECT u.file_name, b.media_type, b.bytes FROM uploads u JOIN upload_blobs b ON b.sha256 = u.sha256 \
         WHERE u.id = $1 AND (u.user_id = $2 OR EXISTS ( \
             SELECT 1 FROM submission_evidence e JOIN submissions s ON s.id = e.submission_id \
             WHERE e.upload_id = u.id AND s.status <> 'draft' AND s.user_id <> $2 AND ($3 = 1 OR s.cohort_id IN ( \
                 SELECT cohort_id FROM memberships WHERE user_id = $2 AND role IN ('assessor', 'coordinator')))))",
    )
    .bind(upload_id)
    .bind(viewer)
    .bind(i64::from(viewer_is_admin))
    .fetch_optional(db.pool())
    .await
    .context("read upload")?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
        .transpose()
}

/// Per competency id, the status of a teacher's latest attempt (for the dashboard).
pub async fn statuses(db: &Db, user_id: i64) -> anyhow::Result<HashMap<i64, SubmissionStatus>> {
    let rows = sqlx::query(
        "SELECT competency_id, status FROM submissions s WHERE user_id = $1 AND attempt = ( \
         SELECT MAX(attempt) FROM submissions t WHERE t.user_id = s.user_id AND t.competency_id = s.competency_id)",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("statuses")?;
    let mut out = HashMap::new();
    for r in &rows {
        if let Some(s) = SubmissionStatus::parse(&r.try_get::<String, _>(1)?) {
            out.insert(r.try_get(0)?, s);
        }
    }
    Ok(out)
}

/// Opens the next attempt of a teacher on a competency, starting from the content of the
/// attempt `from` (its rationales and evidence). Runs inside the caller's transaction.
pub(crate) async fn open_next_attempt(
    tx: &mut Transaction<'static, Any>,
    from: i64,
    now: i64,
) -> anyhow::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO submissions (user_id, cohort_id, competency_id, attempt, status, version, created_at, updated_at) \
         SELECT user_id, cohort_id, competency_id, attempt + 1, 'draft', 1, $2, $2 FROM submissions WHERE id = $1 \
         RETURNING id",
    )
    .bind(from)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .context("open next attempt")?;
    sqlx::query(
        "INSERT INTO submission_rationales (submission_id, indicator_id, rationale) \
         SELECT $2, indicator_id, rationale FROM submission_rationales WHERE submission_id = $1",
    )
    .bind(from)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("copy rationales")?;
    sqlx::query(
        "INSERT INTO submission_evidence (submission_id, indicator_id, kind, journal_entry_id, upload_id, url, label) \
         SELECT $2, indicator_id, kind, journal_entry_id, upload_id, url, label FROM submission_evidence \
         WHERE submission_id = $1 ORDER BY id",
    )
    .bind(from)
    .bind(id)
    .execute(&mut **tx)
    .await
    .context("copy evidence")?;
    Ok(id)
}

/// Whether a teacher has an attempt left on a competency after `used` attempts.
pub(crate) async fn has_attempt_left(
    tx: &mut Transaction<'static, Any>,
    user_id: i64,
    competency_id: i64,
    cohort_id: i64,
    used: i64,
) -> anyhow::Result<bool> {
    let max: i64 = sqlx::query_scalar("SELECT max_attempts FROM cohorts WHERE id = $1")
        .bind(cohort_id)
        .fetch_one(&mut **tx)
        .await
        .context("max attempts")?;
    let extra = extra_attempts(&mut **tx, user_id, competency_id).await?;
    Ok(used < max + extra)
}
