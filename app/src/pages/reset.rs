//! `/reset/:token`: choosing a new password through a one-time link from a coordinator.

use crate::api::join::{reset_info, ResetPassword};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert, TextField};
use crate::t;
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
        <Title text=t!(reset.title) />
        <Suspense fallback=|| view! { <p class="loading">{t!(reset.checking_link)}</p> }>
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
            <h1>{t!(reset.title)}</h1>
            <Show
                when=done
                fallback=move || {
                    let token = token.clone();
                    view! {
                        <p>{crate::i18n::k::reset::for_name(&name)}</p>
                        <ActionForm action>
                            <input type="hidden" name="token" value=token />
                            <FormAlert error fields=&["new_password", "confirm"] />
                            <TextField
                                label=t!(reset.new_password_label)
                                name="new_password"
                                kind="password"
                                autocomplete="new-password"
                                hint=t!(reset.new_password_hint)
                                error
                            />
                            <TextField
                                label=t!(reset.confirm_label)
                                name="confirm"
                                kind="password"
                                autocomplete="new-password"
                                error
                            />
                            <button class="button" type="submit">
                                {t!(reset.submit)}
                            </button>
                        </ActionForm>
                    }
                }
            >
                <p class="notice" role="status">
                    {t!(reset.changed)}
                    <A exact=true href="/sign-in">{t!(reset.sign_in_link)}</A>
                </p>
            </Show>
        </div>
    }
}
