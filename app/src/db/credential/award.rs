//! Awarding badges when competencies are judged Competent (in the decision's transaction).

use super::*;

/// A teacher's latest Competent attempt on a competency, and whose marking decided it.
#[derive(sqlx::FromRow)]
struct CompetentRow {
    id: i64,
    attempt: i64,
    submitted_at: Option<i64>,
    decided_at: Option<i64>,
    snapshot: Option<String>,
    marking: Marking,
}

/// One indicator's level in the deciding review.
#[derive(sqlx::FromRow)]
struct LevelRow {
    slug: String,
    level: RubricLevel,
}

/// The deciding review's ratings (indicator slug → level) and a description of the evidence
/// of the teacher's Competent submission for a competency, if there is one.
pub(super) async fn competent_submission(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    competency_id: i64,
    title: &str,
) -> anyhow::Result<Option<(Vec<(String, RubricLevel)>, EvidenceDef)>> {
    let row: Option<CompetentRow> = sqlx::query_as(
        "SELECT s.id, s.attempt, s.submitted_at, s.decided_at, s.snapshot, \
         CASE WHEN m.resolution = 'second' THEN 'second' ELSE 'first' END AS marking \
         FROM submissions s LEFT JOIN moderations m ON m.submission_id = s.id \
         WHERE s.user_id = $1 AND s.competency_id = $2 AND s.status = 'competent' \
         ORDER BY s.attempt DESC LIMIT 1",
    )
    .bind(user_id)
    .bind(competency_id)
    .fetch_optional(&mut **tx)
    .await
    .context("competent submission")?;
    let Some(r) = row else { return Ok(None) };
    let levels: Vec<LevelRow> = sqlx::query_as(
        "SELECT i.slug, rr.level FROM reviews rv JOIN review_ratings rr ON rr.review_id = rv.id \
         JOIN indicators i ON i.id = rr.indicator_id \
         WHERE rv.submission_id = $1 AND rv.kind = $2 ORDER BY i.position",
    )
    .bind(r.id)
    .bind(r.marking)
    .fetch_all(&mut **tx)
    .await
    .context("ratings")?;
    let levels = levels.into_iter().map(|l| (l.slug, l.level)).collect();
    let snapshot: Option<Snapshot> = r.snapshot.and_then(|s| serde_json::from_str(&s).ok());
    let description =
        evidence_description(snapshot.as_ref(), r.attempt, r.submitted_at, r.decided_at);
    Ok(Some((
        levels,
        EvidenceDef {
            name: format!("Assessed evidence for {title}"),
            description,
        },
    )))
}

