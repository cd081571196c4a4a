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

use crate::t;

/// The journal list and a form for a new entry (signed-in only).
#[component]
pub fn JournalPage() -> impl IntoView {
    view! {
        <Title text=t!(journal.title) />
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
        <h1>{t!(journal.title)}</h1>
        <p class="lead">{t!(journal.lead)}</p>
        <p>
            {move || {
                if bin() {
                    view! { <A exact=true href="/journal">{t!(journal.back_to_entries)}</A> }.into_any()
                } else {
                    view! { <A exact=true href="/journal?bin=1">{t!(journal.bin_link)}</A> }.into_any()
                }
            }}
        </p>
        <Suspense fallback=|| view! { <p class="loading">{t!(journal.loading_entries)}</p> }>
            {move || Suspend::new(async move {
                match entries.await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(journal.no_entries)}</p> }.into_any(),
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
                                                    {crate::i18n::k::journal::list_saved(utc_minute(e.updated_at))}
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
            <h2 id="new-entry-heading">{t!(journal.new_entry_heading)}</h2>
            <ActionForm action=create>
                <input type="hidden" name="entry[framework]" value=move || prefill("framework") />
                <input type="hidden" name="entry[competency]" value=move || prefill("competency") />
                <input type="hidden" name="entry[unit]" value=move || prefill("unit") />
                <FormAlert error fields=&["entry[title]", "entry[body]"] />
                <TextField label=t!(journal.field_title) name="entry[title]" value=prefill("title") error />
                <div class="field">
                    <label for="field-entry[body]">{t!(journal.body_label)}</label>
                    <p class="field__hint">{t!(journal.body_hint)}</p>
                    <textarea id="field-entry[body]" name="entry[body]" rows="8" inner_html=textarea_html(&new_body) prop:defaultValue=new_body.clone()></textarea>
                </div>
                <button class="button" type="submit">
                    {t!(journal.create_entry)}
                </button>
            </ActionForm>
        </section>
    }
}

/// One entry's editor (signed-in only; someone else's entry is not found).
#[component]
pub fn JournalEntryPage() -> impl IntoView {
    view! {
        <Title text=t!(journal.entry_title) />
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
        <Suspense fallback=|| view! { <p class="loading">{t!(journal.loading_entry)}</p> }>
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
        Status::Waiting => t!(journal.status_waiting).to_owned(),
        Status::Saving => t!(journal.status_saving).to_owned(),
        Status::Saved(Some(at)) => {
            crate::i18n::k::journal::status_saved_at(crate::domain::time::utc_clock(at))
        }
        Status::Saved(None) => t!(journal.status_saved).to_owned(),
        Status::Offline => t!(journal.status_offline).to_owned(),
        Status::Conflict => t!(journal.status_conflict).to_owned(),
        Status::Failed => t!(journal.status_failed).to_owned(),
    };
    let preview = Action::new(|text: &String| preview_markdown(text.clone()));
    let save_url = <SaveEntry as leptos::server_fn::ServerFn>::url();
    view! {
        <nav aria-label=t!(journal.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href="/journal">{t!(journal.breadcrumb_journal)}</A>
                </li>
                <li aria-current="page">{entry.title.clone()}</li>
            </ol>
        </nav>
        <h1>{entry.title.clone()}</h1>
        {entry.prompt.clone().map(|p| view! { <p class="prompt"><strong>{t!(journal.prompt_label)}</strong>{p}</p> })}
        {entry.deleted.then(|| view! { <BinNotice id deleted=true /> })}
        {move || conflict.get().map(|(current, mine)| view! { <ConflictPanel current mine /> })}
        <form action=save_url method="post" node_ref=form on:submit=on_submit on:input=on_input>
            <input type="hidden" name="entry[id]" value=id />
            <input type="hidden" name="entry[base_version]" value=move || base.get().to_string() />
            <FormAlert error fields=&["entry[title]", "entry[body]"] />
            <TextField label=t!(journal.field_title) name="entry[title]" value=title_text error />
            <div class="field" class:field--invalid=move || error.get().is_some_and(|e| e.field == "entry[body]")>
                <label for="field-entry[body]">{t!(journal.body_label)}</label>
                <p class="field__hint">
                    {t!(journal.body_hint)}
                    <span class="js-only">{t!(journal.saved_as_you_type)}</span>
                </p>
                <textarea id="field-entry[body]" name="entry[body]" rows="14" inner_html=textarea_html(&body_text) prop:defaultValue=body_text></textarea>
            </div>
            <div class="checklist__actions">
                <button class="button" type="submit">
                    {t!(journal.save)}
                </button>
                <button
                    class="button button--small js-only"
                    type="button"
                    on:click=move |_| {
                        preview.dispatch(body.get_untracked());
                    }
                >
                    {t!(journal.preview)}
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
                            <section class="preview" aria-label=t!(journal.preview)>
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
            <h2 id="conflict-heading">{t!(journal.conflict_heading)}</h2>
            <p>
                {t!(journal.conflict_text)}
            </p>
            <div class="conflict__columns">
                <div>
                    <h3>{crate::i18n::k::journal::conflict_elsewhere(current.version)}</h3>
                    <pre class="conflict__text">{current.body}</pre>
                </div>
                <div>
                    <h3>{t!(journal.conflict_yours)}</h3>
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
            <summary>{t!(journal.history)}</summary>
            <ol class="history__list">
                {revisions
                    .into_iter()
                    .map(|r| {
                        let label = if r.version == 0 {
                            crate::i18n::k::journal::history_unsaved(r.based_on, utc_minute(r.saved_at))
                        } else {
                            crate::i18n::k::journal::history_version(r.version, utc_minute(r.saved_at))
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
                                            {t!(journal.restore)}
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
            {deleted.then(|| view! { <p>{t!(journal.in_bin)}</p> })}
            <ActionForm action>
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="deleted" value=if deleted { "false" } else { "true" } />
                <button class=if deleted { "button" } else { "button button--small button--danger" } type="submit">
                    {if deleted { t!(journal.undo_bin) } else { t!(journal.move_to_bin) }}
                </button>
            </ActionForm>
        </div>
    }
}
