//! The evidence page's data: the draft, what may be offered, earlier attempts and their decisions.

use super::*;

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
