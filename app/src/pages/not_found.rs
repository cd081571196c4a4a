//! The page for an unknown address.

use crate::components::error_panel::ErrorPanel;
use crate::error::AppError;
use leptos::prelude::*;

/// Shown (with status 404) when no route matches.
#[component]
pub fn NotFound() -> impl IntoView {
    crate::mark_hydrated();
    view! { <ErrorPanel error=AppError::NotFound(crate::t!(errors.that_page).into()) /> }
}
