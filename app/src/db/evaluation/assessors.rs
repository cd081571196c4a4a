//! Each assessor's decisions and lapsed claims, and agreement between markers from moderation.

use super::{members, Binds};
use crate::domain::assessment::agreement_of_table;
use crate::domain::evaluation::{AssessorFigures, Assessors};
use anyhow::{bail, Context as _};
use std::collections::BTreeMap;

#[derive(sqlx::FromRow)]
struct ReviewRow {
    assessor_id: i64,
    name: String,
    kind: String,
    decision: String,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct LapsedRow {
    assessor_id: i64,
    name: String,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct PairRow {
    first_id: i64,
    second_id: i64,
    /// Decisions (0 Competent, 1 Not yet) or levels (1–3), as the statement reads them.
    a: String,
    b: String,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct Count {
    n: i64,
}

/// Index of a stored decision in a 2×2 table.
fn decision_index(d: &str) -> anyhow::Result<usize> {
    match d {
        "competent" => Ok(0),
        "not_yet" => Ok(1),
        other => bail!("unknown decision {other:?}"),
    }
}

/// Index of a stored rubric level (as text) in a 3×3 table.
fn level_index(l: &str) -> anyhow::Result<usize> {
    match l {
        "1" => Ok(0),
        "2" => Ok(1),
        "3" => Ok(2),
        other => bail!("rubric level {other:?} out of range"),
    }
}

/// The assessors who reviewed or claimed the in-scope teachers' submissions, by name, and the
/// markers' agreement on the second-marked ones. A claim lapsed when its time ran out before
/// its holder decided (ended as lapsed, or still open past `now`).
pub(super) async fn assessors(db: &crate::db::Db, b: Binds, now: i64) -> anyhow::Result<Assessors> {
    let m = members(b.all);
    let on_t = format!(
        "JOIN memberships m ON m.user_id = s.user_id AND m.cohort_id = s.cohort_id AND {m}"
    );
    let reviews_sql = format!(
        "SELECT r.assessor_id, u.name, r.kind, r.decision, COUNT(*) AS n FROM reviews r \
         JOIN submissions s ON s.id = r.submission_id {on_t} JOIN users u ON u.id = r.assessor_id \
         GROUP BY r.assessor_id, u.name, r.kind, r.decision"
    );
    let lapsed_sql = format!(
        "SELECT k.assessor_id, u.name, COUNT(*) AS n FROM claims k \
         JOIN submissions s ON s.id = k.submission_id {on_t} JOIN users u ON u.id = k.assessor_id \
         WHERE k.outcome = 'lapsed' OR (k.ended_at IS NULL AND k.expires_at <= $5) \
         GROUP BY k.assessor_id, u.name"
    );
    let pairs =
        "FROM reviews f JOIN reviews g ON g.submission_id = f.submission_id AND g.kind = 'second' \
                 JOIN submissions s ON s.id = f.submission_id";
    let decisions_sql = format!(
        "SELECT f.assessor_id AS first_id, g.assessor_id AS second_id, f.decision AS a, \
           g.decision AS b, COUNT(*) AS n {pairs} {on_t} WHERE f.kind = 'first' \
         GROUP BY f.assessor_id, g.assessor_id, f.decision, g.decision"
    );
    let levels_sql = format!(
        "SELECT f.assessor_id AS first_id, g.assessor_id AS second_id, \
           CAST(fr.level AS TEXT) AS a, CAST(gr.level AS TEXT) AS b, COUNT(*) AS n {pairs} {on_t} \
         JOIN review_ratings fr ON fr.review_id = f.id \
         JOIN review_ratings gr ON gr.review_id = g.id AND gr.indicator_id = fr.indicator_id \
         WHERE f.kind = 'first' \
         GROUP BY f.assessor_id, g.assessor_id, fr.level, gr.level"
    );
    let decided_sql = format!(
        "SELECT COUNT(*) AS n FROM submissions s {on_t} WHERE s.status IN ('competent', 'not_yet')"
    );
    // Five reads at once, on as many pooled connections.
    let (reviews, lapsed, decisions, levels, decided) = tokio::try_join!(
        b.query_as::<ReviewRow>(&reviews_sql).fetch_all(db.pool()),
        b.query_as::<LapsedRow>(&lapsed_sql)
            .bind(now)
            .fetch_all(db.pool()),
        b.query_as::<PairRow>(&decisions_sql).fetch_all(db.pool()),
        b.query_as::<PairRow>(&levels_sql).fetch_all(db.pool()),
        b.query_as::<Count>(&decided_sql).fetch_one(db.pool()),
    )
    .context("reviews, lapsed claims, paired decisions and levels per assessor")?;

    // Per assessor id: figures, and their own decision and level tables (rows: theirs).
    let mut rows: BTreeMap<i64, (AssessorFigures, [[i64; 3]; 3])> = BTreeMap::new();
    for r in reviews {
        let (f, _) = rows.entry(r.assessor_id).or_default();
        f.name = r.name;
        match r.kind.as_str() {
            "first" => f.first += r.n,
            "second" => f.second += r.n,
            other => bail!("unknown review kind {other:?}"),
        }
        match decision_index(&r.decision)? {
            0 => f.competent += r.n,
            _ => f.not_yet += r.n,
        }
    }
    for r in lapsed {
        let (f, _) = rows.entry(r.assessor_id).or_default();
        f.name = r.name;
        f.lapsed += r.n;
    }
    let mut decision_table = [[0_i64; 2]; 2];
    for r in &decisions {
        let (i, j) = (decision_index(&r.a)?, decision_index(&r.b)?);
        decision_table[i][j] += r.n;
        for id in [r.first_id, r.second_id] {
            let (f, _) = rows.entry(id).or_default();
            f.moderated += r.n;
            if i == j {
                f.decisions_agreed += r.n;
            }
        }
    }
    let mut level_table = [[0_i64; 3]; 3];
    for r in &levels {
        let (i, j) = (level_index(&r.a)?, level_index(&r.b)?);
        level_table[i][j] += r.n;
        // Each assessor's table with their own level as the row.
        rows.entry(r.first_id).or_default().1[i][j] += r.n;
        rows.entry(r.second_id).or_default().1[j][i] += r.n;
    }
    let mut rows: Vec<AssessorFigures> = rows
        .into_values()
        .map(|(f, table)| AssessorFigures {
            agreement: agreement_of_table(&table),
            ..f
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Assessors {
        rows,
        decided: decided.n,
        second_marked: decision_table.iter().flatten().sum(),
        decisions: agreement_of_table(&decision_table),
        indicators: agreement_of_table(&level_table),
    })
}
