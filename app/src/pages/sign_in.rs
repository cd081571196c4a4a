//! `/sign-in`.

use crate::api::account::{safe_next, ForgotPassword, SignIn};
use crate::components::form::{use_form_error, FormAlert, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::t;

/// The sign-in form. After signing in, the browser goes where it was headed (`?next=`).
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || safe_next(&query.read().get("next").unwrap_or_else(|| "/".into()));
    let action = ServerAction::<SignIn>::new();
    let error = use_form_error(action);
    // With JavaScript, a full load of the next page refreshes everything that depends on who
    // is signed in. Without it, the server redirects.
    Effect::new(move |_| {
        if let Some(Ok(next)) = action.value().get() {
            let _ = window().location().set_href(&next);
        }
    });
    view! {
        <Title text=t!(sign_in.title) />
        <div class="narrow">
            <h1>{t!(sign_in.title)}</h1>
            <p>{t!(sign_in.intro)}</p>
            <ActionForm action>
                <input type="hidden" name="next" value=next />
                <FormAlert error fields=&["email", "password"] />
                <TextField
                    label=t!(sign_in.email_label)
                    name="email"
                    kind="email"
                    autocomplete="username"
                    error
                />
                <TextField
                    label=t!(sign_in.password_label)
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    error
                />
                <button class="button" type="submit" disabled=move || action.pending().get()>
                    {move || {
                        if action.pending().get() {
                            t!(sign_in.signing_in)
                        } else {
                            t!(sign_in.submit)
                        }
                    }}
                </button>
            </ActionForm>
            <p class="meta">
                {t!(sign_in.new_here)}
                <a href="/forgot-password">{t!(sign_in.forgot_link)}</a>
            </p>
        </div>
    }
}

/// `/forgot-password`: asks for a reset link by e-mail. Says the same whether or not the
/// address has an account.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let action = ServerAction::<ForgotPassword>::new();
    let error = use_form_error(action);
    let sent = move || {
        matches!(action.value().get(), Some(Ok(_)))
            || (action.value().get().is_none() && query.read().get("sent").is_some())
    };
    view! {
        <Title text=t!(sign_in.forgot_title) />
        <div class="narrow">
            <h1>{t!(sign_in.forgot_title)}</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p>{t!(sign_in.forgot_intro)}</p>
                    <ActionForm action>
                        <FormAlert error fields=&["email"] />
                        <TextField
                            label=t!(sign_in.email_label)
                            name="email"
                            kind="email"
                            autocomplete="username"
                            error
                        />
                        <button class="button" type="submit">{t!(sign_in.forgot_submit)}</button>
                    </ActionForm>
                }
            >
                <p role="status">
                    {t!(sign_in.forgot_sent)}
                </p>
            </Show>
        </div>
    }
}
