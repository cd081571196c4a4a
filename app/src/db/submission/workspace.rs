//! The evidence page's data: the draft, what may be offered, earlier attempts and their decisions.

use super::*;

/// A review as a decision shows it.
#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: i64,
    decision: Verdict,
    feedback: String,
    improve: String,
    created_at: i64,
    assessor_name: String,
}

/// One rubric rating of a review.
#[derive(sqlx::FromRow)]
struct RatingRow {
    slug: String,
    text: String,
    level: RubricLevel,
    comment: String,
}

/// The decision that stands on a submission: the first review, unless moderation resolved in
/// favour of the second (`marking` given: that marking's review). `with_assessor`: include the
/// assessor's name.
pub(crate) async fn decision_of(
    db: &Db,
    submission_id: SubmissionId,
    marking: Option<Marking>,
    with_assessor: bool,
) -> anyhow::Result<Option<Decision>> {
    let marking = match marking {
        Some(m) => m,
        None => sqlx::query_scalar::<_, Option<Marking>>(
            "SELECT resolution FROM moderations WHERE submission_id = $1",
        )
        .bind(submission_id)
        .fetch_optional(db.pool())
        .await
        .context("moderation")?
        .flatten()
        .unwrap_or(Marking::First),
    };
    let review: Option<ReviewRow> = sqlx::query_as(
        "SELECT r.id, r.decision, r.feedback, r.improve, r.created_at, u.name AS assessor_name \
         FROM reviews r JOIN users u ON u.id = r.assessor_id WHERE r.submission_id = $1 AND r.kind = $2",
    )
    .bind(submission_id)
    .bind(marking)
    .fetch_optional(db.pool())
    .await
    .with_context(|| format!("the {} review of submission {submission_id}", marking.as_str()))?;
    let Some(review) = review else {
        return Ok(None);
    };
    let ratings: Vec<RatingRow> = sqlx::query_as(
        "SELECT i.slug, i.text, rr.level, rr.comment FROM review_ratings rr \
         JOIN indicators i ON i.id = rr.indicator_id WHERE rr.review_id = $1 ORDER BY i.position",
    )
    .bind(review.id)
    .fetch_all(db.pool())
    .await
    .context("review ratings")?;
    Ok(Some(Decision {
        competent: review.decision.is_competent(),
        feedback: review.feedback,
        improve: review.improve,
        ratings: ratings
            .into_iter()
            .map(|r| RatedIndicator {
                slug: r.slug,
                text: r.text,
                level: r.level,
                comment: r.comment,
            })
            .collect(),
        decided_at: review.created_at,
        assessor: with_assessor.then_some(review.assessor_name),
    }))
}

/// One attempt as the evidence page lists it.
#[derive(sqlx::FromRow)]
struct AttemptRow {
    id: SubmissionId,
    attempt: i64,
    status: SubmissionStatus,
    version: i64,
    updated_at: i64,
    submitted_at: Option<i64>,
    decided_at: Option<i64>,
    decision_seen_at: Option<i64>,
}

/// An indicator with the latest attempt's rationale and the checklist's current rating.
#[derive(sqlx::FromRow)]
struct DraftIndicatorRow {
    id: i64,
    slug: String,
    text: String,
    rationale: String,
    level: Option<Level>,
    note: Option<String>,
    evidence_url: Option<String>,
}

/// One piece of evidence the latest attempt offers.
#[derive(sqlx::FromRow)]
struct OfferedRow {
    indicator_id: Option<i64>,
    kind: EvidenceKind,
    journal_entry_id: Option<i64>,
    upload_id: Option<i64>,
    url: Option<String>,
    label: Option<String>,
}

/// A journal entry that may be offered.
#[derive(sqlx::FromRow)]
struct JournalRow {
    id: i64,
    title: String,
    competency_title: String,
}

