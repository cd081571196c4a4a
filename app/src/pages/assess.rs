//! `/assess`: the queue of submissions waiting for review (oldest first, with waiting time,
//! filter by competency, claim, coordinators assign); `/assess/:id`: the review screen,
//! indicator by indicator, with the rubric beside the teacher's evidence. Keyboard only works
//! throughout (native radios, fields and buttons in reading order).

use crate::api::review::{
    get_queue, get_review, AssignSubmission, ClaimSubmission, Decide, ReleaseSubmission,
};
use crate::components::assessment::{DecisionView, SnapshotView};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{
    echo_or, echoed_value, textarea_html, use_form_error, FieldMessage, FormAlert,
};
use crate::components::layout::TableScroll;
use crate::components::session_guard::Private;
use crate::domain::assessment::{
    AssessorOption, ClaimState, Queue, QueueItem, ReviewView, RubricLevel, SnapshotIndicator,
};
use crate::domain::changes::{EarlierAttempt, IndicatorChanges, Piece};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

use crate::i18n::k;
use crate::t;

/// The queue page (assessors and coordinators).
#[component]
pub fn AssessPage() -> impl IntoView {
    view! {
        <Title text=t!(assess.queue_title) />
        <Private children=|_| view! { <QueueLoader /> } />
    }
}

