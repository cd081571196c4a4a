//! `/frameworks/:framework/units/:unit`: one micro-learning unit.

use crate::api::unit::{get_unit, AnswerScenario, SetUnitDone};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{echo_or, textarea_html, use_form_error, FormAlert};
use crate::components::session_guard::use_viewer;
use crate::domain::unit::{UnitKind, UnitView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::t;

/// The unit page.
#[component]
pub fn UnitPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("framework").unwrap_or_default(),
            p.get("unit").unwrap_or_default(),
        )
    };
    let done = ServerAction::<SetUnitDone>::new();
    let answer = ServerAction::<AnswerScenario>::new();
    let unit = Resource::new(
        move || (key(), done.version().get(), answer.version().get()),
        |((f, u), _, _)| get_unit(f, u),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(unit.loading)}</p> }>
            {move || Suspend::new(async move {
                match unit.await {
                    Ok(unit) => view! { <Unit unit done answer /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Unit(
    unit: UnitView,
    done: ServerAction<SetUnitDone>,
    answer: ServerAction<AnswerScenario>,
) -> impl IntoView {
    let s = unit.summary.clone();
    let for_control = unit.clone();
    let competency_title = unit.competency_title.clone();
    let fw = unit.framework_slug.clone();
    let competency_href = format!("/frameworks/{fw}/competencies/{}", unit.competency_slug);
    let link = move |slug: &str| format!("/frameworks/{fw}/units/{slug}");
    let previous = unit.previous.clone().map(|(slug, title)| {
        view! {
            <A exact=true href=link(&slug) attr:rel="prev">
                "← "
                {title}
            </A>
        }
    });
    let next = unit.next.clone().map(|(slug, title)| {
        view! {
            <A exact=true href=link(&slug) attr:rel="next">
                {title}
                " →"
            </A>
        }
    });
    view! {
        <Title text=s.title.clone() />
        <nav aria-label=t!(unit.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href=competency_href>{competency_title}</A>
                </li>
                <li aria-current="page">{s.title.clone()}</li>
            </ol>
        </nav>
        <article class="unit">
            <p class="tag">{crate::i18n::k::unit::tag(s.kind.label(), s.minutes)}</p>
            <h1>{s.title.clone()}</h1>
            <p class="lead">{s.summary.clone()}</p>
            {unit
                .prompt
                .clone()
                .map(|p| {
                    view! {
                        <p class="prompt">
                            <strong>{t!(unit.prompt)}</strong>
                            {p}
                        </p>
                    }
                })}
            <div class="prose" inner_html=unit.body_html.clone()></div>
            {unit
                .considerations_locked
                .then(|| view! { <ScenarioAnswer unit=unit.clone() answer /> })}
            {unit
                .considerations_html
                .clone()
                .map(|html| {
                    let mine = unit.answer_entry.map(|id| {
                        view! {
                            <p class="notice">
                                {t!(unit.answer_in_journal)}
                                <A exact=true href=format!("/journal/{id}")>{t!(unit.open_answer)}</A>
                            </p>
                        }
                    });
                    // The reader's own answer beside the considerations (issue 15).
                    let answer = unit.answer_html.clone().map(|answer| view! {
                        <div class="considerations__mine">
                            <h3>{t!(unit.your_answer)}</h3>
                            <div class="prose" inner_html=answer></div>
                        </div>
                    });
                    view! {
                        <section class="considerations" id="considerations" aria-labelledby="considerations-heading">
                            <h2 id="considerations-heading">{t!(unit.considerations_heading)}</h2>
                            {mine}
                            <div class="considerations__compare">
                                {answer}
                                <div class="considerations__theirs">
                                    <h3 class="visually-hidden">{t!(unit.considerations)}</h3>
                                    <div class="prose" inner_html=html></div>
                                </div>
                            </div>
                        </section>
                    }
                })}
            <section class="section" aria-labelledby="indicators-heading">
                <h2 id="indicators-heading">{t!(unit.indicators_heading)}</h2>
                <ul>
                    {unit
                        .indicators
                        .iter()
                        .map(|(_, text)| view! { <li>{text.clone()}</li> })
                        .collect_view()}
                </ul>
            </section>
        </article>
        <DoneControl unit=for_control done />
        <nav class="pager" aria-label=t!(unit.pager)>
            <span>{previous}</span>
            <span>{next}</span>
        </nav>
    }
}

#[component]
fn DoneControl(unit: UnitView, done: ServerAction<SetUnitDone>) -> impl IntoView {
    let viewer = use_viewer().0;
    let is_done = unit.summary.done;
    let kind = unit.summary.kind;
    view! {
        <Transition fallback=|| ()>
            {move || {
                let unit = unit.clone();
                Suspend::new(async move {
                    let signed_in = matches!(viewer.await, Ok(Some(_)));
                    if !signed_in {
                        return view! {
                            <p class="meta">
                                <A exact=true href="/sign-in">{t!(unit.sign_in)}</A>
                                {t!(unit.track_after)}
                            </p>
                        }
                            .into_any();
                    }
                    let label = match (is_done, kind) {
                        (true, _) => t!(unit.mark_not_done),
                        (false, UnitKind::Reflection) => t!(unit.mark_done_reflected),
                        (false, _) => t!(unit.mark_done),
                    };
                    let journal = matches!(kind, UnitKind::Reflection).then(|| {
                        let title = unit.prompt.clone().unwrap_or_else(|| unit.summary.title.clone());
                        let href = format!(
                            "/journal?framework={}&competency={}&unit={}&title={}",
                            unit.framework_slug,
                            unit.competency_slug,
                            unit.summary.slug,
                            crate::domain::url::encode(&title),
                        );
                        view! {
                            <p>
                                <A exact=true href=href>{t!(unit.write_in_journal)}</A>
                            </p>
                        }
                    });
                    view! {
                        {journal}
                        <div class="done-control">
                            {is_done.then(|| view! { <p class="notice" role="status">{t!(unit.done)}</p> })}
                            <ActionForm action=done>
                                <input type="hidden" name="framework" value=unit.framework_slug.clone() />
                                <input type="hidden" name="unit" value=unit.summary.slug.clone() />
                                <input type="hidden" name="done" value=if is_done { "false" } else { "true" } />
                                <button class="button" type="submit">
                                    {label}
                                </button>
                            </ActionForm>
                        </div>
                    }
                        .into_any()
                })
            }}
        </Transition>
    }
}

/// A scenario's question before its considerations: the reader answers in their own words
/// (kept in their journal), and only then sees what to compare with.
#[component]
fn ScenarioAnswer(unit: UnitView, answer: ServerAction<AnswerScenario>) -> impl IntoView {
    let viewer = use_viewer().0;
    let error = use_form_error(answer);
    let mine = move || {
        error
            .get()
            .filter(|e| e.field == "answer")
            .map(|e| e.message)
    };
    let sign_in = format!(
        "/sign-in?next={}",
        crate::domain::url::encode(&format!(
            "/frameworks/{}/units/{}",
            unit.framework_slug, unit.summary.slug
        ))
    );
    view! {
        <section class="scenario-answer" aria-labelledby="answer-heading">
            <h2 id="answer-heading">{t!(unit.answer_first_heading)}</h2>
            <p>
                {t!(unit.answer_first_text)}
            </p>
            <Transition fallback=|| ()>
                {move || {
                    let unit = unit.clone();
                    let sign_in = sign_in.clone();
                    Suspend::new(async move {
                        if !matches!(viewer.await, Ok(Some(_))) {
                            return view! {
                                <p class="meta">
                                    <A exact=true href=sign_in>{t!(unit.sign_in)}</A>
                                    {t!(unit.answer_sign_in_after)}
                                </p>
                            }
                                .into_any();
                        }
                        // A refused plain form post comes back with the answer as typed.
                        let typed = echo_or("answer", String::new());
                        view! {
                            <ActionForm action=answer>
                                <input type="hidden" name="framework" value=unit.framework_slug.clone() />
                                <input type="hidden" name="unit" value=unit.summary.slug.clone() />
                                <FormAlert error fields=&["answer"] />
                                <div class="field" class:field--invalid=move || mine().is_some()>
                                    <label for="field-answer">{t!(unit.your_answer)}</label>
                                    <textarea
                                        id="field-answer"
                                        name="answer"
                                        rows="8"
                                        aria-invalid=move || mine().map(|_| "true")
                                        aria-describedby="field-answer-error"
                                        inner_html=textarea_html(&typed)
                                        prop:defaultValue=typed.clone()
                                    ></textarea>
                                    <p class="field__error" id="field-answer-error" role="alert">
                                        {mine}
                                    </p>
                                </div>
                                <button class="button" type="submit">
                                    {t!(unit.keep_answer)}
                                </button>
                            </ActionForm>
                        }
                            .into_any()
                    })
                }}
            </Transition>
        </section>
    }
}
