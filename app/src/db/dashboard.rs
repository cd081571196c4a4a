//! Loads what the dashboard is built from. The framework's structure (domains, competencies,
//! units, indicators) is course content: it changes only when content is imported, so it is
//! read once per framework and kept beside the pool (cleared by every import). What is the
//! teacher's own comes in one query per request.

use super::Db;
use crate::domain::assessment::SubmissionStatus;
use crate::domain::dashboard::{self, CompetencyIn, Dashboard, IndicatorIn, UnitIn};
use crate::domain::rating::Level;
use anyhow::Context as _;
use sqlx::Row as _;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A framework as the dashboard needs it, with database ids to match the teacher's rows.
#[derive(Debug)]
pub(crate) struct Structure {
    slug: String,
    title: String,
    competencies: Vec<CompetencyIn>,
    units: Vec<(i64, UnitIn)>,
    indicators: Vec<(i64, IndicatorIn)>,
}

/// Structures by framework id, and the default framework's id.
type Cached = (HashMap<i64, Arc<Structure>>, Option<i64>);

/// What is kept: shared by every clone of a [`Db`].
#[derive(Clone, Debug, Default)]
pub(crate) struct StructureCache {
    inner: Arc<Mutex<Cached>>,
}

impl StructureCache {
    /// Forgets everything (content was imported).
    pub(crate) fn clear(&self) {
        if let Ok(mut g) = self.inner.lock() {
            *g = (HashMap::new(), None);
        }
    }

    fn get(&self, id: i64) -> Option<Arc<Structure>> {
        self.inner.lock().ok()?.0.get(&id).cloned()
    }

    fn put(&self, id: i64, s: Arc<Structure>) {
        if let Ok(mut g) = self.inner.lock() {
            g.0.insert(id, s);
        }
    }

    fn default_id(&self) -> Option<i64> {
        self.inner.lock().ok()?.1
    }

    fn set_default_id(&self, id: i64) {
        if let Ok(mut g) = self.inner.lock() {
            g.1 = Some(id);
        }
    }
}

async fn default_framework(db: &Db) -> anyhow::Result<Option<i64>> {
    if let Some(id) = db.structures.default_id() {
        return Ok(Some(id));
    }
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM frameworks WHERE retired_at IS NULL ORDER BY is_default DESC, id LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await
    .context("default framework")?;
    if let Some(id) = id {
        db.structures.set_default_id(id);
    }
    Ok(id)
}

