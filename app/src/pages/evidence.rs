//! `/frameworks/:framework/competencies/:competency/evidence`: the teacher composes the
//! evidence for a competency (a rationale per indicator; journal entries, files, checklist
//! notes and links chosen as evidence), which saves as they type, then submits it; every
//! attempt and decision stays listed. `…/evidence/preview` shows the draft as the assessor
//! will see it. Everything works as plain forms without JavaScript.

use crate::api::submission::{evidence_path, get_preview, get_workspace, SaveDraft};
use crate::components::assessment::{DecisionView, SnapshotView, StatusLabel};
use crate::components::autosave::use_autosave;
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{echo_or, textarea_html, use_form_error, FieldMessage};
use crate::components::session_guard::Private;
use crate::domain::assessment::{
    AttemptRecord, Decision, DraftIndicator, DraftOutcome, Material, RubricLevel, SubmissionStatus,
    Workspace, RATIONALE_MAX,
};
use crate::domain::autosave::{Answer, Status};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

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
        (Some(_), None) => "Explain, indicator by indicator, how your practice shows this competency, and choose the evidence that supports it. Nothing is shared until you submit.".to_owned(),
        (Some(_), Some(SubmissionStatus::Draft)) => "Nothing is shared until you submit.".to_owned(),
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
                    <A exact=true href=format!("/frameworks/{}", ws.framework)>"Framework"</A>
                </li>
                <li>
                    <A exact=true href=base.clone()>{crumb}</A>
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
                                match ws.badge.clone() {
                                    Some(id) => view! {
                                        "You have earned this domain's badge: "
                                        <A exact=true href=format!("/credentials/{id}")>"See your new badge"</A>
                                    }
                                    .into_any(),
                                    None => view! {
                                        "The domain's badge comes when all its competencies are Competent. "
                                        <A exact=true href="/credentials">"Your credentials"</A>
                                    }
                                    .into_any(),
                                }
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
                        <A exact=true href=preview_href.clone()>
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

