//! The list of frameworks.

use crate::api::framework::list_frameworks;
use crate::components::error_panel::ErrorPanel;
use crate::domain::framework::FrameworkSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::t;

/// All frameworks the course knows, the default first.
#[component]
pub fn FrameworksPage() -> impl IntoView {
    let frameworks = Resource::new(|| (), |_| list_frameworks());
    view! {
        <Title text=t!(framework.frameworks) />
        <Suspense fallback=|| view! { <p class="loading">{t!(framework.loading_list)}</p> }>
            {move || Suspend::new(async move {
                match frameworks.await {
                    Ok(list) => view! { <FrameworkList list /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FrameworkList(list: Vec<FrameworkSummary>) -> impl IntoView {
    view! {
        <h1>{t!(framework.list_heading)}</h1>
        <p class="lead">
            {t!(framework.list_lead)}
        </p>
        <ul class="card-list">
            {list
                .into_iter()
                .map(|f| {
                    let href = format!("/frameworks/{}", f.slug);
                    view! {
                        <li class="card">
                            <h2 class="card__title">
                                <A exact=true href=href>{f.title}</A>
                            </h2>
                            {f.is_default.then(|| view! { <p class="tag">{t!(framework.course_framework)}</p> })}
                            <p>{f.description}</p>
                            <p class="meta">
                                {crate::i18n::k::framework::totals(
                                    f.domain_count,
                                    f.competency_count,
                                    f.indicator_count,
                                )}
                            </p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
