//! The frame around every page: skip link, header with navigation, footer.

use crate::root::SITE_NAME;
use leptos::prelude::*;
use leptos_router::components::A;

/// The first focusable element: jumps over the navigation to the page's main content.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">
            "Skip to main content"
        </a>
    }
}

/// The site header with the primary navigation.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="site-header__brand">
                    <span class="site-header__mark" aria-hidden="true">
                        "M"
                    </span>
                    {SITE_NAME}
                </A>
                <nav aria-label="Main">
                    <ul class="nav-list">
                        <li>
                            <A href="/" exact=true>
                                "Home"
                            </A>
                        </li>
                        <li>
                            <A href="/frameworks/mcf">"Framework"</A>
                        </li>
                        <li>
                            <A href="/frameworks" exact=true>
                                "All frameworks"
                            </A>
                        </li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// The site footer.
#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Course content is built on the Mentoring Competency Framework (Bholoa, Baichoo, Ramkissoon & Sider, Mauritius Institute of Education), reproduced with attribution."
            </p>
        </footer>
    }
}
