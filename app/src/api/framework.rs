//! Public reads of the competency frameworks.

use crate::domain::framework::{CompetencyView, FrameworkSummary, FrameworkView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Every framework, the default first.
#[server(endpoint = "frameworks", input = GetUrl, output = crate::api::JsonText)]
pub async fn list_frameworks() -> Result<Vec<FrameworkSummary>, AppError> {
    let db = super::db()?;
    super::answer(
        crate::db::framework::list(&db)
            .await
            .map_err(crate::error::internal),
    )
}

/// One framework's domains and competencies.
#[server(endpoint = "framework", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_framework(slug: String) -> Result<FrameworkView, AppError> {
    let db = super::db()?;
    super::answer(
        crate::db::framework::overview(&db, &slug)
            .await
            .map_err(crate::error::internal)
            .and_then(|f| f.ok_or_else(|| AppError::NotFound("That framework".into()))),
    )
}

/// One competency with its indicators.
#[server(endpoint = "competency", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_competency(
    framework: String,
    competency: String,
) -> Result<CompetencyView, AppError> {
    let db = super::db()?;
    super::answer(
        crate::db::framework::competency(&db, &framework, &competency)
            .await
            .map_err(crate::error::internal)
            .and_then(|c| c.ok_or_else(|| AppError::NotFound("That competency".into()))),
    )
}
