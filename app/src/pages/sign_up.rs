//! `/check-email` and `/sign-up/:code`: the two steps after the invitation's sign-up form. The
//! first says the e-mail is on its way; the second (the link in it) chooses the password,
//! which creates the account and joins the cohort.

use crate::api::join::{article, sign_up_info, FinishSignUp};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::{use_form_error, FormAlert, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The page after the sign-up form. It says the same whatever address was given (whether it
/// has an account is told only in the e-mail), and shows nothing taken from the URL.
#[component]
pub fn CheckEmailPage() -> impl IntoView {
    view! {
        <Title text="Check your e-mail" />
        <div class="narrow">
            <h1>"Check your e-mail"</h1>
            <p role="status">
                "We have sent a message to the address you gave. Open the link in it to choose your password and finish joining; the link works for 24 hours."
            </p>
            <p>
                "If that address already has an account, the message says how to join with it instead."
            </p>
            <p class="meta">
                "Nothing arrived after a few minutes? Look in your spam folder, then open the invitation link again and check the address you typed."
            </p>
        </div>
    }
}

/// The page the e-mailed link opens: choose a password, join, sign in.
#[component]
pub fn SignUpFinishPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let info = Resource::new(code, sign_up_info);
    view! {
        <Title text="Finish joining" />
        <Suspense fallback=|| view! { <p class="loading">"Checking the link…"</p> }>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => {
                        let heading = format!(
                            "Join {} as {}",
                            info.cohort_name,
                            article(info.role.label()),
                        );
                        let ask_name = info.name.is_empty();
                        let who = if ask_name {
                            format!("For {}.", info.email)
                        } else {
                            format!("For {} ({}).", info.name, info.email)
                        };
                        view! {
                            <div class="narrow">
                                <h1>{heading}</h1>
                                <p>{who}</p>
                                <FinishForm code=code() ask_name />
                            </div>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FinishForm(
    code: String,
    /// A personal invitation: the person gives their name here.
    ask_name: bool,
) -> impl IntoView {
    let action = ServerAction::<FinishSignUp>::new();
    let error = use_form_error(action);
    Effect::new(move |_| {
        if let Some(Ok(next)) = action.value().get() {
            let _ = window().location().set_href(&next);
        }
    });
    view! {
        <ActionForm action>
            <input type="hidden" name="code" value=code />
            <FormAlert error fields=&["name", "password", "confirm"] />
            {ask_name.then(|| view! {
                <TextField
                    label="Your name"
                    name="name"
                    autocomplete="name"
                    hint="As you want it on your badges and shown to your coordinator."
                    error
                />
            })}
            <TextField
                label="Password"
                name="password"
                kind="password"
                autocomplete="new-password"
                hint="At least 12 characters. A few unrelated words are easy to remember and hard to guess."
                error
            />
            <TextField
                label="Password again"
                name="confirm"
                kind="password"
                autocomplete="new-password"
                error
            />
            <button class="button" type="submit">
                "Create account and join"
            </button>
        </ActionForm>
    }
}
