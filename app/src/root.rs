//! The HTML shell and the router.

use crate::components::layout::{SiteFooter, SiteHeader, SkipLink};
use crate::components::session_guard::provide_viewer;
use crate::pages::{
    assess::AssessPage,
    assess::ReviewPage,
    checklist::ChecklistPage,
    cohort::CohortPage,
    competency::CompetencyPage,
    coordinator::CoordinatorPage,
    course::{CourseIndexPage, CourseTextPage},
    credential::CredentialPublicPage,
    credential::MyCredentialsPage,
    credential::VerifyPage,
    credential::WalletOfferPage,
    dashboard::DashboardPage,
    evaluation::{EvaluationPage, InstitutionEvaluationPage},
    evidence::EvidencePage,
    evidence::EvidencePreviewPage,
    framework::FrameworkPage,
    frameworks::FrameworksPage,
    home::HomePage,
    join::JoinPage,
    journal::JournalEntryPage,
    journal::JournalPage,
    mail_settings::MailSettingsPage,
    moderation::ModerationPage,
    not_found::NotFound,
    profile::ProfilePage,
    reset::ResetPage,
    sign_in::ForgotPasswordPage,
    sign_in::SignInPage,
    sign_up::CheckEmailPage,
    sign_up::SignUpFinishPage,
    statement::StatementPage,
    statement::StatementPrintPage,
    unit::UnitPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy, LazyRoute, SsrMode};

/// The document around the app, rendered on the server only.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The request's language (cookie, else Accept-Language), so screen readers and
    // hyphenation read the page as written.
    let lang = crate::lang::current().as_str();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // Static head tags live here, in the server-only shell, rather than as
                // `leptos_meta` components in `App`: the browser's bundle then carries no code
                // for them (issue 14: ~0.5 KB brotli of the first visit).
                <meta
                    name="description"
                    content="A self-paced micro-credential in mentoring for in-service teachers, built on the Mentoring Competency Framework."
                />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                // The browser's code is fetched after the first paint, when the browser is
                // idle (`crate::hydration`), so it never competes with the page for the first
                // paint. Nothing is lost meanwhile: every form posts and every link loads
                // without JavaScript (docs/decisions.md, "Bundle size").
                <crate::hydration::HydrationScript options=options.clone() />
                <leptos_meta::HashedStylesheet options id="leptos" />
                <leptos_meta::MetaTags />
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
    leptos::prelude::provide_context(crate::i18n::PageLang(crate::components::layout::page_lang()));
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
            let site = crate::t!(common.site_name);
            if page.is_empty() { site.to_owned() } else { format!("{page} · {site}") }
        } />
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
                        path=path!("/credentials/:id/wallet")
                        view={Lazy::<WalletOfferRoute>::new()}
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
                        path=path!("/coordinator/cohorts/:id/evaluation")
                        view={Lazy::<EvaluationRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/coordinator/evaluation")
                        view={Lazy::<InstitutionEvaluationRoute>::new()}
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
                        path=path!("/forgot-password")
                        view={Lazy::<ForgotPasswordRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/mail/settings/:token")
                        view={Lazy::<MailSettingsRoute>::new()}
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
                    <Route
                        path=path!("/frameworks/:framework/course")
                        view={Lazy::<CourseIndexRoute>::new()}
                        ssr=SsrMode::Async
                    />
                    <Route
                        path=path!("/frameworks/:framework/course/:page")
                        view={Lazy::<CourseTextRoute>::new()}
                        ssr=SsrMode::Async
                    />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}

/// Declares the pages whose code is split out of the main WebAssembly file and fetched the
/// first time one of them is visited (`cargo leptos build --split`), in groups: one split
/// point per kind of reader, not one per route.
///
/// `lazy_pages!(group, __preload_group, Enum { Variant: Route => Page, … })` makes an enum
/// naming the group's pages, one `#[lazy]` function `group(page)` rendering any of them (the
/// split point), and for each page a `LazyRoute` that awaits it. Why groups: wasm-split puts each function shared by several
/// split points into a chunk for that exact set of points, so 26 route-level points made ~480
/// chunks: a loader script listing them all on every first visit, 100–190 fetches and
/// instantiations on a route's first load, and minutes of build time per chunk pass. With four
/// groups there are at most a handful. A reader mostly stays within their group (a visitor
/// reads the course; a teacher works in theirs), and the first page of a group loads what
/// the next ones need. See docs/decisions.md, "Bundle size".
macro_rules! lazy_pages {
    ($group:ident, $preload:ident, $enum:ident { $($variant:ident: $route:ident => $page:ident),* $(,)? }) => {
        #[doc = concat!("The pages of the `", stringify!($group), "` group (one split point).")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $enum {
            $(
                #[doc = concat!("[`", stringify!($page), "`].")]
                $variant,
            )*
        }

        #[doc = concat!("Renders one page of the `", stringify!($group), "` group: the code of the whole group is fetched together.")]
        #[leptos::lazy]
        fn $group(page: $enum) -> AnyView {
            mark_hydrated();
            match page {
                $($enum::$variant => view! { <$page /> }.into_any(),)*
            }
        }

        $(
            #[doc = concat!("The lazily loaded route of [`", stringify!($page), "`].")]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    // Every lazily loaded page reads the `pages` table of interface strings.
                    $crate::i18n::load($crate::i18n::Table::Pages).await;
                    $group($enum::$variant).await
                }

                // Fetched before the router swaps pages (the old page stays until then), as
                // `#[lazy_route]` does; `$preload` is what `#[lazy]` generates in the browser.
                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    {
                        $crate::i18n::load($crate::i18n::Table::Pages).await;
                        $preload().await;
                    }
                }
            }
        )*
    };
}

