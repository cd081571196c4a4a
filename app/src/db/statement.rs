//! The teacher's Learning Statement: their texts and choices, with what the service knows
//! (competency statuses, growth chart, credentials).

use super::{now_ms, Db};
use crate::credentials::issuer::Issuer;
use crate::domain::statement::{
    parse_included, programme_text, store_included, CompetencyLine, CredentialLine,
    LearningStatement, Part,
};
use crate::domain::time::utc_date;
use anyhow::Context as _;

/// A competency's domain title.
#[derive(sqlx::FromRow)]
struct DomainOf {
    slug: String,
    domain: String,
}

/// The teacher's stored statement.
#[derive(sqlx::FromRow)]
struct StatementRow {
    objectives: String,
    changes: String,
    activities: String,
    technical_skills: String,
    social_skills: String,
    tasks: String,
    included: String,
    updated_at: i64,
}

/// The written parts, in the order of their columns (and of [`StatementRow`]'s fields).
const WRITTEN: [Part; 6] = [
    Part::Objectives,
    Part::Changes,
    Part::Activities,
    Part::TechnicalSkills,
    Part::SocialSkills,
    Part::Tasks,
];

/// The teacher's statement (`None` when no framework is loaded).
pub async fn load(
    db: &Db,
    issuer: &Issuer,
    user_id: i64,
) -> anyhow::Result<Option<LearningStatement>> {
    let Some(dashboard) = super::dashboard::load(db, user_id).await? else {
        return Ok(None);
    };
    let holder: String = sqlx::query_scalar("SELECT name FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(db.pool())
        .await
        .context("holder")?;
    let attribution: String =
        sqlx::query_scalar("SELECT attribution FROM frameworks WHERE slug = $1")
            .bind(&dashboard.framework_slug)
            .fetch_one(db.pool())
            .await
            .context("framework")?;
    let domains: Vec<DomainOf> = sqlx::query_as(
        "SELECT c.slug, d.title AS domain FROM competencies c JOIN domains d ON d.id = c.domain_id \
         JOIN frameworks f ON f.id = c.framework_id WHERE f.slug = $1",
    )
    .bind(&dashboard.framework_slug)
    .fetch_all(db.pool())
    .await
    .context("domains")?;
    let domain_of = |slug: &str| -> String {
        domains
            .iter()
            .find(|r| r.slug == slug)
            .map(|r| r.domain.clone())
            .unwrap_or_default()
    };
    let competencies = dashboard
        .evidence
        .iter()
        .map(|e| CompetencyLine {
            domain: domain_of(&e.slug),
            title: e.title.clone(),
            status: e
                .status
                .map_or(crate::t!(assessment.not_started), |s| s.label())
                .to_owned(),
        })
        .collect();
    let credentials = super::credential::mine(db, issuer, user_id)
        .await?
        .into_iter()
        .map(|c| CredentialLine {
            url: super::credential::credential_url(&issuer.base_url, &c.public_id),
            name: c.name,
            issued: c.issued,
            revoked: c.revoked.is_some(),
        })
        .collect();
    let row: Option<StatementRow> = sqlx::query_as(
        "SELECT objectives, changes, activities, technical_skills, social_skills, tasks, included, updated_at \
         FROM learning_statements WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(db.pool())
    .await
    .context("statement")?;
    let mut texts = Vec::new();
    let (included, saved) = match row {
        Some(r) => {
            let written = [
                r.objectives,
                r.changes,
                r.activities,
                r.technical_skills,
                r.social_skills,
                r.tasks,
            ];
            for (part, text) in WRITTEN.iter().zip(written) {
                texts.push((part.key().to_owned(), text));
            }
            (
                parse_included(Some(&r.included)),
                Some(utc_date(r.updated_at)),
            )
        }
        None => (parse_included(None), None),
    };
    Ok(Some(LearningStatement {
        holder,
        programme: programme_text(&dashboard.framework_title),
        framework: dashboard.framework_title,
        attribution,
        texts,
        included,
        competencies,
        growth: dashboard.growth,
        credentials,
        saved,
        as_of: utc_date(now_ms()),
        record: super::credential::latest_record(db, user_id).await?,
    }))
}

/// Saves the teacher's texts (by part) and the parts they include.
pub async fn save(
    db: &Db,
    user_id: i64,
    texts: &[(Part, String)],
    included: &[Part],
) -> anyhow::Result<()> {
    let text = |p: Part| {
        texts
            .iter()
            .find(|(q, _)| *q == p)
            .map_or(String::new(), |(_, t)| t.clone())
    };
    sqlx::query(
        "INSERT INTO learning_statements (user_id, objectives, changes, activities, technical_skills, \
         social_skills, tasks, included, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (user_id) DO UPDATE SET objectives = excluded.objectives, changes = excluded.changes, \
         activities = excluded.activities, technical_skills = excluded.technical_skills, \
         social_skills = excluded.social_skills, tasks = excluded.tasks, included = excluded.included, \
         updated_at = excluded.updated_at",
    )
    .bind(user_id)
    .bind(text(Part::Objectives))
    .bind(text(Part::Changes))
    .bind(text(Part::Activities))
    .bind(text(Part::TechnicalSkills))
    .bind(text(Part::SocialSkills))
    .bind(text(Part::Tasks))
    .bind(store_included(included))
    .bind(now_ms())
    .execute(db.writer())
    .await
    .context("save statement")?;
    Ok(())
}

/// The statement as a file the teacher can keep: only the parts they chose.
pub fn export(s: &LearningStatement, generated_ms: i64) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let mut parts = Map::new();
    for part in &s.included {
        let value = match part {
            Part::Programme => json!({
                "framework": s.framework,
                "description": s.programme,
                "attribution": s.attribution,
            }),
            Part::Competencies => json!(s
                .competencies
                .iter()
                .map(|c| json!({ "domain": c.domain, "competency": c.title, "status": c.status }))
                .collect::<Vec<_>>()),
            Part::Growth => json!(s
                .growth
                .iter()
                .map(|g| json!({
                    "competency": g.title,
                    "baseline": g.baseline.map(|v| f64::from(v) / 100.0),
                    "now": g.current.map(|v| f64::from(v) / 100.0),
                    "scale": "1 = Not yet, 2 = Emerging, 3 = Developing, 4 = Demonstrating",
                    "indicatorsRated": g.rated,
                    "indicators": g.total,
                }))
                .collect::<Vec<_>>()),
            Part::Credentials => json!(s
                .credentials
                .iter()
                .map(|c| json!({ "name": c.name, "issued": c.issued, "verify": c.url, "revoked": c.revoked }))
                .collect::<Vec<_>>()),
            written => Value::String(s.text(*written).to_owned()),
        };
        parts.insert(part.key().to_owned(), value);
    }
    json!({
        "type": "LearningStatement",
        "version": 1,
        "holder": s.holder,
        "generated": crate::domain::time::xsd_date_time(generated_ms),
        "parts": parts,
    })
}
