//! `/frameworks/:framework/competencies/:competency/evidence`: the teacher composes the
//! evidence for a competency (a rationale per indicator; journal entries, files, checklist
//! notes and links chosen as evidence), which saves as they type, then submits it; every
//! attempt and decision stays listed. `…/evidence/preview` shows the draft as the assessor
//! will see it. Everything works as plain forms without JavaScript.

use crate::api::submission::{evidence_path, get_preview, get_workspace, DraftForm, SaveDraft};
use crate::components::assessment::{DecisionView, SnapshotView, StatusLabel};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{echo_or, textarea_html, use_form_error, FieldMessage};
use crate::components::session_guard::Private;
use crate::domain::assessment::{
    AttemptRecord, Decision, DraftIndicator, DraftOutcome, Material, RubricLevel, SubmissionStatus,
    Workspace, RATIONALE_MAX,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Typing pauses this long before the draft is saved.
const AUTOSAVE_AFTER_MS: u64 = 800;
const FORM_ID: &str = "evidence-form";

fn route_key() -> impl Fn() -> (String, String) + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        let p = params.read();
        (
            p.get("framework").unwrap_or_default(),
            p.get("competency").unwrap_or_default(),
        )
    }
}

/// The evidence page (signed-in only).
#[component]
pub fn EvidencePage() -> impl IntoView {
    view! {
        <Title text="Your evidence" />
        <Private children=|_| view! { <Evidence /> } />
    }
}

