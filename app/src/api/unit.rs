//! Micro-learning units: reading them (anyone) and marking them done (signed in).

use crate::domain::unit::{UnitSummary, UnitView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, Access},
    crate::error::internal,
};

/// A competency's units, with done flags for the signed-in person. Anyone may read.
#[server(endpoint = "units", input = GetUrl, output = crate::api::JsonText)]
pub async fn list_units(
    framework: String,
    competency: String,
) -> Result<Vec<UnitSummary>, AppError> {
    let who = auth::public();
    let db = super::db()?;
    let lang = crate::lang::current();
    let result = async {
        let mut list = crate::db::unit::list_for_competency(
            &db,
            &framework,
            &competency,
            who.map(|w| w.user_id),
        )
        .await?;
        let texts = crate::db::translation::texts(&db, &framework, lang, &["unit"]).await?;
        for u in &mut list {
            texts.unit_summary(u);
        }
        anyhow::Ok(list)
    }
    .await;
    result.map_err(internal)
}

/// One unit, rendered. Anyone may read.
#[server(endpoint = "unit", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_unit(framework: String, unit: String) -> Result<UnitView, AppError> {
    let who = auth::public();
    let db = super::db()?;
    let lang = crate::lang::current();
    let result = async {
        let Some(mut view) =
            crate::db::unit::view(&db, &framework, &unit, who.map(|w| w.user_id)).await?
        else {
            return Ok(None);
        };
        crate::db::translation::texts(&db, &framework, lang, &["unit", "competency", "indicator"])
            .await?
            .unit(&mut view);
        anyhow::Ok(Some(view))
    }
    .await;
    super::answer(
        result.map_err(internal).and_then(|u| {
            u.ok_or_else(|| AppError::NotFound(crate::t!(validation.that_unit).into()))
        }),
    )
}

/// Marks a unit done, or not done, for the caller.
#[server(endpoint = "unit/done", output = crate::api::JsonText)]
pub async fn set_unit_done(framework: String, unit: String, done: bool) -> Result<bool, AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let db = super::db()?;
        let found = crate::db::unit::set_done(&db, &framework, &unit, who.user_id, done)
            .await
            .map_err(internal)?;
        if found {
            Ok(done)
        } else {
            Err(AppError::NotFound(crate::t!(validation.that_unit).into()))
        }
    }
    .await;
    super::form_reply(result, |_| format!("/frameworks/{framework}/units/{unit}"))
}

/// Keeps the caller's own answer to a scenario in their journal (a new entry linked to the
/// unit); after that the unit shows its considerations. Answers the entry's id.
#[server(endpoint = "unit/answer", output = crate::api::JsonText)]
pub async fn answer_scenario(
    framework: String,
    unit: String,
    answer: String,
) -> Result<i64, AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        if answer.trim().is_empty() {
            return Err(AppError::invalid(
                "answer",
                crate::t!(validation.answer_required),
            ));
        }
        crate::domain::journal::check_body(&answer).map_err(|m| AppError::invalid("answer", m))?;
        let db = super::db()?;
        let found = crate::db::unit::view(&db, &framework, &unit, Some(who.user_id))
            .await
            .map_err(internal)?
            .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_unit).into()))?;
        if let Some(id) = found.answer_entry {
            // Answered before (another tab, a double click): keep the first, add nothing.
            return Ok(id);
        }
        let links = crate::db::journal::resolve_links(&db, &framework, "", &unit)
            .await
            .map_err(internal)?;
        let title = crate::domain::journal::parse_title(
            &crate::i18n::k::validation::my_answer_title(&found.summary.title),
        )
        .map_err(|m| AppError::invalid("answer", m))?;
        let (id, _) = crate::db::journal::create(&db, who.user_id, &links, &title, &answer)
            .await
            .map_err(internal)?;
        Ok(id)
    }
    .await;
    super::form_reply(result, |_| {
        format!("/frameworks/{framework}/units/{unit}#considerations")
    })
}
