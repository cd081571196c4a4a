//! `/journal` (the list and a new entry) and `/journal/:id` (the editor, history and bin).

use crate::api::journal::{
    entry_history, get_entry, list_entries, preview_markdown, CreateEntry, EntrySave,
    RestoreRevision, SaveEntry, SetEntryDeleted,
};
use crate::components::autosave::use_autosave;
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{echo_or, textarea_html, use_form_error, FormAlert, TextField};
use crate::components::session_guard::Private;
use crate::domain::autosave::{Answer, Status};
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
                    view! { <A exact=true href="/journal">"Back to your entries"</A> }.into_any()
                } else {
                    view! { <A exact=true href="/journal?bin=1">"Bin (deleted entries)"</A> }.into_any()
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
                                                <A exact=true href=format!("/journal/{}", e.id)>{e.title}</A>
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
    let form = NodeRef::<leptos::html::Form>::new();
    // The text the server holds at `base`, and the text of the save under way.
    let server_text = StoredValue::new((entry.title.clone(), entry.body.clone()));
    let in_flight = StoredValue::new(None::<(String, String)>);

    // Sends the text unless the server has it already; `forced` is the Save button (it also
    // saves over a conflict, once the author has reconciled).
    let autosave = use_autosave(
        if entry.refused.is_some() {
            Status::Conflict
        } else if plain_saved {
            Status::Saved(None)
        } else {
            Status::Idle
        },
        {
            let key = key.clone();
            move |forced: bool| {
                let text = (title.get_untracked(), body.get_untracked());
                let holding = conflict.get_untracked().is_some();
                if text == server_text.get_value() && !holding {
                    crate::browser::forget(&key);
                    return false;
                }
                in_flight.set_value(Some(text.clone()));
                save.dispatch(SaveEntry {
                    entry: EntrySave {
                        id,
                        base_version: base.get_untracked(),
                        title: text.0,
                        body: text.1,
                        autosave: !forced,
                    },
                });
                true
            }
        },
    );

    Effect::new({
        let key = key.clone();
        move |_| {
            let Some(result) = save.value().get() else {
                return;
            };
            let mut sent = None;
            in_flight.update_value(|v| sent = v.take());
            let answer = match result {
                Ok(SaveOutcome::Saved { version, saved_at }) => {
                    base.set(version);
                    conflict.set(None);
                    if let Some(sent) = sent {
                        let now = (title.get_untracked(), body.get_untracked());
                        if now == sent {
                            crate::browser::forget(&key);
                        }
                        server_text.set_value(sent);
                    }
                    Answer::Saved(saved_at)
                }
                Ok(SaveOutcome::Conflict { current, mine }) => {
                    base.set(current.version);
                    server_text.set_value((current.title.clone(), current.body.clone()));
                    conflict.set(Some((*current, *mine)));
                    Answer::Conflict
                }
                Err(AppError::Transport(_)) => Answer::Unreachable,
                Err(_) => Answer::Refused,
            };
            autosave.answered(answer);
        }
    });

    // In the browser only: pick up a draft this device kept (a reload, a lost connection, a
    // closed tab) and send it.
    Effect::new({
        let key = key.clone();
        move |_| {
            let Some(draft) = crate::browser::load::<Draft>(&key) else {
                return;
            };
            let shown = (title.get_untracked(), body.get_untracked());
            if (draft.title.clone(), draft.body.clone()) == shown {
                crate::browser::forget(&key);
                return;
            }
            if let Some(form) = form.get_untracked() {
                crate::browser::set_form_field(&form, "entry[title]", &draft.title);
                crate::browser::set_form_field(&form, "entry[body]", &draft.body);
            }
            title.set(draft.title);
            body.set(draft.body);
            // Saved on the version it was written on: if the entry moved on since, the server
            // keeps the text and answers with both to reconcile.
            base.set(draft.base);
            autosave.restored();
        }
    });

    let on_input = move |ev: leptos::ev::Event| {
        if let Some(form) = form.get_untracked() {
            if let Some(t) = crate::browser::form_field(&form, "entry[title]") {
                title.set(t);
            }
            if let Some(b) = crate::browser::form_field(&form, "entry[body]") {
                body.set(b);
            }
        }
        let _ = ev;
        crate::browser::store(
            &key,
            &Draft {
                title: title.get_untracked(),
                body: body.get_untracked(),
                base: base.get_untracked(),
            },
        );
        autosave.typed();
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        autosave.save_now();
    };
    let status = move || match autosave.status() {
        Status::Idle => String::new(),
        Status::Waiting => "Changes not saved yet…".to_owned(),
        Status::Saving => "Saving…".to_owned(),
        Status::Saved(Some(at)) => format!("Saved at {}", crate::domain::time::utc_clock(at)),
        Status::Saved(None) => "Saved".to_owned(),
        Status::Offline => {
            "Offline: kept on this device, sent when the connection returns".to_owned()
        }
        Status::Conflict => "Not saved: compare the two texts above, then press Save".to_owned(),
        Status::Failed => "Not saved: see the message above".to_owned(),
    };
    let preview = Action::new(|text: &String| preview_markdown(text.clone()));
    let save_url = <SaveEntry as leptos::server_fn::ServerFn>::url();
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href="/journal">"Journal"</A>
                </li>
                <li aria-current="page">{entry.title.clone()}</li>
            </ol>
        </nav>
        <h1>{entry.title.clone()}</h1>
        {entry.prompt.clone().map(|p| view! { <p class="prompt"><strong>"Prompt: "</strong>{p}</p> })}
        {entry.deleted.then(|| view! { <BinNotice id deleted=true /> })}
        {move || conflict.get().map(|(current, mine)| view! { <ConflictPanel current mine /> })}
        <form action=save_url method="post" node_ref=form on:submit=on_submit on:input=on_input>
            <input type="hidden" name="entry[id]" value=id />
            <input type="hidden" name="entry[base_version]" value=move || base.get().to_string() />
            <FormAlert error fields=&["entry[title]", "entry[body]"] />
            <TextField label="Title" name="entry[title]" value=title_text error />
            <div class="field" class:field--invalid=move || error.get().is_some_and(|e| e.field == "entry[body]")>
                <label for="field-entry[body]">"Your reflection"</label>
                <p class="field__hint">
                    "Markdown: **bold**, *italic*, - lists. Up to 100 KB."
                    <span class="js-only">" Saved as you type."</span>
                </p>
                <textarea id="field-entry[body]" name="entry[body]" rows="14" inner_html=textarea_html(&body_text) prop:defaultValue=body_text></textarea>
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
