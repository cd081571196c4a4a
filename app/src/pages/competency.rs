//! A competency's page: its description and indicators.

use crate::api::framework::get_competency;
use crate::api::unit::list_units;
use crate::components::error_panel::ErrorPanel;
use crate::domain::framework::CompetencyView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::t;

/// `/frameworks/:framework/competencies/:competency`.
#[component]
pub fn CompetencyPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("framework").unwrap_or_default(),
            p.get("competency").unwrap_or_default(),
        )
    };
    let competency = Resource::new(key, |(f, c)| get_competency(f, c));
    // Created here, beside the competency, not in the view the closure below makes: that
    // closure runs again when the competency resolves, and a resource created inside it was
    // loaded and sent twice (server/tests/integration/pages.rs).
    let units = Resource::new(key, |(f, c)| list_units(f, c));
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(competency.loading)}</p> }>
            {move || Suspend::new(async move {
                match competency.await {
                    Ok(competency) => view! { <Competency competency units /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Competency(
    competency: CompetencyView,
    units: Resource<Result<Vec<crate::domain::unit::UnitSummary>, crate::error::AppError>>,
) -> impl IntoView {
    let fw = competency.framework_slug.clone();
    let link = move |slug: &str| format!("/frameworks/{fw}/competencies/{slug}");
    let previous = competency.previous.clone().map(|(slug, title)| {
        view! {
            <A exact=true href=link(&slug) attr:rel="prev">
                "← "
                {title}
            </A>
        }
    });
    let next = competency.next.clone().map(|(slug, title)| {
        view! {
            <A exact=true href=link(&slug) attr:rel="next">
                {title}
                " →"
            </A>
        }
    });
    let framework_href = format!("/frameworks/{}", competency.framework_slug);
    let domain_href = format!("{framework_href}#domain-{}", competency.domain_slug);
    view! {
        <Title text=competency.title.clone() />
        <nav aria-label=t!(competency.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href=framework_href>{competency.framework_title.clone()}</A>
                </li>
                <li>
                    <a href=domain_href>{competency.domain_title.clone()}</a>
                </li>
                <li aria-current="page">{competency.title.clone()}</li>
            </ol>
        </nav>
        <h1>{competency.title.clone()}</h1>
        {competency.priority.map(|p| {
            view! { <p class="meta">{crate::i18n::k::competency::priority(p.label())}</p> }
        })}
        <section class="section" aria-labelledby="description-heading">
            <h2 id="description-heading">{t!(competency.description_heading)}</h2>
            <ul class="statement-list">
                {competency
                    .description
                    .iter()
                    .map(|s| view! { <li>{s.clone()}</li> })
                    .collect_view()}
            </ul>
            {competency
                .description_adapted
                .then(|| view! { <p class="meta">{t!(competency.adapted)}</p> })}
        </section>
        <section class="section" aria-labelledby="indicators-heading">
            <h2 id="indicators-heading">
                {crate::i18n::k::competency::indicators_heading(competency.indicators.len())}
            </h2>
            <p>{t!(competency.indicators_intro)}</p>
            <p>
                <A exact=true href=format!("/frameworks/{}/competencies/{}/checklist", competency.framework_slug, competency.slug)>
                    {t!(competency.rate_yourself)}
                </A>
                " · "
                <A exact=true href=format!("/frameworks/{}/competencies/{}/evidence", competency.framework_slug, competency.slug)>
                    {t!(competency.submit_evidence)}
                </A>
            </p>
            <ol class="indicator-list">
                {competency
                    .indicators
                    .iter()
                    .map(|i| view! { <li id=format!("indicator-{}", i.slug)>{i.text.clone()}</li> })
                    .collect_view()}
            </ol>
        </section>
        <UnitList framework=competency.framework_slug.clone() units />
        <nav class="pager" aria-label=t!(competency.pager)>
            <span>{previous}</span>
            <span>{next}</span>
        </nav>
        <p class="attribution">{competency.attribution.clone()}</p>
    }
}

/// The competency's micro-learning units, with what the signed-in teacher has done.
#[component]
fn UnitList(
    framework: String,
    units: Resource<Result<Vec<crate::domain::unit::UnitSummary>, crate::error::AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let framework = framework.clone();
                Suspend::new(async move {
                    let units = units.await.unwrap_or_default();
                    (!units.is_empty())
                        .then(|| {
                            let total: u32 = units.iter().map(|u| u.minutes).sum();
                            let done = units.iter().filter(|u| u.done).count();
                            view! {
                                <section class="section" aria-labelledby="units-heading">
                                    <h2 id="units-heading">{t!(competency.learn_heading)}</h2>
                                    <p class="meta">
                                        {if crate::i18n::singular(done as i64) {
                                            crate::i18n::k::competency::units_meta_one(units.len(), total, done)
                                        } else {
                                            crate::i18n::k::competency::units_meta_other(units.len(), total, done)
                                        }}
                                    </p>
                                    <ol class="unit-list">
                                        {units
                                            .into_iter()
                                            .map(|u| {
                                                let href = format!("/frameworks/{framework}/units/{}", u.slug);
                                                view! {
                                                    <li class="unit-list__item">
                                                        <A exact=true href=href>{u.title}</A>
                                                        <span class="meta">
                                                            {crate::i18n::k::competency::unit_meta(u.kind.label(), u.minutes)}
                                                        </span>
                                                        {u.done.then(|| view! { <span class="done-mark">{t!(competency.done_mark)}</span> })}
                                                        <p>{u.summary}</p>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ol>
                                </section>
                            }
                        })
                })
            }}
        </Suspense>
    }
}
