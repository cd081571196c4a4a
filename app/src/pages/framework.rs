//! A framework's overview: its domains and their competencies.

use crate::api::framework::get_framework;
use crate::components::error_panel::ErrorPanel;
use crate::domain::framework::{DomainView, FrameworkView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// `/frameworks/:framework`.
#[component]
pub fn FrameworkPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("framework").unwrap_or_default();
    let framework = Resource::new(slug, get_framework);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading the framework…"</p> }>
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
    let totals = format!(
        "{} domains · {} competencies · {} indicators",
        framework.domains.len(),
        framework.competency_count(),
        framework.indicator_count(),
    );
    let fw = framework.slug.clone();
    view! {
        <Title text=framework.title.clone() />
        <nav aria-label="Breadcrumb" class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href="/frameworks">"Frameworks"</A>
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
                            "Start with the course introduction"
                        </A>
                        " "
                        <A exact=true href=format!("/frameworks/{fw}/course")>
                            "Guides, printable tools and references"
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
                <span class="domain__number">{format!("Domain {number}")}</span>
                {domain.title}
            </h2>
            <p>
                {domain.summary}
                {domain
                    .summary_adapted
                    .then(|| view! { <span class="meta">" (summary adapted from the source)"</span> })}
            </p>
            <ul class="competency-list">
                {domain
                    .competencies
                    .into_iter()
                    .map(|c| {
                        let href = format!("/frameworks/{framework}/competencies/{}", c.slug);
                        let count = match c.indicator_count {
                            1 => "1 indicator".to_owned(),
                            n => format!("{n} indicators"),
                        };
                        view! {
                            <li>
                                <A exact=true href=href>{c.title}</A>
                                <span class="meta">
                                    " · "
                                    {count}
                                    {c.priority.map(|p| format!(" · priority {} of 4", p.label()))}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
