//! The snapshot frozen at submit (what the assessor reads), and the preview of it.

use super::*;

/// An indicator with the draft's rationale for it.
#[derive(sqlx::FromRow)]
struct RationaleRow {
    id: i64,
    slug: String,
    text: String,
    rationale: String,
}

/// One piece of offered evidence with the texts it shows, as they are now.
#[derive(sqlx::FromRow)]
struct EvidenceRow {
    indicator_id: Option<i64>,
    kind: EvidenceKind,
    url: Option<String>,
    label: Option<String>,
    journal_title: Option<String>,
    journal_body: Option<String>,
    upload_id: Option<i64>,
    file_name: Option<String>,
    media_type: Option<String>,
    level: Option<Level>,
    note: Option<String>,
    evidence_url: Option<String>,
}

/// A competency's slug and title.
#[derive(sqlx::FromRow)]
struct CompetencyHead {
    slug: String,
    title: String,
}

/// What the assessor will see: the draft with the texts of what it offers as they are now.
pub(super) async fn build_snapshot(
    tx: &mut Transaction<'static, Any>,
    submission_id: SubmissionId,
    user_id: UserId,
    competency_id: CompetencyId,
) -> anyhow::Result<Snapshot> {
    let head: CompetencyHead = sqlx::query_as("SELECT slug, title FROM competencies WHERE id = $1")
        .bind(competency_id)
        .fetch_one(&mut **tx)
        .await
        .context("competency")?;
    let rows: Vec<RationaleRow> = sqlx::query_as(
        "SELECT i.id, i.slug, i.text, COALESCE(r.rationale, '') AS rationale FROM indicators i \
         LEFT JOIN submission_rationales r ON r.indicator_id = i.id AND r.submission_id = $1 \
         WHERE i.competency_id = $2 AND i.retired_at IS NULL ORDER BY i.position",
    )
    .bind(submission_id)
    .bind(competency_id)
    .fetch_all(&mut **tx)
    .await
    .context("rationales")?;
    let evidence: Vec<EvidenceRow> = sqlx::query_as(
        "SELECT e.indicator_id, e.kind, e.url, e.label, j.title AS journal_title, \
         j.body AS journal_body, up.id AS upload_id, up.file_name, b.media_type, sr.level, sr.note, \
         sr.evidence_url \
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
    for r in evidence {
        let kind = r.kind.as_str().to_owned();
        let item = match r.kind {
            EvidenceKind::Journal => {
                let Some(title) = r.journal_title else {
                    continue; // moved to the bin since it was chosen
                };
                EvidenceItem {
                    kind,
                    title,
                    text: r.journal_body.unwrap_or_default(),
                    url: String::new(),
                    upload_id: None,
                    media_type: String::new(),
                    html: String::new(),
                }
            }
            EvidenceKind::Upload => EvidenceItem {
                kind,
                title: r.file_name.unwrap_or_default(),
                text: String::new(),
                url: String::new(),
                upload_id: r.upload_id,
                media_type: r.media_type.unwrap_or_default(),
                html: String::new(),
            },
            EvidenceKind::Rating => {
                let Some(level) = r.level else {
                    continue; // no checklist rating to show
                };
                EvidenceItem {
                    kind,
                    title: format!("Checklist: {}", level.label()),
                    text: r.note.unwrap_or_default(),
                    url: r.evidence_url.unwrap_or_default(),
                    upload_id: None,
                    media_type: String::new(),
                    html: String::new(),
                }
            }
            EvidenceKind::Link => {
                let url = r.url.context("a link offered without its URL")?;
                let label = r.label.context("a link offered without its label")?;
                EvidenceItem {
                    kind,
                    title: if label.is_empty() { url.clone() } else { label },
                    text: String::new(),
                    url,
                    upload_id: None,
                    media_type: String::new(),
                    html: String::new(),
                }
            }
        };
        by_indicator
            .entry(r.indicator_id.unwrap_or(0))
            .or_default()
            .push(item);
    }
    let indicators = rows
        .into_iter()
        .map(|r| SnapshotIndicator {
            evidence: by_indicator.remove(&r.id).unwrap_or_default(),
            slug: r.slug,
            text: r.text,
            rationale: r.rationale,
        })
        .collect();
    Ok(Snapshot {
        competency_slug: head.slug,
        competency_title: head.title,
        indicators,
        general: by_indicator.remove(&0).unwrap_or_default(),
    })
}

/// The snapshot the latest draft would freeze now (the preview); `None` without a draft.
#[tracing::instrument(skip(db))]
pub async fn preview(
    db: &Db,
    user_id: UserId,
    competency_id: CompetencyId,
) -> anyhow::Result<Option<Snapshot>> {
    // A read, but inside a transaction so every row comes from one moment.
    let mut tx = db.pool().begin().await.context("begin reading a preview")?;
    let Some(latest) = latest(&mut tx, user_id, competency_id).await? else {
        return Ok(None);
    };
    let snapshot = if latest.status == SubmissionStatus::Draft {
        build_snapshot(&mut tx, latest.id, user_id, competency_id).await?
    } else {
        let json: Option<String> =
            sqlx::query_scalar("SELECT snapshot FROM submissions WHERE id = $1")
                .bind(latest.id)
                .fetch_one(&mut *tx)
                .await
                .context("snapshot")?;
        match json {
            Some(j) => serde_json::from_str(&j).context("stored snapshot")?,
            None => return Ok(None),
        }
    };
    tx.commit().await.context("end the preview's read")?;
    let mut snapshot: Snapshot = snapshot;
    snapshot.render_journal();
    Ok(Some(snapshot))
}
