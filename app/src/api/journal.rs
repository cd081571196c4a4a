//! The reflection journal. Private to its author: every function is for signed-in people and
//! touches only the caller's own entries (someone else's answer as "not found").

use crate::domain::journal::{EntrySummary, EntryView, Revision, SaveOutcome};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
#[cfg(feature = "ssr")]
use {
    crate::auth::{self, Access},
    crate::domain::journal::{check_body, parse_title},
    crate::error::internal,
};

/// A new entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewEntry {
    /// Title.
    pub title: String,
    /// Markdown body.
    #[serde(default)]
    pub body: String,
    /// Framework slug of the competency or unit, if linked.
    #[serde(default)]
    pub framework: String,
    /// Competency slug, if linked.
    #[serde(default)]
    pub competency: String,
    /// Unit slug (its prompt or scenario), if linked.
    #[serde(default)]
    pub unit: String,
}

/// A save of an entry, based on the version the author was editing.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EntrySave {
    /// Entry id.
    pub id: i64,
    /// The version the text was edited from.
    pub base_version: i64,
    /// Title.
    pub title: String,
    /// Markdown body.
    #[serde(default)]
    pub body: String,
    /// Sent by the editor when typing paused (not by the Save button): extends the latest
    /// revision when it is recent instead of adding one.
    #[serde(default)]
    pub autosave: bool,
}

#[cfg(feature = "ssr")]
fn not_found() -> AppError {
    AppError::NotFound(crate::t!(validation.that_journal_entry).into())
}

/// The caller's entries (`bin`: the ones in the bin).
#[server(endpoint = "journal", input = GetUrl, output = crate::api::JsonText)]
pub async fn list_entries(bin: bool) -> Result<Vec<EntrySummary>, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    let result = crate::db::journal::list(&db, who.user_id, bin)
        .await
        .map_err(internal);
    super::localized(&db, result).await
}

/// One of the caller's entries.
#[server(endpoint = "journal/entry", input = GetUrl, output = crate::api::JsonText)]
pub async fn get_entry(id: i64) -> Result<EntryView, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    let result = crate::db::journal::get(&db, who.user_id, id)
        .await
        .map_err(internal)
        .and_then(|e| e.ok_or_else(not_found));
    super::answer(super::localized(&db, result).await)
}

/// Creates an entry; answers its id.
#[server(endpoint = "journal/create", output = crate::api::JsonText)]
pub async fn create_entry(entry: NewEntry) -> Result<i64, AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let title = parse_title(&entry.title).map_err(|m| AppError::invalid("entry[title]", m))?;
        check_body(&entry.body).map_err(|m| AppError::invalid("entry[body]", m))?;
        let db = super::db()?;
        let framework = if entry.framework.is_empty() {
            "mcf"
        } else {
            entry.framework.as_str()
        };
        let links =
            crate::db::journal::resolve_links(&db, framework, &entry.competency, &entry.unit)
                .await
                .map_err(internal)?;
        let (id, _) = crate::db::journal::create(&db, who.user_id, &links, &title, &entry.body)
            .await
            .map_err(internal)?;
        Ok(id)
    }
    .await;
    super::form_reply(result, |id| format!("/journal/{id}?saved=1"))
}

/// Saves an entry if based on its current version; otherwise keeps the text and answers with
/// both versions to reconcile.
#[server(endpoint = "journal/save", output = crate::api::JsonText)]
pub async fn save_entry(entry: EntrySave) -> Result<SaveOutcome, AppError> {
    let id = entry.id;
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let title = parse_title(&entry.title).map_err(|m| AppError::invalid("entry[title]", m))?;
        check_body(&entry.body).map_err(|m| AppError::invalid("entry[body]", m))?;
        let db = super::db()?;
        crate::db::journal::save(
            &db,
            who.user_id,
            entry.id,
            entry.base_version,
            &title,
            &entry.body,
            entry.autosave,
        )
        .await
        .map_err(internal)?
        .ok_or_else(not_found)
    }
    .await;
    super::form_reply(result, |outcome| match outcome {
        SaveOutcome::Saved { .. } => format!("/journal/{id}?saved=1"),
        // The refused text is kept on the server, so the page can show both after the redirect.
        SaveOutcome::Conflict { .. } => format!("/journal/{id}"),
    })
}

/// Every saved (and refused) text of one of the caller's entries, newest first.
#[server(endpoint = "journal/history", input = GetUrl, output = crate::api::JsonText)]
pub async fn entry_history(id: i64) -> Result<Vec<Revision>, AppError> {
    let who = auth::authorize(Access::SignedIn)?;
    let db = super::db()?;
    super::answer(
        crate::db::journal::history(&db, who.user_id, id)
            .await
            .map_err(internal)
            .and_then(|h| h.ok_or_else(not_found)),
    )
}

/// Restores an earlier text as the newest version (history is kept).
#[server(endpoint = "journal/restore-revision", output = crate::api::JsonText)]
pub async fn restore_revision(
    id: i64,
    revision_id: i64,
    base_version: i64,
) -> Result<SaveOutcome, AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let db = super::db()?;
        let old = crate::db::journal::revision(&db, who.user_id, id, revision_id)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)?;
        crate::db::journal::save(
            &db,
            who.user_id,
            id,
            base_version,
            &old.title,
            &old.body,
            false,
        )
        .await
        .map_err(internal)?
        .ok_or_else(not_found)
    }
    .await;
    super::form_reply(result, |_| format!("/journal/{id}?saved=1"))
}

/// Moves one of the caller's entries to the bin (`deleted = true`) or back (undo).
#[server(endpoint = "journal/bin", output = crate::api::JsonText)]
pub async fn set_entry_deleted(id: i64, deleted: bool) -> Result<(), AppError> {
    let result = async {
        let who = auth::authorize(Access::SignedIn)?;
        let db = super::db()?;
        if crate::db::journal::set_deleted(&db, who.user_id, id, deleted)
            .await
            .map_err(internal)?
        {
            Ok(())
        } else {
            Err(not_found())
        }
    }
    .await;
    super::form_reply(result, |_| format!("/journal/{id}"))
}

/// Renders Markdown exactly as pages will show it (for the editor's preview).
#[server(endpoint = "journal/preview", output = crate::api::JsonText)]
pub async fn preview_markdown(text: String) -> Result<String, AppError> {
    auth::authorize(Access::SignedIn)?;
    check_body(&text).map_err(|m| AppError::invalid("text", m))?;
    crate::markdown::to_safe_html_off_thread(text)
        .await
        .map_err(internal)
}
