//! How a page shows an [`AppError`].

use crate::components::status::set_http_status;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::t;

/// A page-level message for an error, with the matching HTTP status when server-rendered.
#[component]
pub fn ErrorPanel(
    /// The error to explain.
    error: AppError,
) -> impl IntoView {
    set_http_status(error.status());
    let heading = match &error {
        AppError::NotFound(_) => t!(errors.heading_not_found),
        AppError::Unauthorized => t!(errors.heading_unauthorized),
        AppError::Forbidden => t!(errors.heading_forbidden),
        AppError::Invalid { .. } => t!(errors.heading_invalid),
        AppError::TooManyRequests(_) | AppError::Busy => t!(errors.heading_wait),
        AppError::Internal | AppError::Transport(_) => t!(errors.heading_internal),
    };
    view! {
        <Title text=heading />
        <section class="panel panel--error" role="alert">
            <h1>{heading}</h1>
            <p>{error.localized()}</p>
            <p>
                <A exact=true href="/">{t!(errors.home_link)}</A>
            </p>
        </section>
    }
}
