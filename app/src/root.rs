//! The HTML shell and the router.

use crate::components::layout::{SiteFooter, SiteHeader, SkipLink};
use crate::components::session_guard::provide_viewer;
use crate::pages::{
    assess::AssessPage, assess::ReviewPage, checklist::ChecklistPage, cohort::CohortPage,
    competency::CompetencyPage, coordinator::CoordinatorPage, credential::CredentialPublicPage,
    credential::MyCredentialsPage, credential::VerifyPage, dashboard::DashboardPage,
    evidence::EvidencePage, evidence::EvidencePreviewPage, framework::FrameworkPage,
    frameworks::FrameworksPage, home::HomePage, join::JoinPage, journal::JournalEntryPage,
    journal::JournalPage, moderation::ModerationPage, not_found::NotFound, profile::ProfilePage,
    reset::ResetPage, sign_in::SignInPage, sign_up::CheckEmailPage, sign_up::SignUpFinishPage,
    statement::StatementPage, statement::StatementPrintPage, unit::UnitPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

/// The name the product goes by in titles and the header.
pub const SITE_NAME: &str = "Mentoring Micro-credential";

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
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

/// The strict Content-Security-Policy of a page: scripts only from us or carrying this
/// response's `nonce` (the hydration script), WebAssembly allowed, nothing inline otherwise.
/// `reload` adds the websocket `cargo leptos watch` reloads pages over (development only).
/// The server sets it on every page (see `server::startup`), with the nonce it chose before
/// rendering, so the header never depends on the render.
pub fn content_security_policy(nonce: &str, reload: Option<&str>) -> String {
    let reload = reload.map(|r| format!(" {r}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'{reload}; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The application: header, the page for the current route, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let viewer = provide_viewer().0;
    // Keeps the journal usable offline (browser only; effects do not run on the server). Only
    // for someone signed in: a visitor has no journal, and the worker's precache would be
    // downloaded for nothing on a first visit.
    Effect::new(move |_| {
        if matches!(viewer.get(), Some(Ok(Some(_)))) {
            crate::browser::register_service_worker();
        }
    });
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
                    <Route
                        path=path!("/frameworks/:framework/competencies/:competency/checklist")
                        view={Lazy::<ChecklistRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/frameworks/:framework/competencies/:competency/evidence")
                        view={Lazy::<EvidenceRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/frameworks/:framework/competencies/:competency/evidence/preview")
                        view={Lazy::<EvidencePreviewRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/credentials")
                        view={Lazy::<MyCredentialsRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/credentials/:id")
                        view={Lazy::<CredentialRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/learning-statement")
                        view={Lazy::<StatementRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/learning-statement/print")
                        view={Lazy::<StatementPrintRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/verify") view={Lazy::<VerifyRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/assess") view={Lazy::<AssessRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("/assess/:id") view={Lazy::<ReviewRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/coordinator/cohorts/:id/moderation")
                        view={Lazy::<ModerationRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/frameworks/:framework/units/:unit")
                        view={Lazy::<UnitRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/dashboard")
                        view={Lazy::<DashboardRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route path=path!("/journal") view={Lazy::<JournalRoute>::new()} ssr=SsrMode::Async />
                    <Route
                        path=path!("/journal/:id")
                        view={Lazy::<JournalEntryRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/sign-in")
                        view={Lazy::<SignInRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/profile")
                        view={Lazy::<ProfileRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/join/:token")
                        view={Lazy::<JoinRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/check-email")
                        view={Lazy::<CheckEmailRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/sign-up/:code")
                        view={Lazy::<SignUpFinishRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/reset/:token")
                        view={Lazy::<ResetRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator")
                        view={Lazy::<CoordinatorRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/cohorts/:id")
                        view={Lazy::<CohortRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/frameworks")
                        view={Lazy::<FrameworksRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/frameworks/:framework")
                        view={Lazy::<FrameworkRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/frameworks/:framework/competencies/:competency")
                        view={Lazy::<CompetencyRoute>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}

/// Declares a route whose code is split out of the main WebAssembly file and fetched the first
/// time it is visited (`cargo leptos build --split`): what every visitor downloads stays small.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        #[doc = concat!("The lazily loaded route of [`", stringify!($page), "`].")]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                mark_hydrated();
                view! { <$page /> }.into_any()
            }
        }
    };
}

lazy_page!(FrameworksRoute, FrameworksPage);
lazy_page!(FrameworkRoute, FrameworkPage);
lazy_page!(CompetencyRoute, CompetencyPage);
lazy_page!(UnitRoute, UnitPage);
lazy_page!(ChecklistRoute, ChecklistPage);
lazy_page!(DashboardRoute, DashboardPage);
lazy_page!(JournalRoute, JournalPage);
lazy_page!(JournalEntryRoute, JournalEntryPage);
lazy_page!(SignInRoute, SignInPage);
lazy_page!(ProfileRoute, ProfilePage);
lazy_page!(JoinRoute, JoinPage);
lazy_page!(ResetRoute, ResetPage);
lazy_page!(CheckEmailRoute, CheckEmailPage);
lazy_page!(SignUpFinishRoute, SignUpFinishPage);
lazy_page!(CoordinatorRoute, CoordinatorPage);
lazy_page!(CohortRoute, CohortPage);
lazy_page!(EvidenceRoute, EvidencePage);
lazy_page!(EvidencePreviewRoute, EvidencePreviewPage);
lazy_page!(AssessRoute, AssessPage);
lazy_page!(ReviewRoute, ReviewPage);
lazy_page!(ModerationRoute, ModerationPage);
lazy_page!(MyCredentialsRoute, MyCredentialsPage);
lazy_page!(CredentialRoute, CredentialPublicPage);
lazy_page!(VerifyRoute, VerifyPage);
lazy_page!(StatementRoute, StatementPage);
lazy_page!(StatementPrintRoute, StatementPrintPage);

/// Once the page (including its lazily loaded route) has hydrated, says so on
/// `<body data-hydrated>`: end-to-end tests wait for it before clicking, since a click on the
/// server-rendered page before hydration would be handled as a plain form post or link.
/// Every route calls it: eager ones in their component, lazy ones in [`lazy_page!`].
pub fn mark_hydrated() {
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
