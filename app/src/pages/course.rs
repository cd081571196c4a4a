//! `/frameworks/:framework/course`: the course index (guides, printable tools, reference), and
//! `/frameworks/:framework/course/:page`: one course page, printable.

use crate::api::course::{get_course, get_course_page};
use crate::components::error_panel::ErrorPanel;
use crate::domain::course::{CourseIndex, PageKind, PageView};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::t;

/// The course index.
#[component]
pub fn CourseIndexPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("framework").unwrap_or_default();
    let course = Resource::new(slug, get_course);
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(course.loading)}</p> }>
            {move || Suspend::new(async move {
                match course.await {
                    Ok(course) => view! { <Index course /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Index(course: CourseIndex) -> impl IntoView {
    let fw = course.framework_slug.clone();
    let facts = crate::i18n::k::course::facts(
        course.facts.units,
        course.facts.range_in_words(),
        course.facts.total_in(crate::i18n::current_lang()),
    );
    let groups = PageKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let pages: Vec<_> = course
                .pages
                .iter()
                .filter(|p| p.kind == kind)
                .cloned()
                .collect();
            if pages.is_empty() {
                return None;
            }
            let heading_id = format!("course-{}", kind.as_str());
            let labelled_by = heading_id.clone();
            let fw = fw.clone();
            Some(view! {
                <section class="section" aria-labelledby=labelled_by>
                    <h2 id=heading_id>{kind.group_label()}</h2>
                    <ul class="course-list">
                        {pages
                            .into_iter()
                            .map(|p| {
                                let href = format!("/frameworks/{fw}/course/{}", p.slug);
                                view! {
                                    <li>
                                        <A exact=true href=href>{p.title}</A>
                                        <p class="meta">{p.summary}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            })
        })
        .collect_view();
    view! {
        <Title text=t!(course.title) />
        <nav aria-label=t!(course.breadcrumb) class="breadcrumb">
            <ol>
                <li>
                    <A exact=true href=format!("/frameworks/{fw}")>{course.framework_title.clone()}</A>
                </li>
                <li aria-current="page">{t!(course.title)}</li>
            </ol>
        </nav>
        <h1>{t!(course.title)}</h1>
        <p class="lead">
            {t!(course.lead)}
        </p>
        <p class="meta">{facts}</p>
        {groups}
    }
}

/// One course page.
#[component]
pub fn CourseTextPage() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("framework").unwrap_or_default(),
            p.get("page").unwrap_or_default(),
        )
    };
    let page = Resource::new(key, |(f, p)| get_course_page(f, p));
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(course.loading_page)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Page page /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Page(page: PageView) -> impl IntoView {
    let fw = page.framework_slug.clone();
    let kind = page.summary.kind;
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let print_hint = (kind == PageKind::Tool).then(|| {
        view! {
            <p class="course-page__print no-print">
                <button type="button" class="button button--secondary" on:click=print>
                    {t!(course.print_tool)}
                </button>
                {t!(course.print_hint)}
            </p>
        }
    });
    view! {
        <Title text=page.summary.title.clone() />
        <nav aria-label=t!(course.breadcrumb) class="breadcrumb no-print">
            <ol>
                <li>
                    <A exact=true href=format!("/frameworks/{fw}")>{page.framework_title.clone()}</A>
                </li>
                <li>
                    <A exact=true href=format!("/frameworks/{fw}/course")>{t!(course.title)}</A>
                </li>
                <li aria-current="page">{page.summary.title.clone()}</li>
            </ol>
        </nav>
        <article class=format!("course-page course-page--{}", kind.as_str())>
            <p class="tag no-print">{kind.group_label()}</p>
            <h1>{page.summary.title.clone()}</h1>
            <p class="lead no-print">{page.summary.summary.clone()}</p>
            {print_hint}
            <div class="prose" inner_html=page.body_html.clone()></div>
        </article>
    }
}
