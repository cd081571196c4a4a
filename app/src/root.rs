//! The HTML shell and the router.

use crate::components::layout::{SiteFooter, SiteHeader, SkipLink};
use crate::components::session_guard::provide_viewer;
use crate::pages::{
    cohort::CohortPage, competency::CompetencyPage, coordinator::CoordinatorPage,
    framework::FrameworkPage, frameworks::FrameworksPage, home::HomePage, join::JoinPage,
    not_found::NotFound, profile::ProfilePage, reset::ResetPage, sign_in::SignInPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The name the product goes by in titles and the header.
pub const SITE_NAME: &str = "Mentoring Micro-credential";

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options=options.clone() />
                <HashedStylesheet options id="leptos" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A strict Content-Security-Policy for the page: scripts only from us or carrying this
/// response's nonce (the hydration script), WebAssembly allowed, nothing inline otherwise.
#[cfg(feature = "ssr")]
fn set_content_security_policy(options: &LeptosOptions) {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = use_nonce()
        .map(|n| format!(" 'nonce-{n}'"))
        .unwrap_or_default();
    // `cargo leptos watch` reloads the page over a websocket on the reload port.
    let reload = if std::env::var_os("LEPTOS_WATCH").is_some() {
        format!(" ws://{}:{}", options.site_addr.ip(), options.reload_port)
    } else {
        String::new()
    };
    let policy = format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{reload}; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The application: header, the page for the current route, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_viewer();
    mark_hydrated();
    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { SITE_NAME.to_owned() } else { format!("{page} · {SITE_NAME}") }
        } />
        <Meta
            name="description"
            content="A self-paced micro-credential in mentoring for in-service teachers, built on the Mentoring Competency Framework."
        />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Router>
            <SkipLink />
            <SiteHeader />
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async />
                    <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/join/:token") view=JoinPage ssr=SsrMode::Async />
                    <Route path=path!("/reset/:token") view=ResetPage ssr=SsrMode::Async />
                    <Route path=path!("/coordinator") view=CoordinatorPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/coordinator/cohorts/:id")
                        view=CohortPage
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/frameworks") view=FrameworksPage ssr=SsrMode::Async />
                    <Route
                        path=path!("/frameworks/:framework")
                        view=FrameworkPage
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/frameworks/:framework/competencies/:competency")
                        view=CompetencyPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}

/// Once the app has hydrated, says so on `<body data-hydrated>`: end-to-end tests wait for it
/// before clicking, since a click on the server-rendered page before hydration would be lost.
fn mark_hydrated() {
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
