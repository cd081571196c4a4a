//! Who is signed in, for every page, and the guards private pages use.

use crate::api::account::current_viewer;
use crate::components::error_panel::ErrorPanel;
use crate::domain::account::{Role, Viewer};
use crate::error::AppError;
use crate::t;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// The signed-in person (or `None`), loaded once per page load and shared through context.
#[derive(Clone, Copy)]
pub struct ViewerResource(pub Resource<Result<Option<Viewer>, AppError>>);

/// Creates the viewer resource and provides it (call once, in the app root).
pub fn provide_viewer() -> ViewerResource {
    let resource = ViewerResource(Resource::new(|| (), |_| current_viewer()));
    provide_context(resource);
    resource
}

/// The viewer resource from context.
pub fn use_viewer() -> ViewerResource {
    use_context::<ViewerResource>().unwrap_or_else(provide_viewer)
}

/// Renders `children` for a signed-in person holding `role` somewhere (any role when `None`);
/// sends signed-out visitors to sign in, then back here; shows a polite 403 otherwise.
#[component]
pub fn Private<F, IV>(
    /// A role the person must hold in at least one cohort.
    #[prop(optional)]
    role: Option<Role>,
    /// The page, given the viewer.
    children: F,
) -> impl IntoView
where
    F: Fn(Viewer) -> IV + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let viewer = use_viewer().0;
    let location = use_location();
    // One `Suspend`, not a closure making one: the page (`children`) creates its own resources,
    // and a closure re-run when the viewer resolves would create them again. On the server
    // every page's data was loaded, serialized and sent three times. The viewer does not
    // change during a page load (signing in or out reloads the page), so nothing here needs
    // to re-render.
    let page = Suspend::new(async move {
        match viewer.await {
            Ok(Some(v)) if role.is_none_or(|r| v.has_role_anywhere(r)) => children(v).into_any(),
            Ok(Some(_)) => view! { <ErrorPanel error=AppError::Forbidden /> }.into_any(),
            Ok(None) => {
                let search = location.search.get_untracked();
                let here = if search.is_empty() {
                    location.pathname.get_untracked()
                } else {
                    format!("{}?{search}", location.pathname.get_untracked())
                };
                let path = format!("/sign-in?next={}", crate::domain::url::encode(&here));
                view! { <Redirect path /> }.into_any()
            }
            Err(error) => view! { <ErrorPanel error /> }.into_any(),
        }
    });
    view! {
        <Suspense fallback=|| view! { <p class="loading">{t!(session_guard.loading)}</p> }>
            {page}
        </Suspense>
    }
}