lazy_pages!(course_pages, __preload_course_pages, CoursePage {
    Frameworks: FrameworksRoute => FrameworksPage,
    Framework: FrameworkRoute => FrameworkPage,
    Competency: CompetencyRoute => CompetencyPage,
    Unit: UnitRoute => UnitPage,
    CourseIndex: CourseIndexRoute => CourseIndexPage,
    CourseText: CourseTextRoute => CourseTextPage,
    Credential: CredentialRoute => CredentialPublicPage,
    Verify: VerifyRoute => VerifyPage,
});

lazy_pages!(account_pages, __preload_account_pages, AccountPage {
    SignIn: SignInRoute => SignInPage,
    Profile: ProfileRoute => ProfilePage,
    Join: JoinRoute => JoinPage,
    Reset: ResetRoute => ResetPage,
    MailSettings: MailSettingsRoute => MailSettingsPage,
    ForgotPassword: ForgotPasswordRoute => ForgotPasswordPage,
    CheckEmail: CheckEmailRoute => CheckEmailPage,
    SignUpFinish: SignUpFinishRoute => SignUpFinishPage,
});

// The dashboard alone: it is where a teacher lands, and on a phone the teacher group's
// ~240 KB took ~250 ms of compiling and hydrating on the main thread before it was usable
// (Lighthouse's blocking time; see docs/decisions.md, "Bundle size").
lazy_pages!(dashboard_pages, __preload_dashboard_pages, DashboardGroup {
    Dashboard: DashboardRoute => DashboardPage,
});

lazy_pages!(teacher_pages, __preload_teacher_pages, TeacherPage {
    Checklist: ChecklistRoute => ChecklistPage,
    Journal: JournalRoute => JournalPage,
    JournalEntry: JournalEntryRoute => JournalEntryPage,
    Evidence: EvidenceRoute => EvidencePage,
    EvidencePreview: EvidencePreviewRoute => EvidencePreviewPage,
    MyCredentials: MyCredentialsRoute => MyCredentialsPage,
    WalletOffer: WalletOfferRoute => WalletOfferPage,
    Statement: StatementRoute => StatementPage,
    StatementPrint: StatementPrintRoute => StatementPrintPage,
});

lazy_pages!(staff_pages, __preload_staff_pages, StaffPage {
    Assess: AssessRoute => AssessPage,
    Review: ReviewRoute => ReviewPage,
    Moderation: ModerationRoute => ModerationPage,
    Evaluation: EvaluationRoute => EvaluationPage,
    InstitutionEvaluation: InstitutionEvaluationRoute => InstitutionEvaluationPage,
    Coordinator: CoordinatorRoute => CoordinatorPage,
    Cohort: CohortRoute => CohortPage,
});

/// Once the page (including its lazily loaded route) has hydrated, says so on
/// `<body data-hydrated>`: end-to-end tests wait for it before clicking, since a click on the
/// server-rendered page before hydration would be handled as a plain form post or link.
/// Every route calls it: eager ones in their component, lazy ones in [`lazy_pages!`].
pub fn mark_hydrated() {
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}
