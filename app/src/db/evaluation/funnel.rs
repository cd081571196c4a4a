//! From joining to Competent: overall, and per competency.

use super::{members, Binds};
use crate::domain::evaluation::{CompetencyFunnel, Funnel};
use anyhow::Context as _;

#[derive(sqlx::FromRow)]
struct CompetencyRow {
    id: i64,
    slug: String,
    title: String,
}

#[derive(sqlx::FromRow)]
struct StageRow {
    stage: String,
    competency_id: i64,
    n: i64,
}

/// The overall funnel ("baseline complete" is every indicator, "units done" every unit,
/// "competent" every competency) and each competency's, in the framework's order.
pub(super) async fn funnels(
    db: &crate::db::Db,
    b: Binds,
) -> anyhow::Result<(Funnel, Vec<CompetencyFunnel>)> {
    // One statement: each table is read once, grouped by membership and competency, and
    // both the overall funnel (`all:` rows; overall complete = complete in every competency,
    // since indicators and units each belong to one) and the per-competency one are counted
    // from those groups. Correlated subqueries per teacher let SQLite pick the (cohort,
    // status) index of submissions and scan a cohort's evidence per teacher: 4.6 s at 1,000.
    let m = members(b.all);
    let reached: Vec<StageRow> = b
        .query_as(&format!(
            "WITH need_i AS (SELECT competency_id AS cid, COUNT(*) AS n FROM indicators \
               WHERE framework_id = $2 AND retired_at IS NULL GROUP BY competency_id), \
             need_u AS (SELECT competency_id AS cid, COUNT(*) AS n FROM units \
               WHERE framework_id = $2 AND retired_at IS NULL GROUP BY competency_id), \
             live AS (SELECT id AS cid FROM competencies WHERE framework_id = $2 AND retired_at IS NULL), \
             b AS (SELECT x.mid, x.cid FROM (SELECT m.id AS mid, i.competency_id AS cid, COUNT(*) AS k \
                 FROM memberships m JOIN self_ratings r ON r.user_id = m.user_id \
                 JOIN indicators i ON i.id = r.indicator_id \
                 WHERE {m} AND r.phase = 'baseline' AND i.framework_id = $2 AND i.retired_at IS NULL \
                 GROUP BY m.id, i.competency_id) x JOIN need_i ON need_i.cid = x.cid WHERE x.k >= need_i.n), \
             u AS (SELECT x.mid, x.cid FROM (SELECT m.id AS mid, un.competency_id AS cid, COUNT(*) AS k \
                 FROM memberships m JOIN unit_progress p ON p.user_id = m.user_id \
                 JOIN units un ON un.id = p.unit_id \
                 WHERE {m} AND un.framework_id = $2 AND un.retired_at IS NULL \
                 GROUP BY m.id, un.competency_id) x JOIN need_u ON need_u.cid = x.cid WHERE x.k >= need_u.n), \
             s AS (SELECT m.id AS mid, s.competency_id AS cid, \
                 MAX(CASE WHEN s.status <> 'draft' THEN 1 ELSE 0 END) AS submitted, \
                 MAX(CASE WHEN s.status = 'competent' THEN 1 ELSE 0 END) AS competent \
                 FROM memberships m JOIN submissions s ON s.user_id = m.user_id AND s.cohort_id = m.cohort_id \
                 WHERE {m} AND s.competency_id IN (SELECT cid FROM live) GROUP BY m.id, s.competency_id) \
             SELECT 'baseline' AS stage, cid AS competency_id, COUNT(*) AS n FROM b GROUP BY cid \
             UNION ALL SELECT 'units', cid, COUNT(*) FROM u GROUP BY cid \
             UNION ALL SELECT 'submitted', cid, SUM(submitted) FROM s GROUP BY cid \
             UNION ALL SELECT 'competent', cid, SUM(competent) FROM s GROUP BY cid \
             UNION ALL SELECT 'all:joined', 0, COUNT(*) FROM memberships m WHERE {m} \
             UNION ALL SELECT 'all:baseline', 0, COUNT(*) FROM (SELECT mid FROM b GROUP BY mid \
               HAVING COUNT(*) >= (SELECT COUNT(*) FROM need_i)) z \
             UNION ALL SELECT 'all:units', 0, COUNT(*) FROM (SELECT mid FROM u GROUP BY mid \
               HAVING COUNT(*) >= (SELECT COUNT(*) FROM need_u)) z \
             UNION ALL SELECT 'all:submitted', 0, COUNT(*) FROM (SELECT mid FROM s GROUP BY mid \
               HAVING MAX(submitted) = 1) z \
             UNION ALL SELECT 'all:competent', 0, COUNT(*) FROM (SELECT mid FROM s GROUP BY mid \
               HAVING SUM(competent) >= (SELECT COUNT(*) FROM live)) z"
        ))
        .fetch_all(db.pool())
        .await
        .context("the funnels")?;
    let mut overall = Funnel::default();
    for r in reached.iter().filter(|r| r.stage.starts_with("all:")) {
        *stage_of(&mut overall, r.stage.trim_start_matches("all:"))? = r.n;
    }
    let competencies: Vec<CompetencyRow> = sqlx::query_as(
        "SELECT c.id, c.slug, c.title FROM competencies c JOIN domains d ON d.id = c.domain_id \
         WHERE c.framework_id = $1 AND c.retired_at IS NULL ORDER BY d.position, c.position",
    )
    .bind(b.framework)
    .fetch_all(db.pool())
    .await
    .context("competencies")?;
    let mut per = Vec::with_capacity(competencies.len());
    for c in competencies {
        let mut funnel = Funnel {
            joined: overall.joined,
            ..Funnel::default()
        };
        for r in reached
            .iter()
            .filter(|r| r.competency_id == c.id && !r.stage.starts_with("all:"))
        {
            *stage_of(&mut funnel, &r.stage)? = r.n;
        }
        per.push(CompetencyFunnel {
            slug: c.slug,
            title: c.title,
            funnel,
        });
    }
    Ok((overall, per))
}

/// The count of `funnel` a stage's name is for.
fn stage_of<'f>(funnel: &'f mut Funnel, stage: &str) -> anyhow::Result<&'f mut i64> {
    Ok(match stage {
        "joined" => &mut funnel.joined,
        "baseline" => &mut funnel.baseline,
        "units" => &mut funnel.units,
        "submitted" => &mut funnel.submitted,
        "competent" => &mut funnel.competent,
        other => anyhow::bail!("unknown funnel stage {other:?}"),
    })
}