#[component]
fn Evidence() -> impl IntoView {
    let key = route_key();
    // Bumped after a submission, so the page shows the new state.
    let refresh = RwSignal::new(0_u32);
    let workspace = Resource::new(
        move || (key(), refresh.get()),
        |((f, c), _)| get_workspace(f, c),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading your evidence…"</p> }>
            {move || Suspend::new(async move {
                match workspace.await {
                    Ok(ws) => view! { <EvidenceBody ws refresh /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EvidenceBody(ws: Workspace, refresh: RwSignal<u32>) -> impl IntoView {
    let query = use_query_map();
    let base = format!(
        "/frameworks/{}/competencies/{}",
        ws.framework, ws.competency
    );
    let submitted_now = query.read_untracked().get("submitted").is_some();
    let attempts = if ws.attempt == 0 {
        format!("You have {} attempts.", ws.attempts_allowed)
    } else {
        format!("Attempt {} of {}.", ws.attempt, ws.attempts_allowed)
    };
    let intro = match (ws.cohort.as_ref(), ws.status) {
        (None, _) => "You are not a teacher in a cohort of this framework yet. Join one through your coordinator's invitation to submit evidence; until then you can read the course and keep your journal.".to_owned(),
        (Some(_), None) => "Explain, indicator by indicator, how your practice shows this competency, and choose the evidence that supports it. Your draft saves as you type; nothing is shared until you submit.".to_owned(),
        (Some(_), Some(SubmissionStatus::Draft)) => "Your draft saves as you type; nothing is shared until you submit.".to_owned(),
        (Some(c), Some(SubmissionStatus::Submitted)) => format!("Submitted to the assessors of {c}. What you submitted is frozen: later changes to your journal do not change it. You will see the decision here."),
        (Some(_), Some(SubmissionStatus::Competent)) => "An assessor judged this competency Competent. Well done.".to_owned(),
        (Some(_), Some(SubmissionStatus::NotYet)) => "Every attempt has been used without reaching Competent. Your coordinator can allow another attempt.".to_owned(),
    };
    let preview_href = format!("{base}/evidence/preview");
    let title = ws.competency_title.clone();
    let crumb = title.clone();
    let has_attempt = ws.attempt > 0;
    let history: Vec<AttemptRecord> = ws
        .history
        .iter()
        .filter(|h| h.status != SubmissionStatus::Draft)
        .cloned()
        .collect();
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>
                    <A href=format!("/frameworks/{}", ws.framework)>"Framework"</A>
                </li>
                <li>
                    <A href=base.clone()>{crumb}</A>
                </li>
                <li aria-current="page">"Evidence"</li>
            </ol>
        </nav>
        <h1>{format!("Evidence: {title}")}</h1>
        <p class="lead">
            <StatusLabel status=ws.status />
            " "
            {ws.cohort.is_some().then_some(attempts)}
        </p>
        {latest_decision(&ws)
            .map(|(attempt, d)| {
                let outcome = if d.competent { "Competent" } else { "Not yet" };
                view! {
                    <section class="callout callout--decision" aria-labelledby="latest-decision-heading">
                        <h2 id="latest-decision-heading">{format!("Attempt {attempt}: {outcome}")}</h2>
                        {(!d.improve.is_empty())
                            .then(|| view! {
                                <h3>"What to improve"</h3>
                                <p class="prose-text">{d.improve.clone()}</p>
                            })}
                        <h3>"Feedback"</h3>
                        <p class="prose-text">{d.feedback.clone()}</p>
                        <p>
                            {if d.competent {
                                view! { <A href="/credentials">"Your credentials"</A> }.into_any()
                            } else {
                                view! { "The assessor's rating and comment are beside each indicator below." }.into_any()
                            }}
                            " · "
                            <a href="#attempts-heading">"Every attempt and decision"</a>
                        </p>
                    </section>
                }
            })}
        {submitted_now
            .then(|| {
                view! {
                    <div class="callout callout--success" role="status">
                        <p>"Submitted for assessment."</p>
                    </div>
                }
            })}
        <p>{intro}</p>
        {has_attempt
            .then(|| {
                view! {
                    <p>
                        <A href=preview_href.clone()>
                            {if ws.editable {
                                "Preview your draft as the assessor will see it"
                            } else {
                                "See what you submitted"
                            }}
                        </A>
                    </p>
                }
            })}
        {ws.editable.then(|| view! { <DraftEditor ws=ws.clone() refresh /> })}
        {(!history.is_empty())
            .then(|| {
                view! {
                    <section class="attempts" aria-labelledby="attempts-heading">
                        <h2 id="attempts-heading">"Attempts and decisions"</h2>
                        {history
                            .into_iter()
                            .map(|h| {
                                view! {
                                    <article class="attempt">
                                        <h3>
                                            {format!("Attempt {} ", h.attempt)}
                                            <StatusLabel status=Some(h.status) />
                                        </h3>
                                        {h
                                            .submitted_at
                                            .map(|at| {
                                                view! {
                                                    <p class="meta">
                                                        {format!("Submitted {}", crate::domain::time::utc_minute(at))}
                                                    </p>
                                                }
                                            })}
                                        {h.decision.map(|d| view! { <DecisionView decision=d heading="Decision" /> })}
                                    </article>
                                }
                            })
                            .collect_view()}
                    </section>
                }
            })}
    }
}

/// A draft as this device keeps it until the server has it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct DeviceCopy {
    /// The version it was edited from.
    base: i64,
    /// The form, as a query string.
    form: String,
}

/// Where the draft's saving stands.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SaveState {
    Idle,
    Waiting,
    Saving,
    Saved(Option<i64>),
    Offline,
    Conflict,
    Failed,
}

#[component]
fn DraftEditor(ws: Workspace, refresh: RwSignal<u32>) -> impl IntoView {
    let save = ServerAction::<SaveDraft>::new();
    let error = use_form_error(save);
    let query = use_query_map();
    let base = RwSignal::new(ws.version);
    let state = RwSignal::new(if query.read_untracked().get("saved").is_some() {
        SaveState::Saved(None)
    } else if query.read_untracked().get("conflict").is_some() {
        SaveState::Conflict
    } else {
        SaveState::Idle
    });
    let dirty = StoredValue::new(false);
    let again = StoredValue::new(false);
    let typing = StoredValue::new(0_u64);
    // Every change is also kept on this device until the server has it (like the journal).
    let key = format!("mcf.evidence.draft.{}.{}", ws.framework, ws.competency);
    let keep = {
        let key = key.clone();
        move || {
            if let Some(form) = crate::browser::form_snapshot(FORM_ID) {
                crate::browser::store(
                    &key,
                    &DeviceCopy {
                        base: base.get_untracked(),
                        form,
                    },
                );
            }
        }
    };

    // Sends what the form holds now (`intent`: autosave, save or submit).
    let send = move |intent: &str, draft: Option<DraftForm>| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData as _;
            let draft = draft.or_else(|| {
                let form = document().get_element_by_id(FORM_ID)?;
                let form: web_sys::HtmlFormElement = wasm_bindgen::JsCast::dyn_into(form).ok()?;
                let data = web_sys::FormData::new_with_form(&form).ok()?;
                SaveDraft::from_form_data(&data).ok().map(|s| s.draft)
            });
            let Some(mut draft) = draft else {
                state.set(SaveState::Failed);
                return;
            };
            draft.intent = intent.to_owned();
            draft.base_version = base.get_untracked();
            dirty.set_value(false);
            state.set(SaveState::Saving);
            save.dispatch(SaveDraft { draft });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (intent, draft);
    };
    let send = StoredValue::new(send);
    let autosave = move || {
        if state.get_untracked() == SaveState::Conflict || !dirty.get_value() {
            return;
        }
        if save.pending().get_untracked() {
            again.set_value(true);
            return;
        }
        if !crate::browser::online() {
            state.set(SaveState::Offline);
            return;
        }
        send.with_value(|s| s("autosave", None));
    };

    let forget_key = key.clone();
    Effect::new(move |_| {
        let Some(result) = save.value().get() else {
            return;
        };
        match result {
            Ok(DraftOutcome::Saved { version, saved_at }) => {
                base.set(version);
                if !dirty.get_value() {
                    crate::browser::forget(&forget_key);
                    state.set(SaveState::Saved(Some(saved_at)));
                }
            }
            Ok(DraftOutcome::Conflict { version }) => {
                // The next press of Save keeps this page's text.
                base.set(version);
                dirty.set_value(true);
                state.set(SaveState::Conflict);
            }
            Ok(DraftOutcome::Submitted { .. }) => {
                crate::browser::forget(&forget_key);
                refresh.update(|n| *n += 1);
                #[cfg(feature = "hydrate")]
                {
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                }
                return;
            }
            Err(AppError::Transport(_)) => {
                dirty.set_value(true);
                state.set(SaveState::Offline);
            }
            Err(_) => {
                dirty.set_value(true);
                state.set(SaveState::Failed);
            }
        }
        if again.get_value() {
            again.set_value(false);
            autosave();
        }
    });
    // In the browser only: pick up what this device kept (a reload, a closed tab, a lost
    // connection) and save it on the version it was written on (a stale one is a conflict,
    // never an overwrite); and send what is waiting when the connection returns.
    let restore_key = key.clone();
    Effect::new(move |_| {
        if let Some(copy) = crate::browser::load::<DeviceCopy>(&restore_key) {
            if crate::browser::form_snapshot(FORM_ID).is_some_and(|now| now != copy.form) {
                crate::browser::restore_form(FORM_ID, &copy.form);
                base.set(copy.base);
                dirty.set_value(true);
                state.set(SaveState::Waiting);
                autosave();
            } else {
                crate::browser::forget(&restore_key);
            }
        }
        let online = window_event_listener(leptos::ev::online, move |_| autosave());
        on_cleanup(move || online.remove());
    });

    let on_input = move |_| {
        dirty.set_value(true);
        keep();
        if state.get_untracked() != SaveState::Conflict {
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
                    autosave();
                }
            },
            std::time::Duration::from_millis(AUTOSAVE_AFTER_MS),
        );
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData as _;
            ev.prevent_default();
            match SaveDraft::from_event(&ev) {
                Ok(s) => {
                    let intent = if s.draft.intent == "submit" {
                        "submit"
                    } else {
                        "save"
                    };
                    send.with_value(|f| f(intent, Some(s.draft)));
                }
                Err(_) => state.set(SaveState::Failed),
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let status = move || {
        match state.get() {
        SaveState::Idle => String::new(),
        SaveState::Waiting => "Changes not saved yet…".to_owned(),
        SaveState::Saving => "Saving…".to_owned(),
        SaveState::Saved(Some(at)) => format!("Draft saved at {}", crate::browser::local_time(at)),
        SaveState::Saved(None) => "Draft saved".to_owned(),
        SaveState::Offline => "Offline: not saved yet; sent when the connection returns".to_owned(),
        SaveState::Conflict => "Not saved: this draft was changed in another window. Press “Save draft” to keep what is on this page.".to_owned(),
        SaveState::Failed => "Not saved: see the message above".to_owned(),
    }
    };
    let save_url = SaveDraft::url();
    let journal = ws.journal.clone();
    let uploads = ws.uploads.clone();
    let back = evidence_path(&ws.framework, &ws.competency);
    view! {
        <form id=FORM_ID class="evidence-form" action=save_url method="post" on:input=on_input on:submit=on_submit>
            <input type="hidden" name="draft[framework]" value=ws.framework.clone() />
            <input type="hidden" name="draft[competency]" value=ws.competency.clone() />
            <input type="hidden" name="draft[base_version]" value=move || base.get().to_string() />
            // Messages about the form as a whole; those about one field show beside it.
            <div class="form-alert" role="alert">
                {move || {
                    error
                        .get()
                        .filter(|e| matches!(e.field.as_str(), "form" | "request" | "draft[evidence]"))
                        .map(|e| view! { <p>{e.message}</p> })
                }}
            </div>
            <ol class="draft-indicators">
                {ws
                    .indicators
                    .iter()
                    .cloned()
                    .map(|ind| {
                        let assessed = assessed_on(&ws, &ind.slug);
                        view! {
                            <IndicatorDraft ind journal=journal.clone() uploads=uploads.clone() error assessed />
                        }
                    })
                    .collect_view()}
            </ol>
            <div class="evidence-form__actions">
                <button class="button button--secondary" type="submit" name="draft[intent]" value="save">
                    "Save draft"
                </button>
                <button class="button" type="submit" name="draft[intent]" value="submit">
                    "Submit for assessment"
                </button>
                <span class="save-status" role="status" aria-live="polite">{status}</span>
            </div>
            <p class="field__hint">
                "Submitting freezes this attempt: the assessor sees your rationales and evidence as they are at that moment."
            </p>
        </form>
        <UploadForm uploads=ws.uploads.clone() back />
    }
}

fn field_error(
    error: Signal<Option<FieldMessage>>,
    name: String,
) -> impl Fn() -> Option<String> + Send + Sync + Clone + 'static {
    move || error.get().filter(|e| e.field == name).map(|e| e.message)
}

/// The latest decision on an earlier attempt, with its attempt number.
fn latest_decision(ws: &Workspace) -> Option<(i64, Decision)> {
    ws.history
        .iter()
        .filter_map(|h| h.decision.clone().map(|d| (h.attempt, d)))
        .max_by_key(|(attempt, _)| *attempt)
}

/// What the assessor of the latest decided attempt said about the indicator `slug`: (attempt,
/// level, comment).
fn assessed_on(ws: &Workspace, slug: &str) -> Option<(i64, RubricLevel, String)> {
    let (attempt, decision) = latest_decision(ws)?;
    decision
        .ratings
        .into_iter()
        .find(|r| r.slug == slug)
        .map(|r| (attempt, r.level, r.comment))
}

#[component]
fn IndicatorDraft(
    ind: DraftIndicator,
    journal: Vec<Material>,
    uploads: Vec<Material>,
    error: Signal<Option<FieldMessage>>,
    /// The assessor's rating and comment on the latest decided attempt, shown by the field.
    assessed: Option<(i64, RubricLevel, String)>,
) -> impl IntoView {
    let slug = ind.slug.clone();
    let rationale_name = format!("draft[rationale][{slug}]");
    let links_name = format!("draft[links][{slug}]");
    let rationale_id = format!("rationale-{slug}");
    let links_id = format!("links-{slug}");
    let rationale_error = field_error(error, rationale_name.clone());
    let links_error = field_error(error, links_name.clone());
    let pick = {
        let slug = slug.clone();
        move |key: String, label: String, detail: String, checked: bool| {
            let id = format!("pick-{slug}-{key}");
            view! {
                <div class="pick">
                    <input type="checkbox" id=id.clone() name=format!("draft[pick][{slug}__{key}]") value="on" checked=checked />
                    <label for=id>
                        {label}
                        {(!detail.is_empty()).then(|| view! { <span class="meta">{format!(" · {detail}")}</span> })}
                    </label>
                </div>
            }
        }
    };
    let checklist = ind.checklist_text.clone().map(|text| {
        pick(
            "checklist".to_owned(),
            "My checklist rating".to_owned(),
            text,
            ind.checklist,
        )
    });
    let journal_picks = journal
        .iter()
        .map(|m| {
            pick(
                format!("j{}", m.id),
                m.title.clone(),
                m.detail.clone(),
                ind.journal.contains(&m.id),
            )
        })
        .collect_view();
    let upload_picks = uploads
        .iter()
        .map(|m| {
            pick(
                format!("u{}", m.id),
                m.title.clone(),
                m.detail.clone(),
                ind.uploads.contains(&m.id),
            )
        })
        .collect_view();
    let nothing = journal.is_empty() && uploads.is_empty() && ind.checklist_text.is_none();
    // What a refused plain form post had typed, else the saved draft.
    let rationale = echo_or(&rationale_name, ind.rationale.clone());
    let links = echo_or(&links_name, ind.links.clone());
    let rationale_bad = {
        let e = rationale_error.clone();
        move || e().is_some()
    };
    let links_bad = {
        let e = links_error.clone();
        move || e().is_some()
    };
    view! {
        <li class="draft-indicator" id=format!("draft-{slug}")>
            <fieldset>
                <legend>{ind.text.clone()}</legend>
                {assessed.map(|(attempt, level, comment)| view! {
                    <p class="indicator-feedback">
                        <strong>{format!("Assessor, attempt {attempt}: {}", level.label())}</strong>
                        {(!comment.is_empty()).then(|| format!(" – {comment}"))}
                    </p>
                })}
                <div class="field" class:field--invalid=rationale_bad>
                    <label for=rationale_id.clone()>"How your evidence shows this"</label>
                    <textarea id=rationale_id.clone() name=rationale_name rows="4" maxlength=RATIONALE_MAX inner_html=textarea_html(&rationale) prop:defaultValue=rationale.clone()></textarea>
                    <p class="field__error" role="alert">{rationale_error}</p>
                </div>
                <fieldset class="picks">
                    <legend>"Evidence for this indicator"</legend>
                    {checklist}
                    {journal_picks}
                    {upload_picks}
                    {nothing
                        .then(|| {
                            view! {
                                <p class="meta">
                                    "Nothing to choose yet: write a journal entry, rate this indicator on your checklist, upload a file below, or add a link."
                                </p>
                            }
                        })}
                </fieldset>
                <div class="field" class:field--invalid=links_bad>
                    <label for=links_id.clone()>"Links (optional)"</label>
                    <p class="field__hint">"One per line: the address, then a label if you like."</p>
                    <textarea id=links_id name=links_name rows="2" inner_html=textarea_html(&links) prop:defaultValue=links.clone()></textarea>
                    <p class="field__error" role="alert">{links_error}</p>
                </div>
            </fieldset>
        </li>
    }
}

/// Uploading a file is a plain form post (multipart), with or without JavaScript; the page
/// comes back with the file listed for every indicator.
#[component]
fn UploadForm(uploads: Vec<Material>, back: String) -> impl IntoView {
    let query = use_query_map();
    let message = move || {
        let q = query.read();
        crate::flash::current(q.get("flash"))
            .filter(|m| m.field == "file")
            .map(|m| m.message)
    };
    let uploaded = move || query.read().get("uploaded").is_some();
    view! {
        <section class="uploads" id="uploads" aria-labelledby="uploads-heading">
            <h2 id="uploads-heading">"Your files"</h2>
            <p>"PDF, PNG or JPEG, up to 10 MB each. Files are seen only by you and, once you submit them, by your cohort's assessors and coordinators."</p>
            {move || uploaded().then(|| view! { <p class="callout callout--success" role="status">"File uploaded: choose it under an indicator above."</p> })}
            <form action="/api/uploads" method="post" enctype="multipart/form-data" class="upload-form">
                <input type="hidden" name="back" value=back />
                <div class="field" class:field--invalid=move || message().is_some()>
                    <label for="upload-file">"File"</label>
                    <input id="upload-file" type="file" name="file" accept="application/pdf,image/png,image/jpeg" required />
                    <p class="field__error" role="alert">{message}</p>
                </div>
                <button class="button button--secondary" type="submit">"Upload"</button>
            </form>
            {(!uploads.is_empty())
                .then(|| {
                    view! {
                        <ul class="upload-list">
                            {uploads
                                .into_iter()
                                .map(|u| {
                                    view! {
                                        <li>
                                            <a href=format!("/uploads/{}", u.id) download>{u.title}</a>
                                            <span class="meta">{format!(" · {}", u.detail)}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </section>
    }
}

/// The preview page (signed-in only).
#[component]
pub fn EvidencePreviewPage() -> impl IntoView {
    view! {
        <Title text="Preview of your evidence" />
        <Private children=|_| view! { <Preview /> } />
    }
}

#[component]
fn Preview() -> impl IntoView {
    let key = route_key();
    let snapshot = Resource::new(key, |(f, c)| get_preview(f, c));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let (framework, competency) = key();
                match snapshot.await {
                    Ok(s) => {
                        let back = evidence_path(&framework, &competency);
                        view! {
                            <nav aria-label="Breadcrumb" class="breadcrumb">
                                <ol>
                                    <li>
                                        <A href=back.clone()>"Evidence"</A>
                                    </li>
                                    <li aria-current="page">"Preview"</li>
                                </ol>
                            </nav>
                            <h1>{format!("{}: as the assessor sees it", s.competency_title)}</h1>
                            <p class="lead">
                                "This is exactly what an assessor is shown, indicator by indicator. Journal entries appear as they are at the moment you submit."
                            </p>
                            <SnapshotView snapshot=s />
                            <p>
                                <A href=back>"Back to your evidence"</A>
                            </p>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