#[component]
fn QueueLoader() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.read().get("competency").unwrap_or_default();
    let queue = Resource::new(filter, get_queue);
    view! {
        <h1>{t!(assess.queue_title)}</h1>
        <Suspense fallback=|| view! { <p class="loading">{t!(assess.loading_queue)}</p> }>
            {move || Suspend::new(async move {
                match queue.await {
                    Ok(q) => view! { <QueueView q filter=filter() /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn claim_text(claim: &ClaimState) -> String {
    match claim {
        ClaimState::Open => t!(assess.claim_waiting).to_owned(),
        ClaimState::Mine { until } if *until == i64::MAX => {
            t!(assess.claim_assigned_you).to_owned()
        }
        ClaimState::Mine { until } => {
            k::assess::claim_yours_until(crate::domain::time::utc_clock(*until))
        }
        ClaimState::Other { by, until } => {
            k::assess::claim_other(by, crate::domain::time::utc_clock(*until))
        }
        ClaimState::AssignedOther { to } => k::assess::claim_assigned_other(to),
    }
}

#[component]
fn QueueView(q: Queue, filter: String) -> impl IntoView {
    let query = use_query_map();
    let assigned = query.read_untracked().get("assigned").is_some();
    let now = q.now;
    let assessors = q.assessors.clone();
    view! {
        {assigned.then(|| view! { <p class="callout callout--success" role="status">{t!(assess.assigned)}</p> })}
        <form method="get" action="/assess" class="filter-form">
            <label for="filter-competency">{t!(assess.competency)}</label>
            <select id="filter-competency" name="competency">
                <option value="" selected=filter.is_empty()>{t!(assess.all_competencies)}</option>
                {q
                    .competencies
                    .iter()
                    .map(|(slug, title)| {
                        view! {
                            <option value=slug.clone() selected=*slug == filter>
                                {title.clone()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button class="button button--small" type="submit">{t!(assess.filter)}</button>
        </form>
        {if q.items.is_empty() {
            view! { <p class="empty">{t!(assess.queue_empty)}</p> }.into_any()
        } else {
            view! {
                <TableScroll label=t!(assess.queue_label)>
                    <table class="queue">
                        <caption>{k::assess::queue_caption(q.items.len())}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(assess.competency)}</th>
                                <th scope="col">{t!(assess.col_teacher)}</th>
                                <th scope="col">{t!(assess.col_cohort)}</th>
                                <th scope="col">{t!(assess.col_waiting)}</th>
                                <th scope="col">{t!(assess.col_status)}</th>
                                <th scope="col">{t!(assess.col_action)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {q
                                .items
                                .into_iter()
                                .map(|item| {
                                    let options: Vec<AssessorOption> = assessors
                                        .iter()
                                        .filter(|a| a.cohort_id == item.cohort_id)
                                        .cloned()
                                        .collect();
                                    view! { <QueueRow item now options /> }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                </TableScroll>
            }
                .into_any()
        }}
    }
}

#[component]
fn QueueRow(item: QueueItem, now: i64, options: Vec<AssessorOption>) -> impl IntoView {
    let claim = ServerAction::<ClaimSubmission>::new();
    let assign = ServerAction::<AssignSubmission>::new();
    let claim_error = use_form_error(claim);
    let assign_error = use_form_error(assign);
    let navigate = use_navigate();
    let id = item.id;
    Effect::new(move |_| {
        if let Some(Ok(_)) = claim.value().get() {
            navigate(&format!("/assess/{id}"), Default::default());
        }
    });
    let can_claim = matches!(item.claim, ClaimState::Open | ClaimState::Mine { .. });
    let mine = matches!(item.claim, ClaimState::Mine { .. });
    let what = if item.second {
        k::assess::what_second(&item.competency_title)
    } else if item.attempt > 1 {
        k::assess::what_attempt(&item.competency_title, item.attempt)
    } else {
        item.competency_title.clone()
    };
    // Every row has the same buttons: each names its row's submission for a screen reader's
    // list of controls (issue 15; two blind reviews of one competency differ only by number).
    let which = k::assess::which(&what, id);
    let which_claim = which.clone();
    let which_assign = which.clone();
    view! {
        <tr>
            <th scope="row">
                <A exact=true href=format!("/assess/{id}")>{what}</A>
            </th>
            <td>{item.teacher.clone().unwrap_or_else(|| t!(assess.blind_review).to_owned())}</td>
            <td>{item.cohort.clone()}</td>
            <td>{crate::domain::time::waited(now - item.waiting_since)}</td>
            <td>{claim_text(&item.claim)}</td>
            <td class="queue__actions">
                {if mine {
                    view! { <A exact=true href=format!("/assess/{id}") attr:class="button button--small">{t!(assess.continue_review)}<span class="visually-hidden">{which}</span></A> }.into_any()
                } else if can_claim {
                    view! {
                        <ActionForm action=claim>
                            <input type="hidden" name="id" value=id />
                            <button class="button button--small" type="submit">{t!(assess.claim_and_review)}<span class="visually-hidden">{which_claim}</span></button>
                        </ActionForm>
                        <FormAlert error=claim_error fields=&[] />
                    }
                        .into_any()
                } else {
                    ().into_any()
                }}
                {(!options.is_empty())
                    .then(|| {
                        let select_id = format!("assign-{id}-{}", u8::from(item.second));
                        view! {
                            <ActionForm action=assign attr:class="assign-form">
                                <input type="hidden" name="id" value=id />
                                <label for=select_id.clone() class="visually-hidden">{k::assess::assign_to(&which_assign)}</label>
                                <select id=select_id name="assessor">
                                    {options
                                        .into_iter()
                                        .map(|a| view! { <option value=a.id>{a.name}</option> })
                                        .collect_view()}
                                </select>
                                <button class="button button--small button--secondary" type="submit">{t!(assess.assign)}<span class="visually-hidden">{which_assign.clone()}</span></button>
                            </ActionForm>
                            <FormAlert error=assign_error fields=&[] />
                        }
                    })}
            </td>
        </tr>
    }
}

/// The review screen.
#[component]
pub fn ReviewPage() -> impl IntoView {
    view! {
        <Title text=t!(assess.review_title) />
        <Private children=|_| view! { <ReviewLoader /> } />
    }
}

#[component]
fn ReviewLoader() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let refresh = RwSignal::new(0_u32);
    let review = Resource::new(move || (id(), refresh.get()), |(id, _)| get_review(id));
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(assess.loading_submission)}</p> }>
            {move || Suspend::new(async move {
                match review.await {
                    Ok(v) => view! { <ReviewScreen v refresh /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReviewScreen(v: ReviewView, refresh: RwSignal<u32>) -> impl IntoView {
    let query = use_query_map();
    let decided_now = query.read_untracked().get("decided").is_some();
    let decide = ServerAction::<Decide>::new();
    let release = ServerAction::<ReleaseSubmission>::new();
    let error = use_form_error(decide);
    Effect::new(move |_| {
        if let Some(Ok(())) = decide.value().get() {
            refresh.update(|n| *n += 1);
        }
    });
    let id = v.id;
    let who = v
        .teacher
        .clone()
        .unwrap_or_else(|| t!(assess.blind_review_unnamed).to_owned());
    let heading = if v.second {
        k::assess::heading_second(&v.snapshot.competency_title)
    } else {
        k::assess::heading_review(&v.snapshot.competency_title)
    };
    let can_decide = v.can_decide && v.decided.is_none();
    let rate = can_decide.then(|| {
        Callback::new(move |(n, ind): (usize, SnapshotIndicator)| {
            view! { <RubricFields n ind error /> }.into_any()
        })
    });
    let claim_line = match &v.claim {
        ClaimState::Mine { until } if *until != i64::MAX => Some(k::assess::claim_hold(
            crate::domain::time::utc_clock(*until),
        )),
        ClaimState::Other { .. } | ClaimState::AssignedOther { .. } => {
            Some(k::assess::claim_read_only(claim_text(&v.claim)))
        }
        _ => None,
    };
    let holds = matches!(&v.claim, ClaimState::Mine { until } if *until != i64::MAX);
    view! {
        <nav aria-label=t!(assess.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href="/assess">{t!(assess.queue_title)}</A>
                </li>
                <li aria-current="page">{k::assess::submission_crumb(id)}</li>
            </ol>
        </nav>
        <h1>{heading}</h1>
        <p class="lead">
            {k::assess::review_lead(
                &who,
                &v.cohort,
                v.attempt,
                crate::domain::time::utc_minute(v.submitted_at),
            )}
        </p>
        {decided_now.then(|| view! { <p class="callout callout--success" role="status">{t!(assess.decision_recorded)}</p> })}
        {claim_line.map(|l| view! { <p class="meta">{l}</p> })}
        {holds
            .then(|| {
                view! {
                    <ActionForm action=release attr:class="inline-form">
                        <input type="hidden" name="id" value=id />
                        <button class="link-button" type="submit">{t!(assess.release)}</button>
                    </ActionForm>
                }
            })}
        {v.second.then(|| view! {
            <p class="callout">{t!(assess.second_callout)}</p>
        })}
        {v.decided.clone().map(|d| view! { <DecisionView decision=d heading=if v.second { t!(assess.your_second_marking) } else { t!(assess.decision) } /> })}
        <EarlierAttempts earlier=v.earlier.clone() changes=v.changes.clone() attempt=v.attempt />
        {if can_decide {
            view! {
                <ActionForm action=decide attr:class="review-form" attr:id="review-form">
                    <input type="hidden" name="review[submission]" value=id />
                    <FormAlert error fields=&["review[feedback]", "review[improve]", "review[decision]"] />
                    <details class="scale">
                        <summary>{t!(assess.rubric_summary)}</summary>
                        <dl>
                            {RubricLevel::ALL
                                .iter()
                                .map(|l| view! { <dt>{l.label()}</dt> <dd>{l.descriptor()}</dd> })
                                .collect_view()}
                        </dl>
                        <p>{v.rule.clone()}</p>
                    </details>
                    <SnapshotView snapshot=v.snapshot.clone() rate=rate />
                    <OverallFields error rule=v.rule.clone() second=v.second />
                </ActionForm>
            }
                .into_any()
        } else {
            view! { <SnapshotView snapshot=v.snapshot.clone() /> }.into_any()
        }}
    }
}

fn message_for(
    error: Signal<Option<FieldMessage>>,
    name: String,
) -> impl Fn() -> Option<String> + Send + Sync + Clone + 'static {
    move || error.get().and_then(|e| e.about(&name))
}

#[component]
fn RubricFields(
    n: usize,
    ind: SnapshotIndicator,
    error: Signal<Option<FieldMessage>>,
) -> impl IntoView {
    let slug = ind.slug.clone();
    let name = format!("review[level][{slug}]");
    let comment_id = format!("comment-{slug}");
    let comment_name = format!("review[comment][{slug}]");
    // A refused plain form post comes back as the assessor left it.
    let echoed_level = echoed_value(&name);
    let comment = echo_or(&comment_name, String::new());
    let mine = message_for(error, name.clone());
    let invalid = {
        let m = mine.clone();
        move || m().is_some()
    };
    view! {
        <fieldset class="rubric" class:field--invalid=invalid>
            <legend>{k::assess::rating_legend(n + 1)}</legend>
            {RubricLevel::ALL
                .iter()
                .map(|l| {
                    let id = format!("level-{slug}-{}", l.value());
                    view! {
                        <div class="level level--inline">
                            <input type="radio" id=id.clone() name=name.clone() value=l.value() required checked=echoed_level.as_deref() == Some(l.value().to_string().as_str()) />
                            <label for=id>{l.label()}</label>
                        </div>
                    }
                })
                .collect_view()}
            <p class="field__error" role="alert">{mine}</p>
            <div class="field">
                <label for=comment_id.clone()>{t!(assess.comment_optional)}</label>
                <textarea id=comment_id name=comment_name rows="2" maxlength="2000" inner_html=textarea_html(&comment) prop:defaultValue=comment.clone()></textarea>
            </div>
        </fieldset>
    }
}

#[component]
fn OverallFields(error: Signal<Option<FieldMessage>>, rule: String, second: bool) -> impl IntoView {
    let feedback = message_for(error, "review[feedback]".to_owned());
    let improve = message_for(error, "review[improve]".to_owned());
    let decision = message_for(error, "review[decision]".to_owned());
    let feedback_text = echo_or("review[feedback]", String::new());
    let improve_text = echo_or("review[improve]", String::new());
    let chosen = echoed_value("review[decision]");
    let feedback_bad = {
        let f = feedback.clone();
        move || f().is_some()
    };
    let decision_bad = {
        let d = decision.clone();
        move || d().is_some()
    };
    let improve_bad = {
        let i = improve.clone();
        move || i().is_some()
    };
    view! {
        <section class="overall" aria-labelledby="overall-heading">
            <h2 id="overall-heading">{t!(assess.overall)}</h2>
            <div class="field" class:field--invalid=feedback_bad>
                <label for="review-feedback">{t!(assess.feedback_label)}</label>
                <textarea id="review-feedback" name="review[feedback]" rows="5" required maxlength="4000" inner_html=textarea_html(&feedback_text) prop:defaultValue=feedback_text.clone()></textarea>
                <p class="field__error" role="alert">{feedback}</p>
            </div>
            <fieldset class="decision-choice" class:field--invalid=decision_bad>
                <legend>{t!(assess.decision)}</legend>
                <p class="field__hint">{rule}</p>
                <div class="level level--inline">
                    <input type="radio" id="decision-competent" name="review[decision]" value="competent" required checked=chosen.as_deref() == Some("competent") />
                    <label for="decision-competent">{t!(assess.competent)}</label>
                </div>
                <div class="level level--inline">
                    <input type="radio" id="decision-not-yet" name="review[decision]" value="not_yet" checked=chosen.as_deref() == Some("not_yet") />
                    <label for="decision-not-yet">{t!(assess.not_yet)}</label>
                </div>
                <p class="field__error" role="alert">{decision}</p>
            </fieldset>
            <div class="field" class:field--invalid=improve_bad>
                <label for="review-improve">{t!(assess.improve_label)}</label>
                <textarea id="review-improve" name="review[improve]" rows="3" maxlength="4000" inner_html=textarea_html(&improve_text) prop:defaultValue=improve_text.clone()></textarea>
                <p class="field__error" role="alert">{improve}</p>
            </div>
            <p class="field__hint">
                {if second {
                    t!(assess.second_final_hint)
                } else {
                    t!(assess.decision_final_hint)
                }}
            </p>
            <button class="button" type="submit">{if second { t!(assess.record_second) } else { t!(assess.record_decision) }}</button>
        </section>
    }
}

/// The teacher's earlier attempts (each decision, with what to improve) and what changed since
/// the previous one, indicator by indicator (issue 15): the assessor of a resubmission judges
/// it against what was asked.
#[component]
fn EarlierAttempts(
    earlier: Vec<EarlierAttempt>,
    changes: Vec<IndicatorChanges>,
    attempt: i64,
) -> impl IntoView {
    if earlier.is_empty() {
        return ().into_any();
    }
    let decisions = earlier
        .into_iter()
        .rev()
        .map(|e| match e.decision {
            Some(d) => {
                view! { <DecisionView decision=d heading=k::assess::attempt_heading(e.attempt) /> }
                    .into_any()
            }
            None => {
                view! { <p class="meta">{k::assess::attempt_no_decision(e.attempt)}</p> }.into_any()
            }
        })
        .collect_view();
    let changed: Vec<IndicatorChanges> = changes
        .iter()
        .filter(|c| !c.is_unchanged())
        .cloned()
        .collect();
    let unchanged = changes.len() - changed.len();
    let items = changed
        .into_iter()
        .map(|c| {
            let rationale = (!c.rationale.is_empty()).then(|| {
                let pieces = c
                    .rationale
                    .iter()
                    .map(|p| match p {
                        Piece::Same(t) => view! { <span>{t.clone()}</span> }.into_any(),
                        Piece::Added(t) => view! { <ins>{t.clone()}</ins> }.into_any(),
                        Piece::Removed(t) => view! { <del>{t.clone()}</del> }.into_any(),
                    })
                    .collect_view();
                view! { <p class="prose-text diff">{pieces}</p> }
            });
            let list = |label: &'static str, items: Vec<String>| {
                (!items.is_empty()).then(|| {
                    view! {
                        <p>
                            <strong>{label}</strong>
                            " "
                            {items.join("; ")}
                        </p>
                    }
                })
            };
            view! {
                <li>
                    <h4>{c.text.clone()}</h4>
                    {rationale}
                    {list(t!(assess.evidence_added), c.added)}
                    {list(t!(assess.evidence_removed), c.removed)}
                    {list(t!(assess.edited_since), c.edited)}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="section earlier-attempts" aria-labelledby="earlier-heading">
            <h2 id="earlier-heading">{t!(assess.earlier_heading)}</h2>
            {decisions}
            <h3>{k::assess::changed_since(attempt - 1)}</h3>
            <p class="meta">
                {if unchanged == 0 {
                    t!(assess.diff_legend).to_owned()
                } else {
                    k::assess::diff_legend_unchanged(unchanged)
                }}
            </p>
            <ul class="changes">{items}</ul>
        </section>
    }
    .into_any()
}
