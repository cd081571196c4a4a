//! The coordinator's evaluation of a cohort (issue 17).

use crate::domain::evaluation::Evaluation;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
#[cfg(feature = "ssr")]
use {crate::auth, crate::domain::account::Role, crate::error::internal};

/// A cohort's evaluation for teachers who joined between `from` and `to` (`YYYY-MM-DD`, both
/// days included, UTC; either may be empty for an open end). Its coordinators and institution
/// coordinators only. 422 naming `from` or `to` for a date that is not one, or a range that
/// ends before it starts.
#[server(endpoint = "cohorts/evaluation", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_evaluation(
    cohort_id: i64,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<Evaluation, AppError> {
    let result = async {
        auth::authorize_cohort(&super::db()?, cohort_id, &[Role::Coordinator]).await?;
        let range = join_range(&from, &to)?;
        let db = super::db()?;
        crate::db::evaluation::evaluation(
            &db,
            crate::db::evaluation::Scope::Cohort(cohort_id),
            range,
            (from.trim().to_owned(), to.trim().to_owned()),
            crate::db::now_ms(),
        )
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_cohort).into()))
    }
    .await;
    let result = match super::db() {
        Ok(db) => super::localized(&db, result).await,
        Err(e) => Err(e),
    };
    super::answer(result)
}

/// The same figures for every cohort of a framework together (`framework`: its slug; empty
/// for the default framework), for institution coordinators only (403 for anyone else). 404
/// for a framework that does not exist; 422 naming `from` or `to` as for one cohort.
#[server(endpoint = "evaluation/all", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_institution_evaluation(
    #[server(default)] framework: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<Evaluation, AppError> {
    let result = async {
        auth::authorize(auth::Access::Admin)?;
        let range = join_range(&from, &to)?;
        let db = super::db()?;
        let slug = match framework.trim() {
            "" => crate::db::framework::default_slug(&db)
                .await
                .map_err(internal)?
                .ok_or_else(|| AppError::NotFound(crate::t!(validation.a_framework).into()))?,
            s => s.to_owned(),
        };
        crate::db::evaluation::evaluation(
            &db,
            crate::db::evaluation::Scope::Framework(slug),
            range,
            (from.trim().to_owned(), to.trim().to_owned()),
            crate::db::now_ms(),
        )
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_framework).into()))
    }
    .await;
    let result = match super::db() {
        Ok(db) => super::localized(&db, result).await,
        Err(e) => Err(e),
    };
    super::answer(result)
}

/// `[start, end)` in epoch ms for the chosen days; an empty field is an open end.
#[cfg(feature = "ssr")]
pub fn join_range(from: &str, to: &str) -> Result<(i64, i64), AppError> {
    use crate::domain::time::{day_start, DAY_MS};
    let day = |field: &str, value: &str, open: i64| -> Result<i64, AppError> {
        if value.trim().is_empty() {
            return Ok(open);
        }
        day_start(value).ok_or_else(|| AppError::invalid(field, crate::t!(validation.date_needed)))
    };
    let start = day("from", from, i64::MIN)?;
    let end = match day("to", to, i64::MAX)? {
        i64::MAX => i64::MAX,
        last => last + DAY_MS,
    };
    if end <= start {
        return Err(AppError::invalid(
            "to",
            crate::t!(validation.end_before_start),
        ));
    }
    Ok((start, end))
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_whole_days_and_may_be_open() {
        assert_eq!(join_range("", ""), Ok((i64::MIN, i64::MAX)));
        assert_eq!(join_range("1970-01-02", ""), Ok((86_400_000, i64::MAX)));
        assert_eq!(join_range("", "1970-01-01"), Ok((i64::MIN, 86_400_000)));
        assert_eq!(
            join_range("1970-01-02", "1970-01-02"),
            Ok((86_400_000, 172_800_000))
        );
        let field = |r: Result<(i64, i64), AppError>| match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(join_range("2026-02-30", "")), "from");
        assert_eq!(field(join_range("", "tomorrow")), "to");
        assert_eq!(field(join_range("1970-01-03", "1970-01-02")), "to");
    }
}
