//! `/sign-in`.

use crate::api::account::{safe_next, ForgotPassword, SignIn};
use crate::components::form::{use_form_error, FormAlert, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

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
        <Title text="Sign in" />
        <div class="narrow">
            <h1>"Sign in"</h1>
            <p>"Use the email address and password you chose when you joined your cohort."</p>
            <ActionForm action>
                <input type="hidden" name="next" value=next />
                <FormAlert error fields=&["email", "password"] />
                <TextField label="Email" name="email" kind="email" autocomplete="username" error />
                <TextField
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    error
                />
                <button class="button" type="submit" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p class="meta">
                "New here? You join through an invitation link from your coordinator. "
                <a href="/forgot-password">"Forgot your password?"</a>
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
        <Title text="Forgot your password" />
        <div class="narrow">
            <h1>"Forgot your password"</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p>"Give the address you sign in with. If it has an account, a link to set a new password is e-mailed to it; the link works for an hour."</p>
                    <ActionForm action>
                        <FormAlert error fields=&["email"] />
                        <TextField label="Email" name="email" kind="email" autocomplete="username" error />
                        <button class="button" type="submit">"E-mail me a link"</button>
                    </ActionForm>
                }
            >
                <p role="status">
                    "If that address has an account, a link to set a new password is on its way. Check your inbox (and spam folder); the link works for an hour."
                </p>
            </Show>
        </div>
    }
}
