//! `/journal` (the list and a new entry) and `/journal/:id` (the editor, history and bin).

use crate::api::journal::{
    entry_history, get_entry, list_entries, preview_markdown, CreateEntry, RestoreRevision,
    SaveEntry, SetEntryDeleted,
};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert, TextField};
use crate::components::session_guard::Private;
use crate::domain::journal::{EntryView, Revision, SaveOutcome};
use crate::domain::time::utc_minute;
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
                    <textarea id="field-entry[body]" name="entry[body]" rows="8"></textarea>
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
    let entry = Resource::new(id, get_entry);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the entry…"</p> }>
            {move || Suspend::new(async move {
                match entry.await {
                    Ok(entry) => view! { <Editor entry /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Editor(entry: EntryView) -> impl IntoView {
    let save = ServerAction::<SaveEntry>::new();
    let error = use_form_error(save);
    let query = use_query_map();
    // A refused text waiting on the server: start from it, on top of the current version.
    let (title, body) = match &entry.refused {
        Some(mine) => (mine.title.clone(), mine.body.clone()),
        None => (entry.title.clone(), entry.body.clone()),
    };
    let base = RwSignal::new(entry.version);
    let conflict = RwSignal::new(entry.refused.clone().map(|mine| (entry.clone(), mine)));
    let saved_at = RwSignal::new(None::<i64>);
    Effect::new(move |_| match save.value().get() {
        Some(Ok(SaveOutcome::Saved {
            version,
            saved_at: at,
        })) => {
            base.set(version);
            conflict.set(None);
            saved_at.set(Some(at));
        }
        Some(Ok(SaveOutcome::Conflict { current, mine })) => {
            base.set(current.version);
            conflict.set(Some((*current, *mine)));
        }
        _ => {}
    });
    let status = move || {
        if save.pending().get() {
            Some("Saving…".to_owned())
        } else if let Some(at) = saved_at.get() {
            Some(format!("Saved at {}", utc_minute(at)))
        } else if query.read().get("saved").is_some() && conflict.get().is_none() {
            Some("Saved".to_owned())
        } else {
            None
        }
    };
    let body_ref = NodeRef::<leptos::html::Textarea>::new();
    let preview = Action::new(|text: &String| preview_markdown(text.clone()));
    let id = entry.id;
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
        <ActionForm action=save>
            <input type="hidden" name="entry[id]" value=id />
            <input type="hidden" name="entry[base_version]" value=move || base.get().to_string() />
            <FormAlert error fields=&["entry[title]", "entry[body]"] />
            <TextField label="Title" name="entry[title]" value=title error />
            <div class="field" class:field--invalid=move || error.get().is_some_and(|e| e.field == "entry[body]")>
                <label for="field-entry[body]">"Your reflection"</label>
                <p class="field__hint">"Markdown: **bold**, *italic*, - lists. Up to 100 KB."</p>
                <textarea id="field-entry[body]" name="entry[body]" rows="14" node_ref=body_ref>
                    {body}
                </textarea>
            </div>
            <div class="checklist__actions">
                <button class="button" type="submit">
                    "Save"
                </button>
                <button
                    class="button button--small js-only"
                    type="button"
                    on:click=move |_| {
                        if let Some(t) = body_ref.get() {
                            preview.dispatch(t.value());
                        }
                    }
                >
                    "Preview"
                </button>
                <span class="save-status" role="status" aria-live="polite">{status}</span>
            </div>
        </ActionForm>
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
        <History id version=entry.version />
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
fn History(id: i64, version: i64) -> impl IntoView {
    let restore = ServerAction::<RestoreRevision>::new();
    Effect::new(move |_| {
        if let Some(Ok(_)) = restore.value().get() {
            let _ = window()
                .location()
                .set_href(&format!("/journal/{id}?saved=1"));
        }
    });
    let history = Resource::new(move || id, entry_history);
    view! {
        <details class="history">
            <summary>"History"</summary>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let revisions = history.await.unwrap_or_default();
                    view! {
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
                                                    <input type="hidden" name="base_version" value=version />
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
                    }
                })}
            </Suspense>
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
