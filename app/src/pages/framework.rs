//! A framework's overview: its domains and their competencies.

use crate::api::framework::get_framework;
use crate::components::error_panel::ErrorPanel;
use crate::domain::framework::{DomainView, FrameworkView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::t;

/// `/frameworks/:framework`.
#[component]
pub fn FrameworkPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("framework").unwrap_or_default();
    let framework = Resource::new(slug, get_framework);
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(framework.loading)}</p> }>
            {move || Suspend::new(async move {
                match framework.await {
                    Ok(framework) => view! { <Overview framework /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(framework: FrameworkView) -> impl IntoView {
    let totals = crate::i18n::k::framework::totals(
        framework.domains.len(),
        framework.competency_count(),
        framework.indicator_count(),
    );
    let fw = framework.slug.clone();
    view! {
        <Title text=framework.title.clone() />
        <nav aria-label=t!(framework.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href="/frameworks">{t!(framework.frameworks)}</A>
                </li>
                <li aria-current="page">{framework.short_title.clone()}</li>
            </ol>
        </nav>
        <h1>{framework.title.clone()}</h1>
        <p class="lead">{framework.description.clone()}</p>
        <p class="meta">{totals}</p>
        {(framework.course_pages > 0)
            .then(|| {
                view! {
                    <p>
                        <A exact=true href=format!("/frameworks/{fw}/course/introduction") attr:class="button">
                            {t!(framework.start_intro)}
                        </A>
                        " "
                        <A exact=true href=format!("/frameworks/{fw}/course")>
                            {t!(framework.course_link)}
                        </A>
                    </p>
                }
            })}
        <div class="domain-grid">
            {framework
                .domains
                .into_iter()
                .enumerate()
                .map(|(i, domain)| view! { <DomainCard number=i + 1 domain framework=fw.clone() /> })
                .collect_view()}
        </div>
        <p class="attribution">{framework.attribution}</p>
    }
}

#[component]
fn DomainCard(number: usize, domain: DomainView, framework: String) -> impl IntoView {
    let heading_id = format!("domain-{}", domain.slug);
    let labelled_by = heading_id.clone();
    view! {
        <section class="domain" aria-labelledby=labelled_by>
            <h2 id=heading_id>
                <span class="domain__number">{crate::i18n::k::framework::domain_number(number)}</span>
                {domain.title}
            </h2>
            <p>
                {domain.summary}
                {domain
                    .summary_adapted
                    .then(|| view! { <span class="meta">{t!(framework.summary_adapted)}</span> })}
            </p>
            <ul class="competency-list">
                {domain
                    .competencies
                    .into_iter()
                    .map(|c| {
                        let href = format!("/frameworks/{framework}/competencies/{}", c.slug);
                        let n = c.indicator_count;
                        let count = if crate::i18n::singular(n as i64) {
                            crate::i18n::k::framework::indicator_count_one(n)
                        } else {
                            crate::i18n::k::framework::indicator_count_other(n)
                        };
                        view! {
                            <li>
                                <A exact=true href=href>{c.title}</A>
                                <span class="meta">
                                    " · "
                                    {count}
                                    {c.priority.map(|p| crate::i18n::k::framework::priority(p.label()))}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