/// The teacher's workspace for a competency; `None` when there is no such competency.
/// Opening it marks the decisions on it as seen.
#[tracing::instrument(skip(db))]
pub async fn workspace(
    db: &Db,
    user_id: UserId,
    framework: &str,
    competency_slug: &str,
) -> anyhow::Result<Option<Workspace>> {
    let Some(competency) = competency(db, framework, competency_slug).await? else {
        return Ok(None);
    };
    let competency_id = competency.id;
    let cohort = teacher_cohort(db.pool(), user_id, competency.framework_id).await?;
    let extra = extra_attempts(db.pool(), user_id, competency_id).await?;
    let attempts: Vec<AttemptRow> = sqlx::query_as(
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
        unseen |= r.decided_at.is_some() && r.decision_seen_at.is_none();
        let decision = if r.decided_at.is_some() {
            decision_of(db, r.id, None, false).await?
        } else {
            None
        };
        history.push(AttemptRecord {
            attempt: r.attempt,
            status: r.status,
            submitted_at: r.submitted_at,
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
    let latest_id = latest.map(|r| r.id);
    let (attempt, version, saved_at) =
        latest.map_or((0, 0, None), |r| (r.attempt, r.version, Some(r.updated_at)));
    let status = latest.map(|r| r.status);
    let editable = cohort.is_some() && matches!(status, None | Some(SubmissionStatus::Draft));
    // The indicators with the latest attempt's content and the checklist's current notes.
    let rows: Vec<DraftIndicatorRow> = sqlx::query_as(
        "SELECT i.id, i.slug, i.text, COALESCE(r.rationale, '') AS rationale, sr.level, sr.note, \
         sr.evidence_url \
         FROM indicators i \
         LEFT JOIN submission_rationales r ON r.indicator_id = i.id AND r.submission_id = $1 \
         LEFT JOIN self_ratings sr ON sr.indicator_id = i.id AND sr.user_id = $3 AND sr.phase = 'current' \
         WHERE i.competency_id = $2 AND i.retired_at IS NULL ORDER BY i.position",
    )
    .bind(latest_id.map_or(0, SubmissionId::get))
    .bind(competency_id)
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("draft indicators")?;
    let evidence: Vec<OfferedRow> = sqlx::query_as(
        "SELECT indicator_id, kind, journal_entry_id, upload_id, url, label FROM submission_evidence \
         WHERE submission_id = $1 ORDER BY id",
    )
    .bind(latest_id.map_or(0, SubmissionId::get))
    .fetch_all(db.pool())
    .await
    .context("draft evidence")?;
    let mut indicators = Vec::new();
    for r in rows {
        let checklist_text = r.level.map(|l| {
            let mut s = l.label().to_owned();
            for extra in [
                r.note.unwrap_or_default(),
                r.evidence_url.unwrap_or_default(),
            ] {
                if !extra.is_empty() {
                    s.push_str(" — ");
                    s.push_str(&extra);
                }
            }
            s
        });
        let mut ind = DraftIndicator {
            slug: r.slug,
            text: r.text,
            rationale: r.rationale,
            journal: Vec::new(),
            uploads: Vec::new(),
            checklist: false,
            checklist_text,
            links: String::new(),
        };
        for e in evidence.iter().filter(|e| e.indicator_id == Some(r.id)) {
            match e.kind {
                EvidenceKind::Journal => ind.journal.extend(e.journal_entry_id),
                EvidenceKind::Upload => ind.uploads.extend(e.upload_id),
                EvidenceKind::Rating => ind.checklist = true,
                EvidenceKind::Link => {
                    let url = e.url.as_deref().context("a link offered without its URL")?;
                    let label = e
                        .label
                        .as_deref()
                        .context("a link offered without its label")?;
                    if !ind.links.is_empty() {
                        ind.links.push('\n');
                    }
                    ind.links.push_str(url.trim());
                    if !label.is_empty() {
                        ind.links.push(' ');
                        ind.links.push_str(label);
                    }
                }
            }
        }
        indicators.push(ind);
    }
    let journal: Vec<JournalRow> = sqlx::query_as(
        "SELECT j.id, j.title, COALESCE(c.title, '') AS competency_title FROM journal_entries j \
         LEFT JOIN competencies c ON c.id = j.competency_id \
         WHERE j.user_id = $1 AND j.deleted_at IS NULL \
         ORDER BY CASE WHEN j.competency_id = $2 THEN 0 ELSE 1 END, j.updated_at DESC",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_all(db.pool())
    .await
    .context("journal material")?;
    let uploads = list_uploads(db, user_id).await?;
    // The badge of this competency's domain, once earned: "Competent" leads to it (issue 15).
    let badge: Option<String> = sqlx::query_scalar(
        "SELECT cr.public_id FROM credentials cr \
         JOIN competencies c ON c.id = $2 \
         JOIN domains d ON d.id = c.domain_id \
         WHERE cr.user_id = $1 AND cr.framework_id = c.framework_id \
           AND cr.achievement = 'domain:' || d.slug AND cr.revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_optional(db.pool())
    .await
    .context("the domain's badge")?;
    Ok(Some(Workspace {
        framework: framework.to_owned(),
        competency: competency_slug.to_owned(),
        competency_title: competency.title,
        cohort: cohort.as_ref().map(|c| c.name.clone()),
        status,
        attempt,
        attempts_allowed: cohort.as_ref().map_or(0, |c| c.max_attempts) + extra,
        version,
        saved_at,
        editable,
        indicators,
        journal: journal
            .into_iter()
            .map(|j| Material {
                id: j.id,
                title: j.title,
                detail: j.competency_title,
            })
            .collect(),
        badge,
        uploads,
        history,
    }))
}