#[component]
fn DraftEditor(ws: Workspace, refresh: RwSignal<u32>) -> impl IntoView {
    let save = ServerAction::<SaveDraft>::new();
    let error = use_form_error(save);
    let query = use_query_map();
    let base = RwSignal::new(ws.version);
    let form = NodeRef::<leptos::html::Form>::new();
    // A refused submission stays on screen (its summary at the top of the form, each problem
    // beside its field) while the draft is autosaved: the action's next answer (a save) must
    // not wipe it, so it is kept apart from the action's value until the next submission.
    let refusal = RwSignal::new(None::<FieldMessage>);
    // What the next save is for: the Save and Submit buttons set it; autosaves are "autosave".
    let next_intent = StoredValue::new("save");
    let last_intent = StoredValue::new("");
    let shown = Signal::derive(move || error.get().or_else(|| refusal.get()));
    let summary = NodeRef::<leptos::html::Div>::new();
    // Every change is also kept on this device until the server has it (like the journal).
    let key = format!("mcf.evidence.draft.{}.{}", ws.framework, ws.competency);

    // Sends what the form holds now.
    let autosave = use_autosave(
        if query.read_untracked().get("saved").is_some() {
            Status::Saved(None)
        } else if query.read_untracked().get("conflict").is_some() {
            Status::Conflict
        } else {
            Status::Idle
        },
        move |forced: bool| {
            let intent = if forced {
                next_intent.get_value()
            } else {
                "autosave"
            };
            next_intent.set_value("save");
            #[cfg(feature = "hydrate")]
            {
                use leptos::form::FromFormData as _;
                let Some(mut draft) = form
                    .get_untracked()
                    .and_then(|form| web_sys::FormData::new_with_form(&form).ok())
                    .and_then(|data| SaveDraft::from_form_data(&data).ok())
                    .map(|s| s.draft)
                else {
                    return false;
                };
                draft.intent = intent.to_owned();
                draft.base_version = base.get_untracked();
                last_intent.set_value(intent);
                if intent == "submit" {
                    refusal.set(None);
                }
                save.dispatch(SaveDraft { draft });
                true
            }
            #[cfg(not(feature = "hydrate"))]
            {
                let _ = intent;
                false
            }
        },
    );

    let forget_key = key.clone();
    Effect::new(move |_| {
        let Some(result) = save.value().get() else {
            return;
        };
        let answer = match result {
            Ok(DraftOutcome::Saved { version, saved_at }) => {
                base.set(version);
                if !autosave.unsaved() {
                    crate::browser::forget(&forget_key);
                }
                Answer::Saved(saved_at)
            }
            Ok(DraftOutcome::Conflict { version }) => {
                // The next press of Save keeps this page's text.
                base.set(version);
                Answer::Conflict
            }
            Ok(DraftOutcome::Submitted { .. }) => {
                crate::browser::forget(&forget_key);
                autosave.answered(Answer::Saved(0));
                refresh.update(|n| *n += 1);
                #[cfg(feature = "hydrate")]
                {
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                }
                return;
            }
            Err(AppError::Transport(_)) => Answer::Unreachable,
            // Not submitted: say everything at once, move focus to the summary, and keep
            // every word by saving the draft (a refused submission saves nothing).
            Err(e @ AppError::Invalid { .. }) if last_intent.get_value() == "submit" => {
                refusal.set(Some(FieldMessage::from_error(&e)));
                // Once the summary is drawn (an empty one is not displayed, so cannot take
                // focus); `try_`: the page may be gone by then.
                #[cfg(feature = "hydrate")]
                request_animation_frame(move || {
                    if let Some(Some(summary)) = summary.try_get_untracked() {
                        let _ = summary.focus();
                    }
                });
                autosave.answered(Answer::Refused);
                autosave.typed();
                return;
            }
            Err(_) => Answer::Refused,
        };
        autosave.answered(answer);
    });
    // In the browser only: pick up what this device kept (a reload, a closed tab, a lost
    // connection) and save it on the version it was written on (a stale one is a conflict,
    // never an overwrite).
    let restore_key = key.clone();
    Effect::new(move |_| {
        let Some(copy) = crate::browser::load::<DeviceCopy>(&restore_key) else {
            return;
        };
        let Some(form) = form.get_untracked() else {
            return;
        };
        if crate::browser::form_snapshot(&form).is_some_and(|now| now != copy.form) {
            crate::browser::restore_form(&form, &copy.form);
            base.set(copy.base);
            autosave.restored();
        } else {
            crate::browser::forget(&restore_key);
        }
    });

    let on_input = move |_| {
        if let Some(snapshot) = form
            .get_untracked()
            .and_then(|f| crate::browser::form_snapshot(&f))
        {
            crate::browser::store(
                &key,
                &DeviceCopy {
                    base: base.get_untracked(),
                    form: snapshot,
                },
            );
        }
        autosave.typed();
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let submitter = ev
            .submitter()
            .and_then(|b| b.get_attribute("value"))
            .unwrap_or_default();
        next_intent.set_value(if submitter == "submit" {
            "submit"
        } else {
            "save"
        });
        autosave.save_now();
    };
    let status = move || {
        match autosave.status() {
        Status::Idle => String::new(),
        Status::Waiting => "Changes not saved yet…".to_owned(),
        Status::Saving => "Saving…".to_owned(),
        Status::Saved(Some(at)) => format!("Draft saved at {}", crate::domain::time::utc_clock(at)),
        Status::Saved(None) => "Draft saved".to_owned(),
        Status::Offline => "Offline: not saved yet; sent when the connection returns".to_owned(),
        Status::Conflict => "Not saved: this draft was changed in another window. Press “Save draft” to keep what is on this page.".to_owned(),
        Status::Failed => "Not saved: see the message above".to_owned(),
    }
    };
    // A refused submission is said apart from how the draft's saving goes.
    // (Without JavaScript, a refusal comes back as the page's message.)
    let refused =
        move || refusal.get().is_some() || (save.value().get().is_none() && error.get().is_some());
    let status = move || {
        let saving = status();
        match (refused(), saving.is_empty()) {
            (false, _) => saving,
            (true, true) => "Not submitted: see what to fix at the top of the form.".to_owned(),
            (true, false) => {
                format!("Not submitted: see what to fix at the top of the form. {saving}")
            }
        }
    };
    // Where each field the summary may name is, and what to call it there.
    let targets: Vec<(String, String, String)> = ws
        .indicators
        .iter()
        .enumerate()
        .flat_map(|(n, ind)| {
            let n = n + 1;
            [
                (
                    format!("draft[rationale][{}]", ind.slug),
                    format!("Indicator {n}, how your evidence shows it"),
                    format!("rationale-{}", ind.slug),
                ),
                (
                    format!("draft[links][{}]", ind.slug),
                    format!("Indicator {n}, links"),
                    format!("links-{}", ind.slug),
                ),
            ]
        })
        .chain(ws.indicators.first().map(|ind| {
            (
                "draft[evidence]".to_owned(),
                "Evidence".to_owned(),
                format!("draft-{}", ind.slug),
            )
        }))
        .collect();
    let save_url = SaveDraft::url();
    let journal = ws.journal.clone();
    let uploads = ws.uploads.clone();
    let back = evidence_path(&ws.framework, &ws.competency);
    view! {
        <form class="evidence-form" action=save_url method="post" node_ref=form on:input=on_input on:submit=on_submit>
            <input type="hidden" name="draft[framework]" value=ws.framework.clone() />
            <input type="hidden" name="draft[competency]" value=ws.competency.clone() />
            <input type="hidden" name="draft[base_version]" value=move || base.get().to_string() />
            // Every problem at once, each leading to its field (which also says it).
            <ProblemSummary error=shown targets node=summary />
            <ol class="draft-indicators">
                {ws
                    .indicators
                    .iter()
                    .cloned()
                    .map(|ind| {
                        let assessed = assessed_on(&ws, &ind.slug);
                        view! {
                            <IndicatorDraft ind journal=journal.clone() uploads=uploads.clone() error=shown assessed />
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
                <span class="js-only">"Your draft saves as you type. "</span>
                "Submitting freezes this attempt: the assessor sees your rationales and evidence as they are at that moment."
            </p>
        </form>
        <UploadForm uploads=ws.uploads.clone() back />
    }
}

/// The problems of a refused form, all at once (the pattern of GOV.UK's error summary): a
/// count, then each problem as a link to its field (`targets`: field name, what to call it,
/// the element's id); a problem about no listed field is said as it is. Empty when there is
/// nothing wrong. Its id is where a refused plain form post lands
/// ([`crate::flash::PROBLEMS_ANCHOR`]); it takes focus when the page moves it there.
#[component]
fn ProblemSummary(
    error: Signal<Option<FieldMessage>>,
    targets: Vec<(String, String, String)>,
    node: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    let anchor = crate::flash::PROBLEMS_ANCHOR.trim_start_matches('#');
    view! {
        <div class="problem-summary" id=anchor tabindex="-1" node_ref=node aria-labelledby="problem-heading">
            {move || {
                error
                    .get()
                    .map(|e| {
                        let problems = e.problems();
                        let heading = match problems.len() {
                            1 => "One thing to fix".to_owned(),
                            n => format!("{n} things to fix"),
                        };
                        let items = problems
                            .into_iter()
                            .map(|(field, message)| match targets.iter().find(|t| t.0 == field) {
                                Some((_, label, id)) => view! {
                                    <li>
                                        <a href=format!("#{id}")>{format!("{label}: {message}")}</a>
                                    </li>
                                }
                                .into_any(),
                                None => view! { <li>{message.to_owned()}</li> }.into_any(),
                            })
                            .collect_view();
                        view! {
                            <h2 id="problem-heading">{heading}</h2>
                            <ul>{items}</ul>
                        }
                    })
            }}
        </div>
    }
}

fn field_error(
    error: Signal<Option<FieldMessage>>,
    name: String,
) -> impl Fn() -> Option<String> + Send + Sync + Clone + 'static {
    move || error.get().and_then(|e| e.about(&name))
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
                    <textarea
                        id=rationale_id.clone()
                        name=rationale_name
                        rows="4"
                        maxlength=RATIONALE_MAX
                        aria-invalid={
                            let bad = rationale_error.clone();
                            move || bad().map(|_| "true")
                        }
                        aria-describedby=format!("{rationale_id}-error")
                        inner_html=textarea_html(&rationale)
                        prop:defaultValue=rationale.clone()
                    ></textarea>
                    <p class="field__error" id=format!("{rationale_id}-error") role="alert">{rationale_error}</p>
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
                    <textarea
                        id=links_id.clone()
                        name=links_name
                        rows="2"
                        aria-invalid={
                            let bad = links_error.clone();
                            move || bad().map(|_| "true")
                        }
                        aria-describedby=format!("{links_id}-error")
                        inner_html=textarea_html(&links)
                        prop:defaultValue=links.clone()
                    ></textarea>
                    <p class="field__error" id=format!("{links_id}-error") role="alert">{links_error}</p>
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
                                        <A exact=true href=back.clone()>"Evidence"</A>
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
                                <A exact=true href=back>"Back to your evidence"</A>
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
