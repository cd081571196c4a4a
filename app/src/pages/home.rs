//! The home page: what the credential is and how it works.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::t;

/// The journey shown on the home page: each step's title and text.
const STEPS: [(crate::i18n::Key, crate::i18n::Key); 5] = {
    use crate::i18n::k::home;
    [
        (home::learn_title, home::learn_text),
        (home::reflect_title, home::reflect_text),
        (home::submit_title, home::submit_text),
        (home::assessed_title, home::assessed_text),
        (home::badges_title, home::badges_text),
    ]
};

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
                {STEPS
                    .into_iter()
                    .map(|(title, text)| {
                        view! {
                            <li class="steps__item">
                                <h3>{crate::i18n::text(title)}</h3>
                                <p>{crate::i18n::text(text)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
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
