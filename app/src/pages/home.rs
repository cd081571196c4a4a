//! The home page: what the credential is and how it works.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::t;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    crate::mark_hydrated();
    view! {
        <Title text="" />
        <section class="hero">
            <h1>{t!(home.title)}</h1>
            <p class="lead">
                {t!(home.lead)}
            </p>
            <p>
                <A exact=true href="/frameworks/mcf" attr:class="button">
                    {t!(home.explore)}
                </A>
            </p>
        </section>
        <section class="section" aria-labelledby="how-heading">
            <h2 id="how-heading">{t!(home.how_heading)}</h2>
            <ol class="steps">
                <li class="steps__item">
                    <h3>{t!(home.learn_title)}</h3>
                    <p>{t!(home.learn_text)}</p>
                </li>
                <li class="steps__item">
                    <h3>{t!(home.reflect_title)}</h3>
                    <p>{t!(home.reflect_text)}</p>
                </li>
                <li class="steps__item">
                    <h3>{t!(home.submit_title)}</h3>
                    <p>{t!(home.submit_text)}</p>
                </li>
                <li class="steps__item">
                    <h3>{t!(home.assessed_title)}</h3>
                    <p>{t!(home.assessed_text)}</p>
                </li>
                <li class="steps__item">
                    <h3>{t!(home.badges_title)}</h3>
                    <p>{t!(home.badges_text)}</p>
                </li>
            </ol>
        </section>
        <section class="section" aria-labelledby="framework-heading">
            <h2 id="framework-heading">{t!(home.framework_heading)}</h2>
            <p>
                {t!(home.framework_text)}
            </p>
            <p>
                <A exact=true href="/frameworks/mcf">{t!(home.framework_link)}</A>
            </p>
        </section>
    }
}
