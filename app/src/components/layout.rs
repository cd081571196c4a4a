//! The frame around every page: skip link, header with navigation, footer.

use crate::api::account::SignOut;
use crate::api::review::get_notifications;
use crate::components::session_guard::use_viewer;
use crate::domain::account::{Role, Viewer};
use crate::domain::assessment::Notifications;
use leptos::prelude::*;
use leptos::server_fn::ServerFn as _;
use leptos_router::components::A;

use crate::t;

/// The first focusable element: jumps over the navigation to the page's main content.
#[component]
pub fn SkipLink() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">
            {t!(common.skip_link)}
        </a>
    }
}

/// The site header with the primary navigation.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let viewer = use_viewer().0;
    // What is waiting for the person (zeros when signed out), refreshed on every navigation.
    // Created here, outside the `Transition`, so the browser finds the server's answer when it
    // hydrates instead of asking again.
    let location = leptos_router::hooks::use_location();
    let counts = Resource::new(move || location.pathname.get(), |_| get_notifications());
    let menu = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        location.pathname.track();
        if let Some(menu) = menu.get_untracked() {
            menu.set_open(false);
        }
    });
    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <A exact=true href="/" attr:class="site-header__brand">
                    <span class="site-header__mark" aria-hidden="true">
                        "M"
                    </span>
                    {t!(common.site_name)}
                </A>
                // On a phone the navigation folds into a disclosure ("Menu"), which works
                // without JavaScript; on a wider screen the stylesheet keeps it open and hides
                // the toggle. Moving to another page closes it.
                <details class="site-menu" node_ref=menu>
                    <summary class="site-menu__toggle">
                        {t!(common.menu)}
                    </summary>
                    <nav aria-label=t!(common.nav_main)>
                        <ul class="nav-list">
                            <li>
                                <A href="/" exact=true>
                                    {t!(common.nav_home)}
                                </A>
                            </li>
                            <li>
                                <A exact=true href="/frameworks/mcf">{t!(common.nav_framework)}</A>
                            </li>
                            <li>
                                <A href="/frameworks" exact=true>
                                    {t!(common.nav_all_frameworks)}
                                </A>
                            </li>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let counts = counts.await.unwrap_or_default();
                                    match viewer.await {
                                        Ok(Some(v)) => view! { <AccountLinks viewer=v counts /> }.into_any(),
                                        _ => {
                                            view! {
                                                <li>
                                                    <A exact=true href="/sign-in">{t!(common.nav_sign_in)}</A>
                                                </li>
                                            }
                                                .into_any()
                                        }
                                    }
                                })}
                            </Transition>
                        </ul>
                    </nav>
                </details>
            </div>
        </header>
    }
}

/// Signing out is a plain form post, with or without JavaScript: the server ends the session
/// and redirects to the home page, and the full page load forgets everything about the person.
#[component]
fn AccountLinks(viewer: Viewer, counts: Notifications) -> impl IntoView {
    let coordinates = viewer.has_role_anywhere(Role::Coordinator);
    let assesses = viewer.has_role_anywhere(Role::Assessor) || coordinates;
    view! {
        {coordinates
            .then(|| {
                view! {
                    <li>
                        <A exact=true href="/coordinator">
                            {t!(common.nav_cohorts)}
                            <Badge n=counts.moderations_to_resolve what=t!(common.badge_to_resolve) />
                        </A>
                    </li>
                }
            })}
        {assesses
            .then(|| {
                view! {
                    <li>
                        <A exact=true href="/assess">
                            {t!(common.nav_assess)}
                            <Badge n=counts.reviews_waiting what=t!(common.badge_waiting) />
                        </A>
                    </li>
                }
            })}
        <li>
            <A exact=true href="/dashboard">
                {t!(common.nav_dashboard)}
                <Badge n=counts.decisions_unseen what=t!(common.badge_new_decision) />
            </A>
        </li>
        <li>
            <A exact=true href="/journal">{t!(common.nav_journal)}</A>
        </li>
        <li>
            <A exact=true href="/credentials">{t!(common.nav_credentials)}</A>
        </li>
        <li>
            <A exact=true href="/profile">{t!(common.nav_profile)}</A>
        </li>
        <li>
            <form method="post" action=SignOut::url() class="inline-form">
                <button class="link-button" type="submit">
                    {crate::i18n::k::common::sign_out(&viewer.name)}
                </button>
            </form>
        </li>
    }
}

/// A count beside a navigation link, read out with what it counts.
#[component]
fn Badge(n: u32, what: &'static str) -> impl IntoView {
    (n > 0).then(|| {
        view! {
            <span class="badge">
                <span aria-hidden="true">{n}</span>
                <span class="visually-hidden">{format!(" ({n} {what})")}</span>
            </span>
        }
    })
}

/// The site footer.
#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>{t!(common.footer_attribution)}</p>
            <p>
                <A exact=true href="/verify">{t!(common.footer_verify)}</A>
                {t!(common.footer_verify_after)}
            </p>
            <LanguageSwitcher />
        </footer>
    }
}

/// The language of the page being shown: the server's choice for this request, which the
/// browser reads back from `<html lang>`.
pub fn page_lang() -> crate::domain::lang::Lang {
    #[cfg(feature = "ssr")]
    {
        crate::lang::current()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("lang"))
            .and_then(|l| crate::domain::lang::Lang::parse(&l))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        crate::domain::lang::Lang::default()
    }
}

/// Links to read the site in each other language (`/language/{lang}?next=…`, which remembers
/// the choice and comes back to this page). Plain links: they work without JavaScript, and
/// `rel="external"` keeps the router from handling them in the browser.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    use crate::domain::lang::Lang;
    let current = page_lang();
    // Back to this page's path; its query is left behind, so nothing a link put in the URL is
    // carried into this page's own links (docs/decisions.md, "Messages come from the server").
    let location = leptos_router::hooks::use_location();
    let here = move || crate::domain::url::encode(&location.pathname.get());
    view! {
        <nav class="language-switcher" aria-label=t!(common.language)>
            <ul>
                {Lang::ALL
                    .into_iter()
                    .map(|l| {
                        if l == current {
                            view! {
                                <li>
                                    <span aria-current="true" lang=l.as_str()>{l.own_name()}</span>
                                </li>
                            }
                                .into_any()
                        } else {
                            view! {
                                <li>
                                    <a
                                        href=move || format!("/language/{}?next={}", l.as_str(), here())
                                        rel="external nofollow"
                                        hreflang=l.as_str()
                                        lang=l.as_str()
                                    >
                                        {l.own_name()}
                                    </a>
                                </li>
                            }
                                .into_any()
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The scroll region around a data table: on a narrow screen the table scrolls sideways inside
/// it and the page itself never does (WCAG 2.2 SC 1.4.10, Reflow, lets a data table keep its
/// two dimensions). `label` names the region for assistive technology (usually the table's
/// caption; said as "Table: …", so it never repeats the name of the section around it); the
/// region takes keyboard focus so it can be scrolled without a pointer (axe
/// rule `scrollable-region-focusable`).
#[component]
pub fn TableScroll(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-label=crate::i18n::k::errors::table_label(&label) tabindex="0">
            {children()}
        </div>
    }
}