/// What was assessed, in counts only: no text, file or link leaves the service.
pub(super) fn evidence_description(
    snapshot: Option<&Snapshot>,
    attempt: i64,
    submitted: Option<i64>,
    decided: Option<i64>,
) -> String {
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    let mut rationales = 0;
    if let Some(s) = snapshot {
        rationales = s
            .indicators
            .iter()
            .filter(|i| !i.rationale.trim().is_empty())
            .count();
        // Each item once, however many indicators it was offered for (issue 15: one entry
        // picked for two indicators is one entry).
        let mut seen = std::collections::HashSet::new();
        for e in s
            .indicators
            .iter()
            .flat_map(|i| &i.evidence)
            .chain(&s.general)
        {
            if seen.insert(crate::domain::changes::identity(e)) {
                *counts.entry(e.kind.as_str()).or_default() += 1;
            }
        }
    }
    let noun = |kind: &str, n: usize| -> String {
        let (one, many) = match kind {
            "journal" => ("reflection journal entry", "reflection journal entries"),
            "rating" => (
                "checklist self-rating with notes",
                "checklist self-ratings with notes",
            ),
            "upload" => ("document", "documents"),
            "link" => ("link to practice", "links to practice"),
            _ => ("other item", "other items"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let items: Vec<String> = counts.iter().map(|(k, n)| noun(k, *n)).collect();
    let when = match (submitted, decided) {
        (Some(s), Some(d)) => format!(
            ", submitted {} and judged Competent {}",
            utc_date(s),
            utc_date(d)
        ),
        _ => String::new(),
    };
    format!(
        "Attempt {attempt}{when}: a written rationale for {rationales} indicator{} supported by {}. The evidence itself stays private to the holder and the assessors.",
        if rationales == 1 { "" } else { "s" },
        if items.is_empty() { "no further items".to_owned() } else { items.join(", ") }
    )
}

/// A free random slot in the status list.
pub(super) async fn free_status_index(tx: &mut Transaction<'static, Any>) -> anyhow::Result<i64> {
    for _ in 0..64 {
        let candidate = i64::from(rand::Rng::random_range(
            &mut rand::rng(),
            0..u32::try_from(LIST_BITS).unwrap_or(u32::MAX),
        ));
        let taken: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM credentials WHERE status_list = $1 AND status_index = $2",
        )
        .bind(STATUS_LIST)
        .bind(candidate)
        .fetch_optional(&mut **tx)
        .await
        .context("status slot")?;
        if taken.is_none() {
            return Ok(candidate);
        }
    }
    anyhow::bail!("the status list is full")
}

pub(super) fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::Rng::fill(&mut rand::rng(), &mut b[..]);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Issues one credential in the caller's transaction; answers its public id.
#[allow(clippy::too_many_arguments)]
pub(super) async fn issue(
    tx: &mut Transaction<'static, Any>,
    issuer: &Issuer,
    user_id: UserId,
    fc: &FrameworkCredential,
    key: &str,
    def: &AchievementDef,
    results: Vec<(String, RubricLevel)>,
    evidence: Vec<EvidenceDef>,
    now: i64,
) -> anyhow::Result<String> {
    let email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await
        .context("holder")?;
    let public_id = random_hex(16);
    let index = free_status_index(tx).await?;
    let list_url = status_list_url(&issuer.base_url, STATUS_LIST);
    let award = AwardDef {
        id: credential_url(&issuer.base_url, &public_id),
        valid_from: xsd_date_time(now),
        valid_until: None,
        email,
        salt: random_hex(16),
        results,
        evidence,
        status: status::list_entry(&list_url, index),
    };
    let unsigned = ob3::credential(issuer, def, &award);
    let signed = sign_document(issuer, &unsigned, now)?;
    let achievement = if key == WHOLE {
        WHOLE.to_owned()
    } else {
        format!("domain:{key}")
    };
    sqlx::query(
        "INSERT INTO credentials (public_id, user_id, framework_id, achievement, status_list, status_index, \
         key_id, document, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&public_id)
    .bind(user_id)
    .bind(fc.id)
    .bind(&achievement)
    .bind(STATUS_LIST)
    .bind(index)
    .bind(issuer.key_id)
    .bind(signed.to_string())
    .bind(now)
    .execute(&mut **tx)
    .await
    .context("store credential")?;
    audit::record_in(
        tx,
        None,
        "credential.issue",
        &format!("credential:{public_id}"),
        &json!({ "user": user_id.get(), "achievement": achievement, "framework": fc.slug })
            .to_string(),
    )
    .await?;
    Ok(public_id)
}

pub(super) async fn holds(
    tx: &mut Transaction<'static, Any>,
    user_id: UserId,
    framework_id: i64,
    achievement: &str,
) -> anyhow::Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM credentials WHERE user_id = $1 AND framework_id = $2 AND achievement = $3 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .bind(framework_id)
    .bind(achievement)
    .fetch_optional(&mut **tx)
    .await
    .context("held")?;
    Ok(found.is_some())
}

/// After a competency of `user_id` was judged Competent (in the caller's transaction, before it
/// commits): issues the domain's badge when every competency of the domain is Competent, then
/// the whole micro-credential when every domain's badge is held. Never issues a live
/// credential twice. Answers the public ids issued.
pub async fn award_in(
    tx: &mut Transaction<'static, Any>,
    issuer: &Issuer,
    user_id: UserId,
    competency_id: CompetencyId,
) -> anyhow::Result<Vec<String>> {
    // Serializes awards for one teacher: two decisions committing at once on PostgreSQL would
    // otherwise each miss the other's Competent.
    crate::db::hold(tx, crate::db::Held::User, user_id.get()).await?;
    let place: CompetencyPlace =
        sqlx::query_as("SELECT framework_id, domain_id FROM competencies WHERE id = $1")
            .bind(competency_id)
            .fetch_one(&mut **tx)
            .await
            .with_context(|| format!("competency {competency_id}"))?;
    let (framework_id, domain_id) = (place.framework_id, place.domain_id);
    let Some(fc) = framework_credential(tx, framework_id).await? else {
        return Ok(Vec::new());
    };
    let all = domains(tx, framework_id).await?;
    let now = now_ms();
    let mut issued = Vec::new();
    let mut whole_results = Vec::new();
    let mut whole_evidence = Vec::new();
    let mut every_domain_held = true;
    for d in &all {
        let mut results = Vec::new();
        let mut evidence = Vec::new();
        let mut complete = true;
        for c in competencies(tx, framework_id, Some(d.id)).await? {
            match competent_submission(tx, user_id, c.id, &c.title).await? {
                Some((levels, e)) => {
                    results.extend(levels);
                    evidence.push(e);
                }
                None => complete = false,
            }
        }
        let key = format!("domain:{}", d.slug);
        let held = holds(tx, user_id, framework_id, &key).await?;
        if complete && !held && d.id == domain_id {
            let (k, def) = achievement_def(tx, &issuer.base_url, &fc, Some(d)).await?;
            issued.push(
                issue(
                    tx,
                    issuer,
                    user_id,
                    &fc,
                    &k,
                    &def,
                    results.clone(),
                    evidence.clone(),
                    now,
                )
                .await?,
            );
        } else if !held {
            every_domain_held = false;
        }
        whole_results.extend(results);
        whole_evidence.extend(evidence);
    }
    if every_domain_held && !all.is_empty() && !holds(tx, user_id, framework_id, WHOLE).await? {
        let (k, def) = achievement_def(tx, &issuer.base_url, &fc, None).await?;
        issued.push(
            issue(
                tx,
                issuer,
                user_id,
                &fc,
                &k,
                &def,
                whole_results,
                whole_evidence,
                now,
            )
            .await?,
        );
    }
    Ok(issued)
}

/// Where a competency sits.
#[derive(sqlx::FromRow)]
struct CompetencyPlace {
    framework_id: i64,
    domain_id: i64,
}

#[cfg(test)]
mod tests {
    use super::evidence_description;
    use crate::domain::assessment::{EvidenceItem, Snapshot, SnapshotIndicator};

    fn entry(title: &str) -> EvidenceItem {
        EvidenceItem {
            kind: "journal".into(),
            title: title.into(),
            text: "text".into(),
            url: String::new(),
            upload_id: None,
            media_type: String::new(),
            html: String::new(),
        }
    }

    /// Items counted once each, whatever the number of indicators they support.
    #[test]
    fn an_item_offered_for_several_indicators_counts_once() {
        let cases: [(&[&[&str]], &str); 4] = [
            (&[&["A"], &["A"]], "1 reflection journal entry."),
            (&[&["A"], &["B"]], "2 reflection journal entries."),
            (
                &[&["A", "B"], &["B", "C"], &["A"]],
                "3 reflection journal entries.",
            ),
            (&[&[], &[]], "no further items."),
        ];
        for (indicators, expected) in cases {
            let snapshot = Snapshot {
                competency_slug: "c".into(),
                competency_title: "C".into(),
                indicators: indicators
                    .iter()
                    .enumerate()
                    .map(|(n, titles)| SnapshotIndicator {
                        slug: format!("i{n}"),
                        text: format!("I{n}"),
                        rationale: "because".into(),
                        evidence: titles.iter().map(|t| entry(t)).collect(),
                    })
                    .collect(),
                general: Vec::new(),
            };
            let text = evidence_description(Some(&snapshot), 1, None, None);
            assert!(
                text.contains(&format!("supported by {expected}")),
                "{indicators:?}: {text}"
            );
        }
    }
}
