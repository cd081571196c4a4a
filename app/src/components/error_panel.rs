//! How a page shows an [`AppError`].

use crate::components::status::set_http_status;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// A page-level message for an error, with the matching HTTP status when server-rendered.
#[component]
pub fn ErrorPanel(
    /// The error to explain.
    error: AppError,
) -> impl IntoView {
    set_http_status(error.status());
    let heading = match &error {
        AppError::NotFound(_) => "Not found",
        AppError::Unauthorized => "Please sign in",
        AppError::Forbidden => "No access",
        AppError::Invalid { .. } => "Please check your input",
        AppError::TooManyRequests(_) | AppError::Busy => "Please wait a moment",
        AppError::Internal | AppError::Transport(_) => "Something went wrong",
    };
    view! {
        <Title text=heading />
        <section class="panel panel--error" role="alert">
            <h1>{heading}</h1>
            <p>{error.to_string()}</p>
            <p>
                <A exact=true href="/">"Go to the home page"</A>
            </p>
        </section>
    }
}
