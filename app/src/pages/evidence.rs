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

use crate::t;

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
        <Title text=t!(evidence.title) />
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
        <Suspense fallback=|| view! { <p class="loading">{t!(evidence.loading)}</p> }>
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
        crate::i18n::k::evidence::attempts_allowed(ws.attempts_allowed)
    } else {
        crate::i18n::k::evidence::attempt_of(ws.attempt, ws.attempts_allowed)
    };
    let intro = match (ws.cohort.as_ref(), ws.status) {
        (None, _) => t!(evidence.intro_no_cohort).to_owned(),
        (Some(_), None) => t!(evidence.intro_start).to_owned(),
        (Some(_), Some(SubmissionStatus::Draft)) => t!(evidence.intro_draft).to_owned(),
        (Some(c), Some(SubmissionStatus::Submitted)) => {
            crate::i18n::k::evidence::intro_submitted(c)
        }
        (Some(_), Some(SubmissionStatus::Competent)) => t!(evidence.intro_competent).to_owned(),
        (Some(_), Some(SubmissionStatus::NotYet)) => t!(evidence.intro_not_yet).to_owned(),
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
        <nav aria-label=t!(evidence.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href=format!("/frameworks/{}", ws.framework)>{t!(evidence.crumb_framework)}</A>
                </li>
                <li>
                    <A exact=true href=base.clone()>{crumb}</A>
                </li>
                <li aria-current="page">{t!(evidence.evidence)}</li>
            </ol>
        </nav>
        <h1>{crate::i18n::k::evidence::heading(&title)}</h1>
        <p class="lead">
            <StatusLabel status=ws.status />
            " "
            {ws.cohort.is_some().then_some(attempts)}
        </p>
        {latest_decision(&ws)
            .map(|(attempt, d)| {
                let outcome = if d.competent {
                    t!(evidence.outcome_competent)
                } else {
                    t!(evidence.outcome_not_yet)
                };
                view! {
                    <section class="callout callout--decision" aria-labelledby="latest-decision-heading">
                        <h2 id="latest-decision-heading">{crate::i18n::k::evidence::latest_decision(attempt, outcome)}</h2>
                        {(!d.improve.is_empty())
                            .then(|| view! {
                                <h3>{t!(evidence.what_to_improve)}</h3>
                                <p class="prose-text">{d.improve.clone()}</p>
                            })}
                        <h3>{t!(evidence.feedback)}</h3>
                        <p class="prose-text">{d.feedback.clone()}</p>
                        <p>
                            {if d.competent {
                                match ws.badge.clone() {
                                    Some(id) => view! {
                                        {t!(evidence.badge_earned)}
                                        <A exact=true href=format!("/credentials/{id}")>{t!(evidence.badge_earned_link)}</A>
                                    }
                                    .into_any(),
                                    None => view! {
                                        {t!(evidence.badge_later)}
                                        <A exact=true href="/credentials">{t!(evidence.badge_later_link)}</A>
                                    }
                                    .into_any(),
                                }
                            } else {
                                view! { {t!(evidence.ratings_below)} }.into_any()
                            }}
                            " · "
                            <a href="#attempts-heading">{t!(evidence.every_attempt)}</a>
                        </p>
                    </section>
                }
            })}
        {submitted_now
            .then(|| {
                view! {
                    <div class="callout callout--success" role="status">
                        <p>{t!(evidence.submitted_now)}</p>
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
                                t!(evidence.preview_draft)
                            } else {
                                t!(evidence.see_submitted)
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
                        <h2 id="attempts-heading">{t!(evidence.attempts_heading)}</h2>
                        {history
                            .into_iter()
                            .map(|h| {
                                view! {
                                    <article class="attempt">
                                        <h3>
                                            {crate::i18n::k::evidence::attempt_heading(h.attempt)}
                                            <StatusLabel status=Some(h.status) />
                                        </h3>
                                        {h
                                            .submitted_at
                                            .map(|at| {
                                                view! {
                                                    <p class="meta">
                                                        {crate::i18n::k::evidence::submitted_at(crate::domain::time::utc_minute(at))}
                                                    </p>
                                                }
                                            })}
                                        {h.decision.map(|d| view! { <DecisionView decision=d heading=t!(evidence.decision) /> })}
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
    let status = move || match autosave.status() {
        Status::Idle => String::new(),
        Status::Waiting => t!(evidence.status_waiting).to_owned(),
        Status::Saving => t!(evidence.status_saving).to_owned(),
        Status::Saved(Some(at)) => {
            crate::i18n::k::evidence::status_saved_at(crate::domain::time::utc_clock(at))
        }
        Status::Saved(None) => t!(evidence.status_saved).to_owned(),
        Status::Offline => t!(evidence.status_offline).to_owned(),
        Status::Conflict => t!(evidence.status_conflict).to_owned(),
        Status::Failed => t!(evidence.status_failed).to_owned(),
    };
    // A refused submission is said apart from how the draft's saving goes.
    // (Without JavaScript, a refusal comes back as the page's message.)
    let refused =
        move || refusal.get().is_some() || (save.value().get().is_none() && error.get().is_some());
    let status = move || {
        let saving = status();
        match (refused(), saving.is_empty()) {
            (false, _) => saving,
            (true, true) => t!(evidence.not_submitted).to_owned(),
            (true, false) => crate::i18n::k::evidence::not_submitted_saving(&saving),
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
                    crate::i18n::k::evidence::target_rationale(n),
                    format!("rationale-{}", ind.slug),
                ),
                (
                    format!("draft[links][{}]", ind.slug),
                    crate::i18n::k::evidence::target_links(n),
                    format!("links-{}", ind.slug),
                ),
            ]
        })
        .chain(ws.indicators.first().map(|ind| {
            (
                "draft[evidence]".to_owned(),
                t!(evidence.evidence).to_owned(),
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
                    {t!(evidence.save_draft)}
                </button>
                <button class="button" type="submit" name="draft[intent]" value="submit">
                    {t!(evidence.submit)}
                </button>
                <span class="save-status" role="status" aria-live="polite">{status}</span>
            </div>
            <p class="field__hint">
                <span class="js-only">{t!(evidence.hint_autosave)}</span>
                {t!(evidence.hint_submit)}
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
                            1 => t!(evidence.problems_one).to_owned(),
                            n => crate::i18n::k::evidence::problems_other(n),
                        };
                        let items = problems
                            .into_iter()
                            .map(|(field, message)| match targets.iter().find(|t| t.0 == field) {
                                Some((_, label, id)) => view! {
                                    <li>
                                        <a href=format!("#{id}")>{crate::i18n::k::evidence::problem_link(label, message)}</a>
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
            t!(evidence.my_checklist_rating).to_owned(),
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
                        <strong>{crate::i18n::k::evidence::assessor_attempt(attempt, level.label())}</strong>
                        {(!comment.is_empty()).then(|| format!(" – {comment}"))}
                    </p>
                })}
                <div class="field" class:field--invalid=rationale_bad>
                    <label for=rationale_id.clone()>{t!(evidence.rationale_label)}</label>
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
                    <legend>{t!(evidence.picks_legend)}</legend>
                    {checklist}
                    {journal_picks}
                    {upload_picks}
                    {nothing
                        .then(|| {
                            view! {
                                <p class="meta">
                                    {t!(evidence.nothing_yet)}
                                </p>
                            }
                        })}
                </fieldset>
                <div class="field" class:field--invalid=links_bad>
                    <label for=links_id.clone()>{t!(evidence.links_label)}</label>
                    <p class="field__hint">{t!(evidence.links_hint)}</p>
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
            <h2 id="uploads-heading">{t!(evidence.uploads_heading)}</h2>
            <p>{t!(evidence.uploads_text)}</p>
            {move || uploaded().then(|| view! { <p class="callout callout--success" role="status">{t!(evidence.uploaded)}</p> })}
            <form action="/api/uploads" method="post" enctype="multipart/form-data" class="upload-form">
                <input type="hidden" name="back" value=back />
                <div class="field" class:field--invalid=move || message().is_some()>
                    <label for="upload-file">{t!(evidence.file_label)}</label>
                    <input id="upload-file" type="file" name="file" accept="application/pdf,image/png,image/jpeg" required />
                    <p class="field__error" role="alert">{message}</p>
                </div>
                <button class="button button--secondary" type="submit">{t!(evidence.upload)}</button>
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
        <Title text=t!(evidence.preview_title) />
        <Private children=|_| view! { <Preview /> } />
    }
}

#[component]
fn Preview() -> impl IntoView {
    let key = route_key();
    let snapshot = Resource::new(key, |(f, c)| get_preview(f, c));
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(evidence.loading_preview)}</p> }>
            {move || Suspend::new(async move {
                let (framework, competency) = key();
                match snapshot.await {
                    Ok(s) => {
                        let back = evidence_path(&framework, &competency);
                        view! {
                            <nav aria-label=t!(evidence.breadcrumb) class="breadcrumb">
                                <ol>
                                    <li>
                                        <A exact=true href=back.clone()>{t!(evidence.evidence)}</A>
                                    </li>
                                    <li aria-current="page">{t!(evidence.crumb_preview)}</li>
                                </ol>
                            </nav>
                            <h1>{crate::i18n::k::evidence::preview_heading(&s.competency_title)}</h1>
                            <p class="lead">
                                {t!(evidence.preview_lead)}
                            </p>
                            <SnapshotView snapshot=s />
                            <p>
                                <A exact=true href=back>{t!(evidence.back)}</A>
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