async fn structure(db: &Db, framework_id: i64) -> anyhow::Result<Option<Arc<Structure>>> {
    if let Some(s) = db.structures.get(framework_id) {
        return Ok(Some(s));
    }
    let Some(head) = sqlx::query("SELECT slug, title FROM frameworks WHERE id = $1")
        .bind(framework_id)
        .fetch_optional(db.pool())
        .await
        .context("framework")?
    else {
        return Ok(None);
    };
    let competencies = sqlx::query(
        "SELECT c.id, c.slug, c.title, d.slug, d.title FROM competencies c \
         JOIN domains d ON d.id = c.domain_id \
         WHERE c.framework_id = $1 AND c.retired_at IS NULL \
         ORDER BY d.position, c.position",
    )
    .bind(framework_id)
    .fetch_all(db.pool())
    .await
    .context("competencies")?
    .iter()
    .map(|r| {
        Ok(CompetencyIn {
            id: r.try_get(0)?,
            slug: r.try_get(1)?,
            title: r.try_get(2)?,
            domain_slug: r.try_get(3)?,
            domain_title: r.try_get(4)?,
            evidence: None,
            new_decision: None,
            badge: None,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let units = sqlx::query(
        "SELECT u.id, u.competency_id, u.slug, u.title, u.minutes, u.indicators \
         FROM units u JOIN competencies c ON c.id = u.competency_id JOIN domains d ON d.id = c.domain_id \
         WHERE u.framework_id = $1 AND u.retired_at IS NULL \
         ORDER BY d.position, c.position, u.position",
    )
    .bind(framework_id)
    .fetch_all(db.pool())
    .await
    .context("units")?
    .iter()
    .map(|r| {
        Ok((
            r.try_get(0)?,
            UnitIn {
                competency_id: r.try_get(1)?,
                slug: r.try_get(2)?,
                title: r.try_get(3)?,
                minutes: u32::try_from(r.try_get::<i64, _>(4)?).unwrap_or(0),
                indicators: r
                    .try_get::<String, _>(5)?
                    .split(',')
                    .map(str::to_owned)
                    .collect(),
                done: false,
            },
        ))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let indicators = sqlx::query(
        "SELECT i.id, i.competency_id, i.slug, i.text \
         FROM indicators i JOIN competencies c ON c.id = i.competency_id JOIN domains d ON d.id = c.domain_id \
         WHERE i.framework_id = $1 AND i.retired_at IS NULL \
         ORDER BY d.position, c.position, i.position",
    )
    .bind(framework_id)
    .fetch_all(db.pool())
    .await
    .context("indicators")?
    .iter()
    .map(|r| {
        Ok((
            r.try_get(0)?,
            IndicatorIn {
                competency_id: r.try_get(1)?,
                slug: r.try_get(2)?,
                text: r.try_get(3)?,
                baseline: None,
                current: None,
            },
        ))
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let s = Arc::new(Structure {
        slug: head.try_get(0)?,
        title: head.try_get(1)?,
        competencies,
        units,
        indicators,
    });
    db.structures.put(framework_id, s.clone());
    Ok(Some(s))
}

/// The dashboard of a teacher; `None` when no framework is loaded at all.
pub async fn load(db: &Db, user_id: i64) -> anyhow::Result<Option<Dashboard>> {
    // Everything of the teacher's in one round trip: their latest teacher cohort's framework,
    // the units they marked done, and their ratings.
    let rows = sqlx::query(
        "SELECT 'framework' AS kind, c.framework_id AS ref_id, CAST(m.id AS BIGINT) AS value \
         FROM memberships m JOIN cohorts c ON c.id = m.cohort_id \
         WHERE m.user_id = $1 AND m.role = 'teacher' \
         UNION ALL SELECT 'done', unit_id, CAST(0 AS BIGINT) FROM unit_progress WHERE user_id = $1 \
         UNION ALL SELECT phase, indicator_id, level FROM self_ratings WHERE user_id = $1 \
         UNION ALL SELECT status, competency_id, attempt FROM submissions WHERE user_id = $1 \
         UNION ALL SELECT 'unseen', competency_id, CAST(CASE WHEN status = 'competent' THEN 1 ELSE 0 END AS BIGINT) \
           FROM submissions WHERE user_id = $1 AND decided_at IS NOT NULL AND decision_seen_at IS NULL \
         UNION ALL SELECT 'badge ' || public_id || ' ' || achievement, framework_id, CAST(0 AS BIGINT) \
           FROM credentials WHERE user_id = $1 AND revoked_at IS NULL",
    )
    .bind(user_id)
    .fetch_all(db.pool())
    .await
    .context("the teacher's progress")?;
    let mut framework: Option<(i64, i64)> = None;
    let mut done = std::collections::HashSet::new();
    let mut ratings: HashMap<(i64, bool), Level> = HashMap::new();
    let mut latest: HashMap<i64, (i64, String)> = HashMap::new();
    let mut unseen: HashMap<i64, bool> = HashMap::new();
    // Live badges: (framework id, domain slug) → public id.
    let mut badges: HashMap<(i64, String), String> = HashMap::new();
    for r in &rows {
        let kind: String = r.try_get(0)?;
        let id: i64 = r.try_get(1)?;
        let value: i64 = r.try_get(2)?;
        match kind.as_str() {
            "framework" => {
                if framework.is_none_or(|(_, m)| value > m) {
                    framework = Some((id, value));
                }
            }
            "done" => {
                done.insert(id);
            }
            "unseen" => {
                unseen.insert(id, value == 1);
            }
            badge if badge.starts_with("badge ") => {
                let mut parts = badge.splitn(3, ' ').skip(1);
                if let (Some(public_id), Some(achievement)) = (parts.next(), parts.next()) {
                    if let Some(domain) = achievement.strip_prefix("domain:") {
                        badges.insert((id, domain.to_owned()), public_id.to_owned());
                    }
                }
            }
            "draft" | "submitted" | "competent" | "not_yet" => {
                // The latest attempt's status counts.
                if latest.get(&id).is_none_or(|(attempt, _)| value > *attempt) {
                    latest.insert(id, (value, kind.clone()));
                }
            }
            phase => {
                if let Some(level) = Level::from_value(value) {
                    ratings.insert((id, phase == "baseline"), level);
                }
            }
        }
    }
    let framework_id = match framework {
        Some((id, _)) => id,
        None => match default_framework(db).await? {
            Some(id) => id,
            None => return Ok(None),
        },
    };
    let Some(s) = structure(db, framework_id).await? else {
        return Ok(None);
    };
    let competencies: Vec<CompetencyIn> = s
        .competencies
        .iter()
        .map(|c| CompetencyIn {
            evidence: latest
                .get(&c.id)
                .and_then(|(_, status)| SubmissionStatus::parse(status)),
            new_decision: unseen.get(&c.id).copied(),
            badge: badges.get(&(framework_id, c.domain_slug.clone())).cloned(),
            ..c.clone()
        })
        .collect();
    let units: Vec<UnitIn> = s
        .units
        .iter()
        .map(|(id, u)| UnitIn {
            done: done.contains(id),
            ..u.clone()
        })
        .collect();
    let indicators: Vec<IndicatorIn> = s
        .indicators
        .iter()
        .map(|(id, i)| IndicatorIn {
            baseline: ratings.get(&(*id, true)).copied(),
            current: ratings.get(&(*id, false)).copied(),
            ..i.clone()
        })
        .collect();
    Ok(Some(dashboard::build(
        &s.slug,
        &s.title,
        &competencies,
        &units,
        &indicators,
    )))
}
