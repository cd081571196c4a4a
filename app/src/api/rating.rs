//! The indicator checklist: a teacher's own baseline and current self-ratings.

use crate::domain::rating::ChecklistRow;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, Access},
    crate::domain::rating::{parse_evidence_url, parse_note, Level, Phase},
    crate::error::internal,
};

/// One rating as a form sends it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RatingForm {
    /// Framework slug.
    pub framework: String,
    /// Competency slug (where to come back to without JavaScript).
    pub competency: String,
    /// Indicator slug.
    pub indicator: String,
    /// `baseline` or `current`.
    pub phase: String,
    /// 1 to 4.
    pub level: String,
    /// Optional note.
    #[serde(default)]
    pub note: String,
    /// Optional evidence link.
    #[serde(default)]
    pub evidence_url: String,
}

/// The caller's checklist for a competency.
#[server(endpoint = "checklist", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_checklist(
    framework: String,
    competency: String,
) -> Result<Vec<ChecklistRow>, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    let result = crate::db::rating::checklist(&db, who.user_id, &framework, &competency)
        .await
        .map_err(internal)
        .and_then(|c| {
            c.ok_or_else(|| AppError::NotFound(crate::t!(validation.that_competency).into()))
        });
    super::answer(super::localized(&db, result).await)
}

/// Saves one of the caller's ratings; answers when it was saved (epoch ms).
#[server(endpoint = "checklist/save", output = crate::api::JsonText)]
pub async fn save_rating(rating: RatingForm) -> Result<i64, AppError> {
    let back = format!(
        "/frameworks/{}/competencies/{}/checklist",
        rating.framework, rating.competency
    );
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let phase = Phase::parse(&rating.phase).ok_or_else(|| {
            AppError::invalid("rating[phase]", crate::t!(validation.phase_choice))
        })?;
        let level = rating
            .level
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(Level::from_value)
            .ok_or_else(|| {
                AppError::invalid("rating[level]", crate::t!(validation.choose_level))
            })?;
        let note = parse_note(&rating.note).map_err(|m| AppError::invalid("rating[note]", m))?;
        let url = parse_evidence_url(&rating.evidence_url)
            .map_err(|m| AppError::invalid("rating[evidence_url]", m))?;
        let db = super::db()?;
        let new = crate::db::rating::NewRating {
            phase,
            level,
            note,
            evidence_url: url,
        };
        crate::db::rating::save(&db, who.user_id, &rating.framework, &rating.indicator, &new)
            .await
            .map_err(internal)?
            .ok_or_else(|| AppError::NotFound(crate::t!(validation.that_indicator).into()))
    }
    .await;
    super::form_reply(result, |_| {
        format!(
            "{back}?saved={}#indicator-{}",
            rating.indicator, rating.indicator
        )
    })
}
