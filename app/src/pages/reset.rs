//! `/reset/:token`: choosing a new password through a one-time link from a coordinator.

use crate::api::join::{reset_info, ResetPassword};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The reset page.
#[component]
pub fn ResetPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let info = Resource::new(token, reset_info);
    view! {
        <Title text="Choose a new password" />
        <Suspense fallback=|| view! { <p class="loading">"Checking the link…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(name) => view! { <ResetForm name token=token() /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResetForm(name: String, token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let error = use_form_error(action);
    let done = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <div class="narrow">
            <h1>"Choose a new password"</h1>
            <Show
                when=done
                fallback=move || {
                    let token = token.clone();
                    view! {
                        <p>{format!("For {name}. This signs you out everywhere.")}</p>
                        <ActionForm action>
                            <input type="hidden" name="token" value=token />
                            <FormAlert error fields=&["new_password", "confirm"] />
                            <TextField
                                label="New password"
                                name="new_password"
                                kind="password"
                                autocomplete="new-password"
                                hint="At least 12 characters."
                                error
                            />
                            <TextField
                                label="New password again"
                                name="confirm"
                                kind="password"
                                autocomplete="new-password"
                                error
                            />
                            <button class="button" type="submit">
                                "Set password"
                            </button>
                        </ActionForm>
                    }
                }
            >
                <p class="notice" role="status">
                    "Your password was changed. " <A exact=true href="/sign-in">"Sign in"</A>
                </p>
            </Show>
        </div>
    }
}
