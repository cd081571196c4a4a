//! `/coordinator/cohorts/:id/moderation`: a coordinator sends decided submissions for second
//! marking (a random share, or one by one), sees how far each pair of assessors agrees
//! (percent and Cohen's kappa over the per-indicator ratings), resolves disagreements, and
//! allows extra attempts to teachers at their limit.

use crate::api::review::{
    get_moderation, AllowAttempt, PickModeration, ResolveModeration, SampleModeration,
};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{echoed_form, textarea_html, use_form_error, FormAlert, TextField};
use crate::components::layout::TableScroll;
use crate::components::session_guard::Private;
use crate::domain::account::Role;
use crate::domain::assessment::{
    AtLimit, DecidedSubmission, ModerationItem, ModerationView, PairAgreement,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::i18n::k;
use crate::t;

/// The moderation page (coordinators).
#[component]
pub fn ModerationPage() -> impl IntoView {
    view! {
        <Title text=t!(moderation.title) />
        <Private role=Role::Coordinator children=|_| view! { <ModerationLoader /> } />
    }
}

#[component]
fn ModerationLoader() -> impl IntoView {
    let params = use_params_map();
    let cohort = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let sample = ServerAction::<SampleModeration>::new();
    let pick = ServerAction::<PickModeration>::new();
    let resolve = ServerAction::<ResolveModeration>::new();
    let allow = ServerAction::<AllowAttempt>::new();
    let view_data = Resource::new(
        move || {
            (
                cohort(),
                sample.version().get(),
                pick.version().get(),
                resolve.version().get(),
                allow.version().get(),
            )
        },
        |(c, ..)| get_moderation(c),
    );
    let actions = Actions {
        sample,
        pick,
        resolve,
        allow,
    };
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(moderation.loading)}</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(m) => view! { <Moderation m actions /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct Actions {
    sample: ServerAction<SampleModeration>,
    pick: ServerAction<PickModeration>,
    resolve: ServerAction<ResolveModeration>,
    allow: ServerAction<AllowAttempt>,
}

fn decision_text(competent: bool) -> &'static str {
    if competent {
        t!(moderation.competent)
    } else {
        t!(moderation.not_yet)
    }
}

/// "{n} sent for second marking." (`n` as the server or the URL gave it).
fn sent_text(n: &str) -> String {
    if n.parse::<i64>().is_ok_and(crate::i18n::singular) {
        k::moderation::sent_one(n)
    } else {
        k::moderation::sent_other(n)
    }
}

#[component]
fn Moderation(m: ModerationView, actions: Actions) -> impl IntoView {
    let query = use_query_map();
    let sampled = query.read_untracked().get("sampled");
    let sample_error = use_form_error(actions.sample);
    let sample_result = move || match actions.sample.value().get() {
        Some(Ok(n)) => Some(sent_text(&n.to_string())),
        _ => sampled.clone().map(|n| sent_text(&n)),
    };
    let cohort = m.cohort_id;
    let name = m.cohort.clone();
    let crumb = name.clone();
    view! {
        <nav aria-label=t!(moderation.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href="/coordinator">{t!(moderation.cohorts)}</A>
                </li>
                <li>
                    <A exact=true href=format!("/coordinator/cohorts/{cohort}")>{crumb}</A>
                </li>
                <li aria-current="page">{t!(moderation.title)}</li>
            </ol>
        </nav>
        <h1>{k::moderation::heading(&name)}</h1>
        <p class="lead">
            {t!(moderation.lead)}
        </p>
        <section aria-labelledby="sample-heading">
            <h2 id="sample-heading">{t!(moderation.send_for_second_marking)}</h2>
            <p>
                {if crate::i18n::singular(m.eligible.len() as i64) {
                    k::moderation::eligible_count_one(m.eligible.len())
                } else {
                    k::moderation::eligible_count_other(m.eligible.len())
                }}
            </p>
            <ActionForm action=actions.sample attr:class="inline-fields">
                <input type="hidden" name="cohort" value=cohort />
                <TextField label=t!(moderation.share_label) name="percent" kind="number" value="10" error=sample_error />
                <button class="button" type="submit">{t!(moderation.sample)}</button>
            </ActionForm>
            <FormAlert error=sample_error fields=&["percent"] />
            <p role="status">{sample_result}</p>
            {(!m.eligible.is_empty())
                .then(|| view! { <EligibleTable rows=m.eligible.clone() pick=actions.pick /> })}
        </section>
        <section aria-labelledby="agreement-heading">
            <h2 id="agreement-heading">{t!(moderation.agreement_heading)}</h2>
            {if m.pairs.is_empty() {
                view! { <p class="empty">{t!(moderation.no_pairs)}</p> }.into_any()
            } else {
                view! { <PairTable pairs=m.pairs.clone() /> }.into_any()
            }}
        </section>
        <section aria-labelledby="moderations-heading">
            <h2 id="moderations-heading">{t!(moderation.markings_heading)}</h2>
            {if m.items.is_empty() {
                view! { <p class="empty">{t!(moderation.no_markings)}</p> }.into_any()
            } else {
                m.items
                    .iter()
                    .cloned()
                    .map(|item| view! { <ModerationCard item resolve=actions.resolve /> })
                    .collect_view()
                    .into_any()
            }}
        </section>
        <section aria-labelledby="limit-heading">
            <h2 id="limit-heading">{t!(moderation.limit_heading)}</h2>
            {if m.at_limit.is_empty() {
                view! { <p class="empty">{t!(moderation.no_limit)}</p> }.into_any()
            } else {
                m.at_limit
                    .iter()
                    .cloned()
                    .map(|row| view! { <AllowRow row cohort allow=actions.allow /> })
                    .collect_view()
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn EligibleTable(
    rows: Vec<DecidedSubmission>,
    pick: ServerAction<PickModeration>,
) -> impl IntoView {
    let error = use_form_error(pick);
    view! {
        <FormAlert error fields=&[] />
        <TableScroll label=t!(moderation.eligible_caption)>
            <table class="queue">
                <caption>{t!(moderation.eligible_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(moderation.col_competency)}</th>
                        <th scope="col">{t!(moderation.col_teacher)}</th>
                        <th scope="col">{t!(moderation.col_assessor)}</th>
                        <th scope="col">{t!(moderation.col_decision)}</th>
                        <th scope="col">{t!(moderation.col_action)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|r| {
                            view! {
                                <tr>
                                    <th scope="row">
                                        <A exact=true href=format!("/assess/{}", r.id)>
                                            {k::moderation::with_attempt(&r.competency_title, r.attempt)}
                                        </A>
                                    </th>
                                    <td>{r.teacher}</td>
                                    <td>{r.assessor}</td>
                                    <td>{decision_text(r.competent)}</td>
                                    <td>
                                        <ActionForm action=pick>
                                            <input type="hidden" name="id" value=r.id />
                                            <button class="button button--small button--secondary" type="submit">
                                                {t!(moderation.send_for_second_marking)}
                                            </button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}

#[component]
fn PairTable(pairs: Vec<PairAgreement>) -> impl IntoView {
    view! {
        <TableScroll label=t!(moderation.pairs_caption)>
            <table class="agreement">
                <caption>{t!(moderation.pairs_caption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(moderation.col_first_marker)}</th>
                        <th scope="col">{t!(moderation.col_second_marker)}</th>
                        <th scope="col">{t!(moderation.col_submissions)}</th>
                        <th scope="col">{t!(moderation.col_same_decision)}</th>
                        <th scope="col">{t!(moderation.col_ratings_compared)}</th>
                        <th scope="col">{t!(moderation.col_percent)}</th>
                        <th scope="col">{t!(moderation.col_kappa)}</th>
                    </tr>
                </thead>
                <tbody>
                    {pairs
                        .into_iter()
                        .map(|p| {
                            let (n, percent, kappa) = match p.agreement {
                                Some(a) => (
                                    a.pairs.to_string(),
                                    crate::domain::evaluation::share_text(a.percent),
                                    a.kappa.map_or_else(|| t!(moderation.kappa_undefined).to_owned(), crate::domain::evaluation::kappa_text),
                                ),
                                None => ("0".to_owned(), "–".to_owned(), "–".to_owned()),
                            };
                            view! {
                                <tr>
                                    <td>{p.first}</td>
                                    <td>{p.second}</td>
                                    <td>{p.submissions}</td>
                                    <td>{p.decisions_agreed}</td>
                                    <td>{n}</td>
                                    <td>{percent}</td>
                                    <td>{kappa}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
        <p class="field__hint">
            {t!(moderation.kappa_hint)}
        </p>
    }
}

#[component]
fn ModerationCard(item: ModerationItem, resolve: ServerAction<ResolveModeration>) -> impl IntoView {
    let error = use_form_error(resolve);
    let disagree = item
        .second_competent
        .is_some_and(|s| s != item.first_competent);
    let state = match (&item.second_competent, &item.resolution) {
        (None, _) => t!(moderation.state_waiting).to_owned(),
        (Some(_), Some(r)) => {
            let which = match r.as_str() {
                "first" => t!(moderation.which_first),
                "second" => t!(moderation.which_second),
                other => other,
            };
            if item.note.is_empty() {
                k::moderation::state_resolved(which)
            } else {
                k::moderation::state_resolved_note(which, &item.note)
            }
        }
        (Some(_), None) if disagree => t!(moderation.state_differ).to_owned(),
        (Some(_), None) => t!(moderation.state_agree).to_owned(),
    };
    let id = item.id;
    let note_id = format!("note-{id}");
    // A refused plain form post of this resolution comes back as it was typed.
    let echo = echoed_form("id", &id.to_string()).unwrap_or_default();
    let note = echo.get("note").unwrap_or_default();
    let stands = echo.get("stands");
    view! {
        <article class="moderation" class:moderation--disagree=disagree && item.resolution.is_none()>
            <h3>
                <A exact=true href=format!("/assess/{}", item.submission_id)>
                    {k::moderation::with_attempt(&item.competency_title, item.attempt)}
                </A>
            </h3>
            <p>{state}</p>
            <p>
                {k::moderation::first_by(decision_text(item.first_competent), &item.first_assessor)}
                {item.second_competent.map(|s| k::moderation::second_by(decision_text(s), item.second_assessor.clone().unwrap_or_default()))}
            </p>
            {item.second_competent.is_some().then(|| view! {
                <TableScroll label=t!(moderation.ratings_caption)>
                    <table class="rubric-table">
                        <caption>{t!(moderation.ratings_caption)}</caption>
                        <thead><tr><th scope="col">{t!(moderation.col_indicator)}</th><th scope="col">{t!(moderation.col_first)}</th><th scope="col">{t!(moderation.col_second)}</th></tr></thead>
                        <tbody>
                            {item.ratings.iter().map(|(text, a, b)| view! {
                                <tr class:differs=b.is_some_and(|b| b != *a)>
                                    <th scope="row">{text.clone()}</th>
                                    <td>{a.label()}</td>
                                    <td>{b.map(|b| b.label()).unwrap_or("–")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableScroll>
            })}
            {(disagree && item.resolution.is_none()).then(|| view! {
                <ActionForm action=resolve attr:class="resolve-form">
                    <input type="hidden" name="id" value=id />
                    <FormAlert error fields=&["note"] />
                    <fieldset>
                        <legend>{t!(moderation.which_stands)}</legend>
                        <div class="level level--inline">
                            <input type="radio" id=format!("stands-first-{id}") name="stands" value="first" required checked=stands.as_deref() == Some("first") />
                            <label for=format!("stands-first-{id}")>{k::moderation::stands_first(decision_text(item.first_competent))}</label>
                        </div>
                        <div class="level level--inline">
                            <input type="radio" id=format!("stands-second-{id}") name="stands" value="second" checked=stands.as_deref() == Some("second") />
                            <label for=format!("stands-second-{id}")>{k::moderation::stands_second(decision_text(item.second_competent.unwrap_or(false)))}</label>
                        </div>
                    </fieldset>
                    <div class="field">
                        <label for=note_id.clone()>{t!(moderation.why_label)}</label>
                        <textarea id=note_id name="note" rows="2" required maxlength="4000" inner_html=textarea_html(&note) prop:defaultValue=note.clone()></textarea>
                        <p class="field__error" role="alert">{move || error.get().filter(|e| e.field == "note").map(|e| e.message)}</p>
                    </div>
                    <button class="button" type="submit">{t!(moderation.resolve)}</button>
                </ActionForm>
            })}
        </article>
    }
}

#[component]
fn AllowRow(row: AtLimit, cohort: i64, allow: ServerAction<AllowAttempt>) -> impl IntoView {
    let error = use_form_error(allow);
    let reason_id = format!("reason-{}-{}", row.user_id, row.competency);
    view! {
        <ActionForm action=allow attr:class="allow-form">
            <input type="hidden" name="cohort" value=cohort />
            <input type="hidden" name="user" value=row.user_id />
            <input type="hidden" name="competency" value=row.competency.clone() />
            <p>
                <strong>{row.name.clone()}</strong>
                {if crate::i18n::singular(row.attempts) {
                    k::moderation::attempts_used_one(&row.competency_title, row.attempts)
                } else {
                    k::moderation::attempts_used_other(&row.competency_title, row.attempts)
                }}
            </p>
            <div class="field">
                <label for=reason_id.clone()>{t!(moderation.reason_label)}</label>
                <input id=reason_id type="text" name="reason" maxlength="500" />
            </div>
            <FormAlert error fields=&[] />
            <button class="button button--small" type="submit">{t!(moderation.allow)}</button>
        </ActionForm>
    }
}
