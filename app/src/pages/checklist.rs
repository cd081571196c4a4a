//! `/frameworks/:framework/competencies/:competency/checklist`: the teacher's indicator
//! checklist. Each rating saves at once (with JavaScript, as soon as a level is chosen).

use crate::api::framework::get_competency;
use crate::api::rating::{get_checklist, SaveRating};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{echoed_form, textarea_html, use_form_error, FormAlert};
use crate::components::session_guard::Private;
use crate::domain::rating::{ChecklistRow, Level, Rating};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::t;

/// The checklist page (signed-in only).
#[component]
pub fn ChecklistPage() -> impl IntoView {
    view! {
        <Title text=t!(checklist.title) />
        <Private children=|_| view! { <Checklist /> } />
    }
}

#[component]
fn Checklist() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let p = params.read();
        (
            p.get("framework").unwrap_or_default(),
            p.get("competency").unwrap_or_default(),
        )
    };
    let phase = move || match query.read().get("phase").as_deref() {
        Some("baseline") => "baseline",
        _ => "current",
    };
    let rows = Resource::new(key, |(f, c)| get_checklist(f, c));
    // Its name and the next competency, for the heading and the way on (issue 15).
    let about = Resource::new(key, |(f, c)| get_competency(f, c));
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(checklist.loading)}</p> }>
            {move || Suspend::new(async move {
                let (framework, competency) = key();
                match (rows.await, about.await) {
                    (Ok(rows), Ok(about)) => {
                        view! { <ChecklistBody rows framework competency phase=phase() title=about.title next=about.next /> }.into_any()
                    }
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ChecklistBody(
    rows: Vec<ChecklistRow>,
    framework: String,
    competency: String,
    phase: &'static str,
    /// The competency's title.
    title: String,
    /// The next competency of the framework (slug, title).
    next: Option<(String, String)>,
) -> impl IntoView {
    let base = format!("/frameworks/{framework}/competencies/{competency}");
    let total = rows.len();
    // The indicators rated in this phase: grows as ratings save, so the count stays true.
    let rated = RwSignal::new(
        rows.iter()
            .filter(|r| {
                if phase == "baseline" {
                    r.baseline.is_some()
                } else {
                    r.current.is_some()
                }
            })
            .map(|r| r.slug.clone())
            .collect::<std::collections::HashSet<String>>(),
    );
    let suffix = if phase == "baseline" {
        "?phase=baseline"
    } else {
        ""
    };
    let page_title = crate::i18n::k::checklist::page_title(&title);
    let heading_text = crate::i18n::k::checklist::heading(&title);
    let onward = next.map(|(slug, next_title)| {
        let href = format!("/frameworks/{framework}/competencies/{slug}/checklist{suffix}");
        view! {
            <nav class="pager" aria-label=t!(checklist.next_label)>
                <span>
                    <A exact=true href=href>{crate::i18n::k::checklist::next_link(&next_title)}</A>
                </span>
            </nav>
        }
    });
    let heading = if phase == "baseline" {
        t!(checklist.lead_baseline)
    } else {
        t!(checklist.lead_current)
    };
    view! {
        <nav aria-label=t!(checklist.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href=base.clone()>{title.clone()}</A>
                </li>
                <li aria-current="page">{t!(checklist.crumb)}</li>
            </ol>
        </nav>
        <Title text=page_title />
        <h1>{heading_text}</h1>
        <p class="lead">{heading}</p>
        <p>
            <span role="status">{move || crate::i18n::k::checklist::rated(rated.read().len(), total)}</span>
            {if phase == "baseline" {
                view! { <A exact=true href=format!("{base}/checklist")>{t!(checklist.rate_now)}</A> }.into_any()
            } else {
                view! { <A exact=true href=format!("{base}/checklist?phase=baseline")>{t!(checklist.rate_baseline)}</A> }
                    .into_any()
            }}
        </p>
        <details class="scale">
            <summary>{t!(checklist.scale_summary)}</summary>
            <dl>
                {Level::ALL
                    .iter()
                    .map(|l| view! { <dt>{l.label()}</dt> <dd>{l.descriptor()}</dd> })
                    .collect_view()}
            </dl>
        </details>
        <ol class="checklist">
            {rows
                .into_iter()
                .enumerate()
                .map(|(n, row)| {
                    view! {
                        <IndicatorRating
                            row
                            number=n + 1
                            framework=framework.clone()
                            competency=competency.clone()
                            phase
                            rated
                        />
                    }
                })
                .collect_view()}
        </ol>
        {onward}
    }
}

#[component]
fn IndicatorRating(
    row: ChecklistRow,
    /// Its place in the list (from 1), which names its button.
    number: usize,
    framework: String,
    competency: String,
    phase: &'static str,
    /// The page's set of rated indicators, which a save adds this one to.
    rated: RwSignal<std::collections::HashSet<String>>,
) -> impl IntoView {
    let action = ServerAction::<SaveRating>::new();
    let error = use_form_error(action);
    let query = use_query_map();
    let slug = row.slug.clone();
    let saved_here = {
        let slug = slug.clone();
        move || query.read().get("saved").is_some_and(|s| s == slug)
    };
    // A saved rating counts at once in the page's "N of M rated".
    {
        let slug = slug.clone();
        Effect::new(move |_| {
            if let Some(Ok(_)) = action.value().get() {
                rated.update(|set| {
                    set.insert(slug.clone());
                });
            }
        });
    }
    let status = move || match action.value().get() {
        Some(Ok(at)) => Some(crate::i18n::k::checklist::saved_at(
            crate::domain::time::utc_clock(at),
        )),
        Some(Err(_)) => None,
        None => saved_here().then(|| t!(checklist.saved).to_owned()),
    };
    let (mine, other, other_label): (Option<Rating>, Option<Rating>, &str) = if phase == "baseline"
    {
        (
            row.baseline.clone(),
            row.current.clone(),
            t!(checklist.other_now),
        )
    } else {
        (
            row.current.clone(),
            row.baseline.clone(),
            t!(checklist.other_baseline),
        )
    };
    // A refused plain form post of this indicator comes back as it was typed.
    let echo = echoed_form("rating[indicator]", &row.slug).unwrap_or_default();
    let chosen = echo
        .get("rating[level]")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .and_then(Level::from_value)
        .or(mine.as_ref().map(|r| r.level));
    let note = echo
        .get("rating[note]")
        .unwrap_or_else(|| mine.as_ref().map(|r| r.note.clone()).unwrap_or_default());
    let evidence_url = echo.get("rating[evidence_url]").unwrap_or_else(|| {
        mine.as_ref()
            .map(|r| r.evidence_url.clone())
            .unwrap_or_default()
    });
    let group = format!("level-{slug}");
    let note_id = format!("note-{slug}");
    let url_id = format!("url-{slug}");
    let item_id = format!("indicator-{slug}");
    let form_ref = NodeRef::<leptos::html::Form>::new();
    // With JavaScript, choosing a level saves at once.
    let on_change = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_ref.get() {
            let _ = form.request_submit();
        }
    };
    view! {
        <li class="checklist__item" id=item_id>
            <ActionForm action node_ref=form_ref>
                <input type="hidden" name="rating[framework]" value=framework />
                <input type="hidden" name="rating[competency]" value=competency />
                <input type="hidden" name="rating[indicator]" value=row.slug.clone() />
                <input type="hidden" name="rating[phase]" value=phase />
                <fieldset class="levels" on:change=on_change>
                    <legend>{row.text.clone()}</legend>
                    {other
                        .map(|o| view! { <p class="meta">{crate::i18n::k::checklist::other_rating(other_label, o.level.label())}</p> })}
                    {Level::ALL
                        .iter()
                        .map(|l| {
                            let id = format!("{group}-{}", l.value());
                            view! {
                                <div class="level">
                                    <input
                                        type="radio"
                                        id=id.clone()
                                        name="rating[level]"
                                        value=l.value()
                                        checked=chosen == Some(*l)
                                    />
                                    <label for=id>
                                        <strong>{l.label()}</strong>
                                        <span class="level__descriptor">{l.descriptor()}</span>
                                    </label>
                                </div>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <details class="rating-extra" open=!note.is_empty() || !evidence_url.is_empty()>
                    <summary>{t!(checklist.extra_summary)}</summary>
                    <div class="field">
                        <label for=note_id.clone()>{t!(checklist.note)}</label>
                        <textarea id=note_id name="rating[note]" rows="2" maxlength="2000" inner_html=textarea_html(&note) prop:defaultValue=note.clone()></textarea>
                    </div>
                    <div class="field">
                        <label for=url_id.clone()>{t!(checklist.evidence_link)}</label>
                        <input
                            id=url_id
                            type="url"
                            name="rating[evidence_url]"
                            placeholder="https://"
                            value=evidence_url.clone()
                        />
                    </div>
                </details>
                <FormAlert error fields=&[] />
                <div class="checklist__actions">
                    <button class="button button--small" type="submit">
                        {t!(checklist.save)}
                        <span class="visually-hidden">{crate::i18n::k::checklist::save_hidden(number)}</span>
                    </button>
                    <span class="save-status" role="status" aria-live="polite">
                        {move || if action.pending().get() { Some(t!(checklist.saving).to_owned()) } else { status() }}
                    </span>
                </div>
            </ActionForm>
        </li>
    }
}
