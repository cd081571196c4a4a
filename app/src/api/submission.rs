//! A teacher's evidence per competency: compose and autosave a draft, preview it as the
//! assessor will see it, submit it. Always the caller's own.

use crate::domain::assessment::{DraftOutcome, Snapshot, Workspace};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use std::collections::HashMap;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, Access},
    crate::db::submission::{DraftContent, Offered, Refused},
    crate::domain::assessment::{check_rationale, parse_links},
    crate::domain::ids::UserId,
    crate::error::internal,
};

/// The draft form as the page sends it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DraftForm {
    /// Framework slug.
    pub framework: String,
    /// Competency slug.
    pub competency: String,
    /// The version the draft was edited from (0 before the first save).
    pub base_version: i64,
    /// `save` (the button), `autosave` (typing paused) or `submit`.
    #[serde(default)]
    pub intent: String,
    /// Rationale per indicator slug.
    #[serde(default)]
    pub rationale: HashMap<String, String>,
    /// Evidence chosen, keyed `SLUG__jID` (journal entry), `SLUG__uID` (upload) or
    /// `SLUG__checklist`; the value does not matter (a ticked box sends one).
    #[serde(default)]
    pub pick: HashMap<String, String>,
    /// Links per indicator slug, one per line.
    #[serde(default)]
    pub links: HashMap<String, String>,
}

/// Where the evidence page of a competency is.
pub fn evidence_path(framework: &str, competency: &str) -> String {
    format!("/frameworks/{framework}/competencies/{competency}/evidence")
}

#[cfg(feature = "ssr")]
fn not_found() -> AppError {
    AppError::NotFound(crate::t!(validation.that_competency).into())
}

/// Checks a draft form against the competency's indicators; `submit` also requires every
/// rationale and some evidence. Every problem is reported at once
/// ([`AppError::invalid_all`]), in the order of the form.
#[cfg(feature = "ssr")]
fn validate(
    form: &DraftForm,
    indicators: &[crate::db::submission::IndicatorRow],
    submit: bool,
) -> Result<DraftContent, AppError> {
    let mut content = DraftContent::default();
    let mut evidence = 0usize;
    let mut problems = Vec::new();
    for crate::db::submission::IndicatorRow { id, slug, .. } in indicators {
        let rationale = form.rationale.get(slug).cloned().unwrap_or_default();
        if let Err(m) = check_rationale(&rationale, submit) {
            problems.push((format!("draft[rationale][{slug}]"), m));
        }
        let mut offered = Vec::new();
        let prefix = format!("{slug}__");
        let mut picks: Vec<&str> = form
            .pick
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .collect();
        picks.sort_unstable();
        for p in picks {
            if p == "checklist" {
                offered.push(Offered::Checklist);
            } else if let Some(n) = p.strip_prefix('j').and_then(|n| n.parse().ok()) {
                offered.push(Offered::Journal(n));
            } else if let Some(n) = p.strip_prefix('u').and_then(|n| n.parse().ok()) {
                offered.push(Offered::Upload(n));
            }
        }
        match parse_links(form.links.get(slug).map_or("", String::as_str)) {
            Ok(links) => offered.extend(links.into_iter().map(|(u, l)| Offered::Link(u, l))),
            Err(m) => problems.push((format!("draft[links][{slug}]"), m)),
        }
        evidence += offered.len();
        content.indicators.push((*id, rationale, offered));
    }
    if submit && evidence == 0 {
        problems.push((
            "draft[evidence]".to_owned(),
            crate::t!(validation.evidence_required).to_owned(),
        ));
    }
    if problems.is_empty() {
        Ok(content)
    } else {
        Err(AppError::invalid_all(problems))
    }
}

#[cfg(feature = "ssr")]
fn refused(r: Refused) -> AppError {
    match r {
        Refused::NotFound => not_found(),
        Refused::NoCohort => AppError::invalid("form", crate::t!(validation.no_cohort)),
        Refused::Closed(why) => {
            AppError::invalid("form", crate::i18n::k::validation::nothing_can_change(why))
        }
    }
}

/// The caller's workspace for a competency (marks decisions on it as seen).
#[server(endpoint = "submission/workspace", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_workspace(framework: String, competency: String) -> Result<Workspace, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    let result =
        crate::db::submission::workspace(&db, UserId::new(who.user_id), &framework, &competency)
            .await
            .map_err(internal)
            .and_then(|w| w.ok_or_else(not_found));
    super::answer(super::localized(&db, result).await)
}

/// Saves the caller's draft (on its version) or, with intent `submit`, saves and submits it.
#[server(endpoint = "submission/save", output = crate::api::JsonText)]
pub async fn save_draft(draft: DraftForm) -> Result<DraftOutcome, AppError> {
    let back = evidence_path(&draft.framework, &draft.competency);
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let db = super::db()?;
        let competency =
            crate::db::submission::competency(&db, &draft.framework, &draft.competency)
                .await
                .map_err(internal)?
                .ok_or_else(not_found)?;
        let indicators = crate::db::submission::indicators(&db, competency.id)
            .await
            .map_err(internal)?;
        let submit = draft.intent == "submit";
        let save = async |content: &DraftContent, submit: bool| {
            crate::db::submission::save_draft(
                &db,
                UserId::new(who.user_id),
                competency.framework_id,
                competency.id,
                draft.base_version,
                content,
                submit,
            )
            .await
            .map_err(internal)?
            .map_err(refused)
        };
        match validate(&draft, &indicators, submit) {
            Ok(content) => save(&content, submit).await,
            // A plain form post (JavaScript off) that cannot be submitted yet: keep every word
            // typed as the draft, then refuse, so the page it goes back to shows it all (issue
            // 15). The app's own calls keep the text in the page and autosave it themselves.
            Err(refusal) if submit && super::is_plain_form() => {
                if let Ok(content) = validate(&draft, &indicators, false) {
                    save(&content, false).await?;
                }
                Err(refusal)
            }
            Err(refusal) => Err(refusal),
        }
    }
    .await;
    super::form_reply(result, |outcome| {
        let what = match outcome {
            DraftOutcome::Submitted { .. } => "submitted",
            DraftOutcome::Saved { .. } => "saved",
            DraftOutcome::Conflict { .. } => "conflict",
        };
        format!("{back}?{what}=1")
    })
}

/// The caller's latest draft exactly as an assessor would see it if submitted now (or the
/// submitted snapshot).
#[server(endpoint = "submission/preview", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_preview(framework: String, competency: String) -> Result<Snapshot, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    let result = async {
        let competency = crate::db::submission::competency(&db, &framework, &competency)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)?;
        crate::db::submission::preview(&db, UserId::new(who.user_id), competency.id)
            .await
            .map_err(internal)?
            .ok_or_else(|| AppError::NotFound(crate::t!(validation.a_saved_draft).into()))
    }
    .await;
    let result = super::localized(&db, result).await;
    super::answer(result)
}
