//! Public reads of the competency frameworks.

use crate::domain::framework::{CompetencyView, FrameworkSummary, FrameworkView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Every framework, the default first.
#[server(endpoint = "frameworks", input = GetUrl, output = crate::api::JsonText)]
pub async fn list_frameworks() -> Result<Vec<FrameworkSummary>, AppError> {
    let db = super::db()?;
    let lang = crate::lang::current();
    let result = async {
        let mut list = crate::db::framework::list(&db).await?;
        for f in &mut list {
            crate::db::translation::texts(&db, &f.slug, lang, &["framework"])
                .await?
                .framework_summary(f);
        }
        anyhow::Ok(list)
    }
    .await;
    super::answer(result.map_err(crate::error::internal))
}

/// One framework's domains and competencies.
#[server(endpoint = "framework", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_framework(slug: String) -> Result<FrameworkView, AppError> {
    let db = super::db()?;
    let lang = crate::lang::current();
    let result = async {
        let Some(mut view) = crate::db::framework::overview(&db, &slug).await? else {
            return Ok(None);
        };
        crate::db::translation::texts(&db, &slug, lang, &["framework", "domain", "competency"])
            .await?
            .framework(&mut view);
        anyhow::Ok(Some(view))
    }
    .await;
    super::answer(result.map_err(crate::error::internal).and_then(|f| {
        f.ok_or_else(|| AppError::NotFound(crate::t!(validation.that_framework).into()))
    }))
}

/// One competency with its indicators.
#[server(endpoint = "competency", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_competency(
    framework: String,
    competency: String,
) -> Result<CompetencyView, AppError> {
    let db = super::db()?;
    let lang = crate::lang::current();
    let result = async {
        let Some(mut view) = crate::db::framework::competency(&db, &framework, &competency).await?
        else {
            return Ok(None);
        };
        crate::db::translation::texts(
            &db,
            &framework,
            lang,
            &["framework", "domain", "competency", "indicator"],
        )
        .await?
        .competency(&mut view);
        anyhow::Ok(Some(view))
    }
    .await;
    super::answer(result.map_err(crate::error::internal).and_then(|c| {
        c.ok_or_else(|| AppError::NotFound(crate::t!(validation.that_competency).into()))
    }))
}
