//! The evaluation figures of a cohort, or of every cohort of a framework (issue 17), aggregated
//! in SQL: each figure is one statement whatever the number of teachers, and Rust only puts the
//! aggregates together (and counts business days, which SQL engines disagree on).
//!
//! Every statement starts from [`members`]: the teacher memberships of the scope whose joining
//! date is in the range. A teacher in two cohorts of the framework counts once per cohort.
//! Binds: $1 cohort id (0 for every cohort), $2 framework id, $3 from, $4 to (epoch ms,
//! `[from, to)`).

use crate::domain::evaluation::{Evaluation, Turnaround};
use anyhow::Context as _;

mod assessors;
mod attempts;
mod funnel;
mod growth;
mod turnaround;

/// Whose figures.
#[derive(Debug, Clone)]
pub enum Scope {
    /// One cohort (its coordinators).
    Cohort(i64),
    /// Every cohort of the framework with this slug (institution coordinators).
    Framework(String),
}

/// The condition on `memberships m` that picks the scope's teachers (their memberships of the
/// cohort, or of every cohort of the framework, that began in the range): every statement
/// starts from it, joining `memberships m` to indexed tables (a derived table of teachers
/// joined back let SQLite scan it per row: 2.5 s for one statement over every cohort). Over
/// every cohort `$1` is bound to 0 and only compared, so statements keep their parameters.
pub(crate) fn members(all: bool) -> String {
    let cohort = if all { "$1 = 0" } else { "m.cohort_id = $1" };
    format!(
        "{cohort} AND m.role = 'teacher' AND m.created_at >= $3 AND m.created_at < $4 \
         AND m.cohort_id IN (SELECT id FROM cohorts WHERE framework_id = $2)"
    )
}

/// The four binds of every statement, as [`members`] numbers them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Binds {
    pub cohort: i64,
    pub framework: i64,
    pub from: i64,
    pub to: i64,
    /// [`members`] over every cohort.
    pub all: bool,
}

impl Binds {
    /// `sql` with the scope's binds in place, ready for more binds (`$5` …) or to run.
    pub fn query_as<'q, O>(
        self,
        sql: &'q str,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        sqlx::query_as(sql)
            .bind(self.cohort)
            .bind(self.framework)
            .bind(self.from)
            .bind(self.to)
    }
}

#[derive(sqlx::FromRow)]
struct CohortRow {
    name: String,
    framework_id: i64,
    framework: String,
    max_attempts: i64,
    turnaround_days: i64,
}

#[derive(sqlx::FromRow)]
struct FrameworkRow {
    id: i64,
    slug: String,
}

/// The evaluation of `scope` for teachers who joined in `[from, to)` (epoch ms); `chosen` (the
/// range as typed) is carried into the answer for the page. `None` when there is no such
/// cohort or framework. Only live (not retired) indicators, units and competencies count.
/// `now` (epoch ms) decides which claims have lapsed and how long waiting submissions waited.
pub async fn evaluation(
    db: &super::Db,
    scope: Scope,
    range: (i64, i64),
    chosen: (String, String),
    now: i64,
) -> anyhow::Result<Option<Evaluation>> {
    let (cohort_id, name, framework_id, framework, max_attempts, target) = match scope {
        Scope::Cohort(id) => {
            let Some(c) = sqlx::query_as::<_, CohortRow>(
                "SELECT c.name, c.framework_id, f.slug AS framework, c.max_attempts, c.turnaround_days \
                 FROM cohorts c JOIN frameworks f ON f.id = c.framework_id WHERE c.id = $1",
            )
            .bind(id)
            .fetch_optional(db.pool())
            .await
            .context("the cohort")?
            else {
                return Ok(None);
            };
            (
                id,
                c.name,
                c.framework_id,
                c.framework,
                c.max_attempts,
                Some(c.turnaround_days),
            )
        }
        Scope::Framework(slug) => {
            let Some(f) = sqlx::query_as::<_, FrameworkRow>(
                "SELECT id, slug FROM frameworks WHERE slug = $1",
            )
            .bind(&slug)
            .fetch_optional(db.pool())
            .await
            .context("the framework")?
            else {
                return Ok(None);
            };
            (
                0,
                crate::t!(validation.all_cohorts).to_owned(),
                f.id,
                f.slug,
                0,
                None,
            )
        }
    };
    let frameworks: Vec<(String, String)> = sqlx::query_as(
        "SELECT f.slug, f.title FROM frameworks f \
         WHERE EXISTS (SELECT 1 FROM cohorts c WHERE c.framework_id = f.id) ORDER BY f.title",
    )
    .fetch_all(db.pool())
    .await
    .context("frameworks with cohorts")?;
    let b = Binds {
        cohort: cohort_id,
        framework: framework_id,
        from: range.0,
        to: range.1,
        all: cohort_id == 0,
    };
    // Independent reads, on as many pooled connections: the page waits for the slowest
    // section rather than for their sum.
    let ((overall, competencies), attempts, growth, turnaround, assessors) = tokio::try_join!(
        funnel::funnels(db, b),
        attempts::attempts(db, b, max_attempts),
        growth::growth(db, b),
        turnaround::turnaround(db, b, target, now),
        assessors::assessors(db, b, now),
    )?;
    let turnaround: Turnaround = turnaround;
    Ok(Some(Evaluation {
        cohort_id,
        cohort_name: name,
        framework,
        frameworks,
        from: chosen.0,
        to: chosen.1,
        overall,
        competencies,
        attempts,
        growth,
        turnaround,
        assessors,
    }))
}
