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

/// The checklist page (signed-in only).
#[component]
pub fn ChecklistPage() -> impl IntoView {
    view! {
        <Title text="Indicator checklist" />
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
        <Suspense fallback=|| view! { <p class="loading">"Loading your checklist…"</p> }>
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
    let page_title = format!("Checklist: {title}");
    let heading_text = format!("Indicator checklist: {title}");
    let onward = next.map(|(slug, next_title)| {
        let href = format!("/frameworks/{framework}/competencies/{slug}/checklist{suffix}");
        view! {
            <nav class="pager" aria-label="Next checklist">
                <span>
                    <A exact=true href=href>{format!("Next: {next_title} →")}</A>
                </span>
            </nav>
        }
    });
    let heading = if phase == "baseline" {
        "Your starting point (baseline)"
    } else {
        "Where you are now"
    };
    view! {
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href=base.clone()>{title.clone()}</A>
                </li>
                <li aria-current="page">"Checklist"</li>
            </ol>
        </nav>
        <Title text=page_title />
        <h1>{heading_text}</h1>
        <p class="lead">{heading}</p>
        <p>
            <span role="status">{move || format!("{} of {total} indicators rated. ", rated.read().len())}</span>
            {if phase == "baseline" {
                view! { <A exact=true href=format!("{base}/checklist")>"Rate where you are now"</A> }.into_any()
            } else {
                view! { <A exact=true href=format!("{base}/checklist?phase=baseline")>"Rate your starting point (baseline)"</A> }
                    .into_any()
            }}
        </p>
        <details class="scale">
            <summary>"What the four levels mean"</summary>
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
        Some(Ok(at)) => Some(format!("Saved at {}", crate::domain::time::utc_clock(at))),
        Some(Err(_)) => None,
        None => saved_here().then(|| "Saved".to_owned()),
    };
    let (mine, other, other_label): (Option<Rating>, Option<Rating>, &str) = if phase == "baseline"
    {
        (row.baseline.clone(), row.current.clone(), "Now")
    } else {
        (row.current.clone(), row.baseline.clone(), "Baseline")
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
                        .map(|o| view! { <p class="meta">{format!("{other_label}: {}", o.level.label())}</p> })}
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
                    <summary>"Add a note or an evidence link (optional)"</summary>
                    <div class="field">
                        <label for=note_id.clone()>"Note"</label>
                        <textarea id=note_id name="rating[note]" rows="2" maxlength="2000" inner_html=textarea_html(&note) prop:defaultValue=note.clone()></textarea>
                    </div>
                    <div class="field">
                        <label for=url_id.clone()>"Evidence link"</label>
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
                        "Save"
                        <span class="visually-hidden">{format!(" rating for indicator {number}")}</span>
                    </button>
                    <span class="save-status" role="status" aria-live="polite">
                        {move || if action.pending().get() { Some("Saving…".to_owned()) } else { status() }}
                    </span>
                </div>
            </ActionForm>
        </li>
    }
}
