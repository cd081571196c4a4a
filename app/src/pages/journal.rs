//! `/journal` (the list and a new entry) and `/journal/:id` (the editor, history and bin).

use crate::api::journal::{
    entry_history, get_entry, list_entries, preview_markdown, CreateEntry, EntrySave,
    RestoreRevision, SaveEntry, SetEntryDeleted,
};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{echo_or, textarea_html, use_form_error, FormAlert, TextField};
use crate::components::session_guard::Private;
use crate::domain::journal::{EntryView, Revision, SaveOutcome};
use crate::domain::time::utc_minute;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The journal list and a form for a new entry (signed-in only).
#[component]
pub fn JournalPage() -> impl IntoView {
    view! {
        <Title text="Reflection journal" />
        <Private children=|_| view! { <JournalList /> } />
    }
}

#[component]
fn JournalList() -> impl IntoView {
    let query = use_query_map();
    let bin = move || query.read().get("bin").is_some();
    let entries = Resource::new(bin, list_entries);
    let create = ServerAction::<CreateEntry>::new();
    let error = use_form_error(create);
    Effect::new(move |_| {
        if let Some(Ok(id)) = create.value().get() {
            let _ = window().location().set_href(&format!("/journal/{id}"));
        }
    });
    let prefill = move |k: &str| query.read().get(k).unwrap_or_default();
    // A refused plain form post (JavaScript off) comes back as it was typed.
    let new_body = echo_or("entry[body]", String::new());
    view! {
        <h1>"Reflection journal"</h1>
        <p class="lead">"Private to you. Share an entry only when you choose to, as evidence."</p>
        <p>
            {move || {
                if bin() {
                    view! { <A href="/journal">"Back to your entries"</A> }.into_any()
                } else {
                    view! { <A href="/journal?bin=1">"Bin (deleted entries)"</A> }.into_any()
                }
            }}
        </p>
        <Suspense fallback=|| view! { <p class="loading">"Loading your entries…"</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) if list.is_empty() => view! { <p>"No entries here yet."</p> }.into_any(),
                    Ok(list) => {
                        view! {
                            <ul class="entry-list">
                                {list
                                    .into_iter()
                                    .map(|e| {
                                        view! {
                                            <li>
                                                <A href=format!("/journal/{}", e.id)>{e.title}</A>
                                                <span class="meta">
                                                    {e.competency.map(|c| format!(" · {c}"))}
                                                    {format!(" · saved {}", utc_minute(e.updated_at))}
                                                </span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
        <section class="section narrow" aria-labelledby="new-entry-heading">
            <h2 id="new-entry-heading">"New entry"</h2>
            <ActionForm action=create>
                <input type="hidden" name="entry[framework]" value=move || prefill("framework") />
                <input type="hidden" name="entry[competency]" value=move || prefill("competency") />
                <input type="hidden" name="entry[unit]" value=move || prefill("unit") />
                <FormAlert error fields=&["entry[title]", "entry[body]"] />
                <TextField label="Title" name="entry[title]" value=prefill("title") error />
                <div class="field">
                    <label for="field-entry[body]">"Your reflection"</label>
                    <p class="field__hint">"Markdown: **bold**, *italic*, - lists. Up to 100 KB."</p>
                    <textarea id="field-entry[body]" name="entry[body]" rows="8" inner_html=textarea_html(&new_body) prop:defaultValue=new_body.clone()></textarea>
                </div>
                <button class="button" type="submit">
                    "Create entry"
                </button>
            </ActionForm>
        </section>
    }
}

/// One entry's editor (signed-in only; someone else's entry is not found).
#[component]
pub fn JournalEntryPage() -> impl IntoView {
    view! {
        <Title text="Journal entry" />
        <Private children=|_| view! { <EntryLoader /> } />
    }
}

#[component]
fn EntryLoader() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    // Both at one level: a Suspense nested inside this one raced hydration (issue 4).
    let entry = Resource::new(id, get_entry);
    let history = Resource::new(id, entry_history);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the entry…"</p> }>
            {move || Suspend::new(async move {
                let (entry, history) = (entry.await, history.await);
                match entry {
                    Ok(entry) => view! { <Editor entry history=history.unwrap_or_default() /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What this device keeps of an entry being written until the server has it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Draft {
    title: String,
    body: String,
    /// The version the text was written on.
    base: i64,
}

fn draft_key(id: i64) -> String {
    format!("mcf.journal.draft.{id}")
}

/// What the save status line says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SaveState {
    Idle,
    /// Typed; a save follows when the typing pauses.
    Waiting,
    Saving,
    /// Saved (at this time, when known).
    Saved(Option<i64>),
    /// No connection: kept on this device, sent when the connection returns.
    Offline,
    /// Refused because it was based on an older version: the author reconciles, then saves.
    Held,
    /// Refused for a reason shown beside the form.
    Failed,
}

/// How long typing must pause before an autosave.
const AUTOSAVE_AFTER_MS: u64 = 800;
const TITLE_ID: &str = "field-entry[title]";
const BODY_ID: &str = "field-entry[body]";

#[component]
fn Editor(entry: EntryView, history: Vec<Revision>) -> impl IntoView {
    let save = ServerAction::<SaveEntry>::new();
    let error = use_form_error(save);
    let query = use_query_map();
    let id = entry.id;
    let key = draft_key(id);
    // A refused text waiting on the server: start from it, on top of the current version.
    let (title_text, body_text) = match &entry.refused {
        Some(mine) => (mine.title.clone(), mine.body.clone()),
        None => (entry.title.clone(), entry.body.clone()),
    };
    // A refused plain form post (JavaScript off) comes back as it was typed.
    let title_text = echo_or("entry[title]", title_text);
    let body_text = echo_or("entry[body]", body_text);
    let title = RwSignal::new(title_text.clone());
    let body = RwSignal::new(body_text.clone());
    let base = RwSignal::new(entry.version);
    let conflict = RwSignal::new(entry.refused.clone().map(|mine| (entry.clone(), mine)));
    let plain_saved = query.read_untracked().get("saved").is_some() && entry.refused.is_none();
    let state = RwSignal::new(if plain_saved {
        SaveState::Saved(None)
    } else {
        SaveState::Idle
    });
    // The text the server holds at `base`, and the text of the save under way.
    let server_text = StoredValue::new((entry.title.clone(), entry.body.clone()));
    let in_flight = StoredValue::new(None::<(String, String)>);
    let again = StoredValue::new(false);
    let typing = StoredValue::new(0_u64);

    let keep_draft = {
        let key = key.clone();
        move || {
            let draft = Draft {
                title: title.get_untracked(),
                body: body.get_untracked(),
                base: base.get_untracked(),
            };
            crate::browser::store(&key, &draft);
        }
    };
    // Sends the text unless nothing changed; `force` is the Save button (it also saves over a
    // conflict, once the author has reconciled).
    let flush = {
        let key = key.clone();
        move |force: bool| {
            if conflict.get_untracked().is_some() && !force {
                state.set(SaveState::Held);
                return;
            }
            if save.pending().get_untracked() {
                again.set_value(true);
                return;
            }
            let text = (title.get_untracked(), body.get_untracked());
            let holding = conflict.get_untracked().is_some();
            if text == server_text.get_value() && !holding {
                crate::browser::forget(&key);
                if force {
                    state.set(SaveState::Saved(None));
                }
                return;
            }
            if !crate::browser::online() {
                state.set(SaveState::Offline);
                return;
            }
            in_flight.set_value(Some(text.clone()));
            state.set(SaveState::Saving);
            save.dispatch(SaveEntry {
                entry: EntrySave {
                    id,
                    base_version: base.get_untracked(),
                    title: text.0,
                    body: text.1,
                    autosave: !force,
                },
            });
        }
    };
    let flush = StoredValue::new(flush);

    Effect::new({
        let key = key.clone();
        move |_| {
            let Some(result) = save.value().get() else {
                return;
            };
            let mut sent = None;
            in_flight.update_value(|v| sent = v.take());
            match result {
                Ok(SaveOutcome::Saved { version, saved_at }) => {
                    base.set(version);
                    conflict.set(None);
                    state.set(SaveState::Saved(Some(saved_at)));
                    if let Some(sent) = sent {
                        let now = (title.get_untracked(), body.get_untracked());
                        if now == sent {
                            crate::browser::forget(&key);
                        }
                        server_text.set_value(sent);
                    }
                }
                Ok(SaveOutcome::Conflict { current, mine }) => {
                    base.set(current.version);
                    server_text.set_value((current.title.clone(), current.body.clone()));
                    conflict.set(Some((*current, *mine)));
                    state.set(SaveState::Held);
                }
                Err(AppError::Transport(_)) => state.set(SaveState::Offline),
                Err(_) => state.set(SaveState::Failed),
            }
            if again.get_value() {
                again.set_value(false);
                flush.with_value(|f| f(false));
            }
        }
    });

    // In the browser only: pick up a draft this device kept (a reload, a lost connection, a
    // closed tab), and send it when the connection returns.
    Effect::new({
        let key = key.clone();
        move |_| {
            if let Some(draft) = crate::browser::load::<Draft>(&key) {
                let shown = (title.get_untracked(), body.get_untracked());
                if (draft.title.clone(), draft.body.clone()) != shown {
                    crate::browser::set_field_value(TITLE_ID, &draft.title);
                    crate::browser::set_field_value(BODY_ID, &draft.body);
                    title.set(draft.title);
                    body.set(draft.body);
                    // Saved on the version it was written on: if the entry moved on since, the
                    // server keeps the text and answers with both to reconcile.
                    base.set(draft.base);
                    state.set(SaveState::Waiting);
                    flush.with_value(|f| f(false));
                } else {
                    crate::browser::forget(&key);
                }
            }
            let online = window_event_listener(leptos::ev::online, move |_| {
                flush.with_value(|f| f(false));
            });
            let offline = window_event_listener(leptos::ev::offline, move |_| {
                if matches!(
                    state.get_untracked(),
                    SaveState::Waiting | SaveState::Saving
                ) {
                    state.set(SaveState::Offline);
                }
            });
            on_cleanup(move || {
                online.remove();
                offline.remove();
            });
        }
    });

    let on_input = move |_| {
        if let Some(t) = crate::browser::field_value(TITLE_ID) {
            title.set(t);
        }
        if let Some(b) = crate::browser::field_value(BODY_ID) {
            body.set(b);
        }
        keep_draft();
        if state.get_untracked() != SaveState::Held {
            state.set(if crate::browser::online() {
                SaveState::Waiting
            } else {
                SaveState::Offline
            });
        }
        typing.update_value(|n| *n += 1);
        let mine = typing.get_value();
        set_timeout(
            move || {
                // `try_`: the page may have gone by now (a submission re-renders it, a
                // link leaves it); a disposed value must not be read (issue 15).
                if typing.try_get_value() == Some(mine) {
                    flush.with_value(|f| f(false));
                }
            },
            std::time::Duration::from_millis(AUTOSAVE_AFTER_MS),
        );
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        flush.with_value(|f| f(true));
    };
    let status = move || match state.get() {
        SaveState::Idle => String::new(),
        SaveState::Waiting => "Changes not saved yet…".to_owned(),
        SaveState::Saving => "Saving…".to_owned(),
        SaveState::Saved(Some(at)) => format!("Saved at {}", crate::browser::local_time(at)),
        SaveState::Saved(None) => "Saved".to_owned(),
        SaveState::Offline => {
            "Offline: kept on this device, sent when the connection returns".to_owned()
        }
        SaveState::Held => "Not saved: compare the two texts above, then press Save".to_owned(),
        SaveState::Failed => "Not saved: see the message above".to_owned(),
    };
    let preview = Action::new(|text: &String| preview_markdown(text.clone()));
    let save_url = <SaveEntry as leptos::server_fn::ServerFn>::url();
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>
                    <A href="/journal">"Journal"</A>
                </li>
                <li aria-current="page">{entry.title.clone()}</li>
            </ol>
        </nav>
        <h1>{entry.title.clone()}</h1>
        {entry.prompt.clone().map(|p| view! { <p class="prompt"><strong>"Prompt: "</strong>{p}</p> })}
        {entry.deleted.then(|| view! { <BinNotice id deleted=true /> })}
        {move || conflict.get().map(|(current, mine)| view! { <ConflictPanel current mine /> })}
        <form action=save_url method="post" on:submit=on_submit on:input=on_input>
            <input type="hidden" name="entry[id]" value=id />
            <input type="hidden" name="entry[base_version]" value=move || base.get().to_string() />
            <FormAlert error fields=&["entry[title]", "entry[body]"] />
            <TextField label="Title" name="entry[title]" value=title_text error />
            <div class="field" class:field--invalid=move || error.get().is_some_and(|e| e.field == "entry[body]")>
                <label for=BODY_ID>"Your reflection"</label>
                <p class="field__hint">"Markdown: **bold**, *italic*, - lists. Up to 100 KB. Saved as you type."</p>
                <textarea id=BODY_ID name="entry[body]" rows="14" inner_html=textarea_html(&body_text) prop:defaultValue=body_text></textarea>
            </div>
            <div class="checklist__actions">
                <button class="button" type="submit">
                    "Save"
                </button>
                <button
                    class="button button--small js-only"
                    type="button"
                    on:click=move |_| {
                        preview.dispatch(body.get_untracked());
                    }
                >
                    "Preview"
                </button>
                <span class="save-status" role="status" aria-live="polite">{status}</span>
            </div>
        </form>
        {move || {
            preview
                .value()
                .get()
                .map(|r| match r {
                    Ok(html) => {
                        view! {
                            <section class="preview" aria-label="Preview">
                                <div class="prose" inner_html=html></div>
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <p class="form-alert">{e.to_string()}</p> }.into_any(),
                })
        }}
        <History id version=base revisions=history />
        {(!entry.deleted).then(|| view! { <BinNotice id deleted=false /> })}
    }
}

#[component]
fn ConflictPanel(current: EntryView, mine: Revision) -> impl IntoView {
    view! {
        <section class="conflict" role="alert" aria-labelledby="conflict-heading">
            <h2 id="conflict-heading">"This entry was changed somewhere else"</h2>
            <p>
                "Another tab or device saved a newer version while you were writing. Nothing is lost: your text is in the editor below. Compare, combine what you want to keep, then save."
            </p>
            <div class="conflict__columns">
                <div>
                    <h3>{format!("Saved elsewhere (version {})", current.version)}</h3>
                    <pre class="conflict__text">{current.body}</pre>
                </div>
                <div>
                    <h3>"Yours (in the editor)"</h3>
                    <pre class="conflict__text">{mine.body}</pre>
                </div>
            </div>
        </section>
    }
}

#[component]
fn History(id: i64, version: RwSignal<i64>, revisions: Vec<Revision>) -> impl IntoView {
    let restore = ServerAction::<RestoreRevision>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = restore.value().get() {
            let _ = window()
                .location()
                .set_href(&format!("/journal/{id}?saved=1"));
        }
    });
    view! {
        <details class="history">
            <summary>"History"</summary>
            <ol class="history__list">
                {revisions
                    .into_iter()
                    .map(|r| {
                        let label = if r.version == 0 {
                            format!("Not saved (based on version {}) · {}", r.based_on, utc_minute(r.saved_at))
                        } else {
                            format!("Version {} · {}", r.version, utc_minute(r.saved_at))
                        };
                        view! {
                            <li>
                                <details>
                                    <summary>{label}</summary>
                                    <pre class="conflict__text">{r.body.clone()}</pre>
                                    <ActionForm action=restore>
                                        <input type="hidden" name="id" value=id />
                                        <input type="hidden" name="revision_id" value=r.id />
                                        <input type="hidden" name="base_version" value=move || version.get().to_string() />
                                        <button class="button button--small" type="submit">
                                            "Restore this text"
                                        </button>
                                    </ActionForm>
                                </details>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </details>
    }
}

#[component]
fn BinNotice(id: i64, deleted: bool) -> impl IntoView {
    let action = ServerAction::<SetEntryDeleted>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            let _ = window().location().set_href(&format!("/journal/{id}"));
        }
    });
    view! {
        <div class=if deleted { "notice" } else { "danger-zone" }>
            {deleted.then(|| view! { <p>"This entry is in the bin."</p> })}
            <ActionForm action>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="deleted" value=if deleted { "false" } else { "true" } />
                <button class=if deleted { "button" } else { "button button--small button--danger" } type="submit">
                    {if deleted { "Undo: take it out of the bin" } else { "Move to the bin" }}
                </button>
            </ActionForm>
        </div>
    }
}
